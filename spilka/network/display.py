"""How an organisation is named where anyone can read it.

Public pages, feeds, exports, charts, widgets and structured data name a private
organisation only as "a partner organisation (not public)": a clandestine partner that
receives money or aid, co-organises an event or adopts a resolution must not be named,
linked or given away by its short name or address. The rule does not depend on who is
looking, so a public page (and any cached copy of it) is the same for everyone.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from spilka.lib.translated import pick
from spilka.network.models import Organisation

PRIVATE_ORGANISATION_NAME = _("a partner organisation (not public)")


def organisation_is_public(organisation: Organisation | None) -> bool:
    return bool(organisation is not None and organisation.is_public)


def public_name(organisation: Organisation | None) -> str:
    """The organisation's name in the active language, or the placeholder when private."""
    if organisation is None:
        return ""
    if not organisation.is_public:
        return str(PRIVATE_ORGANISATION_NAME)
    return str(organisation)


def public_name_in(organisation: Organisation | None, language: str) -> str:
    """The organisation's name in ``language`` (exports in a fixed language)."""
    if organisation is None:
        return ""
    if not organisation.is_public:
        with translation.override(language):
            return str(PRIVATE_ORGANISATION_NAME)
    return pick(organisation.name, organisation.original_language, language).text or (
        organisation.slug
    )


def public_short_name(organisation: Organisation | None) -> str:
    """The short name or acronym, or the placeholder when private."""
    if organisation is None:
        return ""
    if not organisation.is_public:
        return str(PRIVATE_ORGANISATION_NAME)
    return organisation.short_name or str(organisation)


def publicly_named(organisations: Any) -> list[Any]:
    """Only the public ones: for consent boxes, which must name whom consent is given to
    (a private organisation cannot be named, so it cannot be offered one)."""
    return [org for org in organisations if organisation_is_public(org)]
