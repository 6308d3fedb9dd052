"""Short addresses (slugs) in any alphabet: "солідарність" is as good as "solidarity".

Django's own slug pieces are ASCII-only by default and, with ``allow_unicode``, still
answer in Django's wording ("Enter a valid “slug”…"). Everything a person types or is
given as a short address goes through these instead:

- :class:`SlugField` (model) and :class:`SlugFormField` (form): Unicode letters, digits,
  hyphens and underscores, refused with Spilka's own translatable message;
- :func:`slug_from` makes one from a title without dropping Cyrillic or Polish letters;
- :class:`SlugConverter`, registered once as ``<uslug:…>`` in ``spilka/urls.py``: Django's
  ``<slug:…>`` converter matches ASCII only, so a Cyrillic address would be a 404.

Links need no special care: ``reverse()`` percent-encodes the path (IRI to URI) and the
request path arrives decoded, so the view gets back the same text.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.db import models
from django.urls import register_converter
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

SLUG_MESSAGE = _("Use letters, numbers, hyphens or underscores.")
# \w on str is Unicode-aware: letters and digits of every alphabet, and the underscore.
SLUG_RE = re.compile(r"^[-\w]+\Z")

validate_slug = RegexValidator(SLUG_RE, SLUG_MESSAGE, "invalid")


def slug_from(text: str, *, max_length: int = 80, fallback: str = "") -> str:
    """A short address made from ``text``, keeping its letters whatever the alphabet."""
    return slugify(text, allow_unicode=True)[:max_length].strip("-_") or fallback


class SlugFormField(forms.SlugField):
    default_validators = [validate_slug]

    def __init__(self, *, allow_unicode: bool = True, **kwargs: Any) -> None:
        # Past forms.SlugField.__init__, which would put Django's own validator (and its
        # English-only wording) on the instance: ours stays, from the class attribute.
        self.allow_unicode = True
        forms.CharField.__init__(self, **kwargs)


class SlugField(models.SlugField):
    """A model slug in any alphabet, refused in the site's own words."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["allow_unicode"] = True
        super().__init__(*args, **kwargs)
        self.default_validators = [validate_slug]

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("allow_unicode", None)  # always true here
        return name, path, args, kwargs

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(**{"form_class": SlugFormField, **kwargs})


class SlugConverter:
    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


_registered = False


def register_slug_converter() -> None:
    """Register ``<uslug:…>`` (idempotent: Django 6 refuses a second registration)."""
    global _registered
    if not _registered:
        register_converter(SlugConverter, "uslug")
        _registered = True
