from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from spilka.lib.translated import TranslatedText, pick

register = template.Library()


@register.filter
def tr(obj: Any, field: str) -> TranslatedText:
    """``{{ org|tr:"name" }}``: the field's text in the active language, with fallback."""
    values = getattr(obj, field, None) or {}
    return pick(values, getattr(obj, "original_language", None))


@register.simple_tag
def trtext(obj: Any, field: str, element: str = "span") -> str:
    """The text in the active language, wrapped with its ``lang``, and a note on fallback."""
    text = tr(obj, field)
    if not text:
        return ""
    if element not in {"span", "p", "div", "h1", "h2", "h3"}:
        element = "span"
    if text.is_fallback:
        note = _("Not yet translated; shown in %(language)s.") % {"language": text.language_name}
        return format_html(
            '<{0} lang="{1}">{2}</{0}> <small class="tr-missing">{3}</small>',
            element,
            text.language,
            text.text,
            note,
        )
    return format_html('<{0} lang="{1}">{2}</{0}>', element, text.language, text.text)


@register.simple_tag
def trlabel(obj: Any, field: str) -> str:
    """The compact ``trtext`` for lists, table cells, links and labels.

    A fallback gets a small badge with the code of the language shown (``EN``) instead of
    the full sentence; the sentence stays as the badge's title (on hover) and as hidden
    text for screen readers, so nobody loses it. Headings and body texts keep ``trtext``.
    """
    text = tr(obj, field)
    if not text:
        return ""
    if not text.is_fallback:
        return format_html('<span lang="{}">{}</span>', text.language, text.text)
    note = _("Not yet translated; shown in %(language)s.") % {"language": text.language_name}
    return format_html(
        '<span lang="{0}">{1}</span> <small class="tr-mark" title="{2}" data-tr-mark="{0}">'
        '<span aria-hidden="true">{3}</span><span class="visually-hidden">{2}</span></small>',
        text.language,
        text.text,
        note,
        text.language.upper(),
    )


@register.filter
def paragraphs(value: Any) -> str:
    """Plain text to escaped paragraphs (content is text, not HTML)."""

    parts = [p.strip() for p in str(value).split("\n\n") if p.strip()]
    return mark_safe("".join(f"<p>{escape(p)}</p>" for p in parts))  # noqa: S308 (escaped above)


@register.simple_tag(takes_context=True)
def query_with(context: Any, **kwargs: Any) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    request = context["request"]
    params = request.GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def query_with_param(context: Any, name: str, value: Any) -> str:
    """Like ``query_with`` for a parameter whose name is itself a variable (the pager's)."""
    return query_with(context, **{name: value})
