"""An organisation's people as a spreadsheet: exactly the rows its people page lists."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from spilka.network.models import Membership

CHUNK = 2000


def people_export_header() -> list[str]:
    return [
        _("Name"),
        _("Position"),
        _("Email"),
        _("Phone"),
        _("Country"),
        _("Preferred language"),
        _("Since"),
        _("Until"),
    ]


def people_export_rows(memberships: QuerySet[Membership]) -> Iterator[list[Any]]:
    """The header, then one row per membership of ``memberships`` (people and emails read
    a chunk at a time)."""
    yield people_export_header()
    for membership in memberships.iterator(chunk_size=CHUNK):
        person = membership.person
        yield [
            person.full_name,
            membership.role_title,
            person.primary_email,
            person.phone,
            person.country.code,  # type: ignore[attr-defined]  # django-countries: a Country, a str to the plugin
            person.get_preferred_language_display(),
            membership.started_on,
            membership.ended_on,
        ]
