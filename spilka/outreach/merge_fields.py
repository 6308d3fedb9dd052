"""Merge fields in mailings: ``{{ first_name }}``, with an optional fallback
``{{ first_name|friend }}``. A small substitution, never a template engine: organisers'
text cannot reach code, attributes or other people's data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _

FIELD = re.compile(r"\{\{\s*([a-z_]+)\s*(?:\|\s*([^{}|]{0,60}?)\s*)?\}\}")

MERGE_FIELDS = {
    "first_name": _("first name"),
    "name": _("full name"),
    "email": _("email address"),
    "organisation": _("your organisation's name"),
    "unsubscribe_url": _("the unsubscribe link"),
}


def unknown_fields(text: str) -> list[str]:
    return sorted({m.group(1) for m in FIELD.finditer(text or "")} - set(MERGE_FIELDS))


def render(text: str, values: Mapping[str, str]) -> str:
    """Put each field's value in; an empty value takes the fallback after ``|``."""
    if "{{" not in text:
        return text

    def replace(match: re.Match[str]) -> str:
        name, fallback = match.group(1), match.group(2)
        if name not in MERGE_FIELDS:
            return match.group(0)
        return values.get(name) or (fallback or "")

    return FIELD.sub(replace, text)
