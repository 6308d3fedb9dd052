"""Form widgets that are cheap to render on hot pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django_countries import countries

_OPTIONS: dict[str, str] = {}
_NOT_FOR_SELECT = frozenset({"maxlength", "minlength"})


def _country_options(language: str) -> str:
    """All countries as <option>s, sorted in ``language``; built once per language."""
    cached = _OPTIONS.get(language)
    if cached is None:
        parts = ['<option value="">—</option>']
        parts += [
            f'<option value="{escape(code)}">{escape(name)}</option>' for code, name in countries
        ]
        cached = _OPTIONS[language] = "".join(parts)
    return cached


class CountrySelect(forms.Select):
    """A country <select> without the template engine: ~250 options render in microseconds.

    Django's Select renders each option through a template, which made the petition page
    spend most of its time on the country list.
    """

    def use_required_attribute(self, initial: Any) -> bool:
        # Select decides from self.choices, which stay empty here; the options written
        # below start with an empty one, so a required country can say so.
        return not self.is_hidden

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        options = _country_options(get_language() or "en")
        if value:
            selected = f'<option value="{escape(value)}">'
            options = options.replace(selected, selected[:-1] + " selected>", 1)
        return _select(name, final, options)


def _select(name: str, attrs: dict[str, Any], options: str) -> SafeString:
    """``<select>`` around ``options`` (already escaped). A select has no maxlength (a
    CharField(max_length=2) adds one); a boolean attribute is written bare, as Django's
    templates write it ("required", not required="True")."""
    attributes = "".join(
        format_html(" {}", key) if val is True else format_html(' {}="{}"', key, val)
        for key, val in attrs.items()
        if val not in (None, False) and key not in _NOT_FOR_SELECT
    )
    return mark_safe(  # noqa: S308 (every value above is escaped)
        format_html('<select name="{}"', name) + attributes + ">" + options + "</select>"
    )


class LongSelect(forms.Select):
    """A single-choice <select> for long flat lists (time zones: about 600 options) written
    without a template per option: Django's Select took 140 ms on the event form."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        chosen = "" if value is None else str(value)
        options = "".join(
            format_html(
                '<option value="{}"{}>{}</option>',
                key,
                mark_safe(" selected") if str(key) == chosen else "",  # noqa: S308 (a constant)
                label,
            )
            for key, label in self.choices
        )
        return _select(name, self.build_attrs(self.attrs, attrs), options)
