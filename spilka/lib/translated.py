"""Multilingual content stored as a JSON map ``language -> text`` on the row.

Reading falls back to the item's original language (then to any language that has
text), and says so, so a page can note that a translation is missing. Later issues put a
translation workflow on top of these maps.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.utils import ErrorList
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from spilka.lib.languages import CONTENT_LANGUAGES, LANGUAGE_NAMES


@dataclass(frozen=True)
class TranslatedText:
    text: str
    language: str  # the language the text is actually in
    requested: str  # the language the reader asked for

    @property
    def is_fallback(self) -> bool:
        return bool(self.text) and self.language != self.requested

    @property
    def language_name(self) -> str:
        return str(LANGUAGE_NAMES.get(self.language, self.language))

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)


def pick(
    values: dict[str, str] | None, original: str | None = None, language: str | None = None
) -> TranslatedText:
    """The text for ``language`` (default: the active one), else the original's, else any."""
    requested = (language or get_language() or "en").split("-")[0]
    values = values or {}
    if values.get(requested):
        return TranslatedText(values[requested], requested, requested)
    order = [original] if original else []
    order += [code for code in CONTENT_LANGUAGES if code not in order]
    order += [code for code in values if code not in order]
    for code in order:
        if code and values.get(code):
            return TranslatedText(values[code], code, requested)
    return TranslatedText("", requested, requested)


def clean_translations(
    value: Any, *, max_length: int | None = None, required_language: str | None = None
) -> dict[str, str]:
    if value in (None, ""):
        value = {}
    if not isinstance(value, dict):
        raise ValidationError(_("Expected a map of language codes to text."), code="invalid")
    cleaned: dict[str, str] = {}
    for code, text in value.items():
        if code not in CONTENT_LANGUAGES:
            raise ValidationError(
                _("Unknown language code: %(code)s."), code="language", params={"code": code}
            )
        if text is None:
            continue
        if not isinstance(text, str):
            raise ValidationError(_("Text must be a string."), code="invalid")
        text = text.strip()
        if max_length is not None and len(text) > max_length:
            raise ValidationError(
                _("The %(language)s text is %(length)d characters long; the limit is %(limit)d."),
                code="max_length",
                params={
                    "language": LANGUAGE_NAMES[code],
                    "length": len(text),
                    "limit": max_length,
                    # Which box holds the error: the form opens it (TranslatedBoundField).
                    "language_code": code,
                },
            )
        if text:
            cleaned[code] = text
    if required_language and not cleaned.get(required_language):
        raise ValidationError(
            _("Give the text in %(language)s, the original language."),
            code="required",
            params={
                "language": LANGUAGE_NAMES.get(required_language, required_language),
                "language_code": required_language,
            },
        )
    return cleaned


class TranslatedField(models.JSONField):
    """A JSON map of language code to text, validated on ``full_clean()``."""

    def __init__(self, *args: Any, max_length: int | None = None, **kwargs: Any) -> None:
        self.text_max_length = max_length
        kwargs.setdefault("default", dict)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.text_max_length is not None:
            kwargs["max_length"] = self.text_max_length
        return name, path, args, kwargs

    def validate(self, value: Any, model_instance: Any) -> None:
        super().validate(value, model_instance)
        clean_translations(value, max_length=self.text_max_length)

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        return TranslatedFormField(
            label=kwargs.get("label", self.verbose_name),
            help_text=kwargs.get("help_text", self.help_text),
            max_length=self.text_max_length,
            required=not self.blank,
            multiline=self.text_max_length is None or self.text_max_length > 300,
        )


class TranslatedWidget(forms.MultiWidget):
    """One box per content language: the original language's first and open, the others
    folded in native ``<details>`` (no script), and any box holding an error open.

    ``original_language`` and ``error_languages`` are set for each rendering by
    :class:`TranslatedBoundField` from the form around it.
    """

    template_name = "lib/widgets/translated.html"

    def __init__(self, multiline: bool = False, attrs: dict[str, Any] | None = None) -> None:
        widget_cls = forms.Textarea if multiline else forms.TextInput
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            code: widget_cls(attrs={"lang": code, **({"rows": 4} if multiline else {})})
            for code in CONTENT_LANGUAGES
        }
        super().__init__(widgets, attrs)
        self.original_language: str | None = None
        self.error_languages: frozenset[str] = frozenset()

    def decompress(self, value: Any) -> list[str]:
        value = value or {}
        return [value.get(code, "") for code in CONTENT_LANGUAGES]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        original = self.original_language
        if original not in CONTENT_LANGUAGES:
            original = (get_language() or "en").split("-")[0]
        if original not in CONTENT_LANGUAGES:
            original = CONTENT_LANGUAGES[0]
        subwidgets = context["widget"]["subwidgets"]
        for code, sub in zip(CONTENT_LANGUAGES, subwidgets, strict=True):
            sub["language_code"] = code
            sub["language_name"] = LANGUAGE_NAMES[code]
            sub["is_original"] = code == original
            sub["has_error"] = code in self.error_languages
            sub["is_open"] = sub["is_original"] or sub["has_error"]
        # The original first; the others keep their usual order.
        subwidgets.sort(key=lambda sub: not sub["is_original"])
        return context


class TranslatedBoundField(forms.BoundField):
    """Tells the widget, before each rendering, which language is the original (the
    form's ``original_language`` as typed or set, else the object's) and which boxes
    hold an error."""

    def as_widget(self, widget: Any = None, attrs: Any = None, only_initial: bool = False) -> Any:
        target = widget or self.field.widget
        if isinstance(target, TranslatedWidget):
            target.original_language = self._original_language()
            target.error_languages = frozenset(
                error.params["language_code"]
                for error in (self.form.errors.get(self.name) or ErrorList()).as_data()
                if isinstance(error.params, dict) and "language_code" in error.params
            )
        return super().as_widget(widget, attrs, only_initial)

    def _original_language(self) -> str | None:
        if "original_language" in self.form.fields:
            value = self.form["original_language"].value()
            if value:
                return str(value)
        instance = getattr(self.form, "instance", None)
        return getattr(instance, "original_language", None) or None


class TranslatedFormField(forms.MultiValueField):
    """One input per content language; cleans to a ``{code: text}`` map."""

    def __init__(
        self,
        *,
        max_length: int | None = None,
        multiline: bool = False,
        required: bool = True,
        **kwargs: Any,
    ) -> None:
        self.text_max_length = max_length
        fields = [forms.CharField(required=False, strip=True) for _code in CONTENT_LANGUAGES]
        kwargs.pop("encoder", None)
        kwargs.pop("decoder", None)
        super().__init__(
            fields=fields,
            widget=TranslatedWidget(multiline=multiline),
            require_all_fields=False,
            required=False,
            **kwargs,
        )
        self.must_have_text = required

    def get_bound_field(self, form: Any, field_name: str) -> forms.BoundField:
        return TranslatedBoundField(form, self, field_name)

    def compress(self, data_list: list[str]) -> dict[str, str]:
        data_list = data_list or [""] * len(CONTENT_LANGUAGES)
        return {code: text for code, text in zip(CONTENT_LANGUAGES, data_list, strict=True) if text}

    def clean(self, value: Any) -> dict[str, str]:
        result = super().clean(value)
        result = clean_translations(result, max_length=self.text_max_length)
        if self.must_have_text and not result:
            raise ValidationError(_("Give this text in at least one language."), code="required")
        return result
