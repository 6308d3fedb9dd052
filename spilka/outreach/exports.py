"""The supporter list as a spreadsheet: everyone, or one segment's people.

Rows are read in chunks (each chunk with its tags and lists in one query apiece), so the
number of queries does not grow with the list and memory holds one chunk.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from spilka.outreach.models import Supporter, SupporterConsent

CHUNK = 2000


def supporter_export_header() -> list[str]:
    return [
        _("Name"),
        _("Email"),
        _("Phone"),
        _("Language"),
        _("Country"),
        _("Consent status"),
        _("Consent recorded at"),
        _("Tags"),
        _("Lists"),
        _("Added"),
        _("Last action"),
    ]


def supporter_export_queryset(supporters: QuerySet[Supporter]) -> QuerySet[Supporter]:
    latest_consent = SupporterConsent.objects.filter(supporter_id=OuterRef("pk")).order_by(
        "-recorded_at", "-pk"
    )
    return (
        supporters.annotate(consent_at=Subquery(latest_consent.values("recorded_at")[:1]))
        .prefetch_related("tags", "lists")
        .order_by("email", "pk")
    )


def supporter_export_rows(supporters: QuerySet[Supporter]) -> Iterator[list[Any]]:
    """The header, then one row per supporter of ``supporters``."""
    yield supporter_export_header()
    for supporter in supporter_export_queryset(supporters).iterator(chunk_size=CHUNK):
        yield [
            supporter.name,
            supporter.email,
            supporter.phone,
            supporter.get_language_display(),
            supporter.country.code,
            supporter.get_status_display(),
            supporter.consent_at,
            "; ".join(tag.name for tag in supporter.tags.all()),
            "; ".join(item.name for item in supporter.lists.all()),
            supporter.created_at,
            supporter.last_action_at,
        ]
