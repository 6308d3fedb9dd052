"""The supporter list as a spreadsheet: everyone, or one segment's people.

Rows are read in chunks (each chunk with its tags and lists in one query apiece), so the
number of queries does not grow with the list and memory holds one chunk.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from django.db.models import Model, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from spilka.exports.registry import ExportKind, Params, export_kind_register
from spilka.lib.exports import export_filename
from spilka.network.models import Organisation
from spilka.outreach.access import outreach_organisation_get, scoped_get
from spilka.outreach.models import Segment, Supporter, SupporterConsent
from spilka.outreach.selectors import segment_supporters

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
            supporter.country.code,  # type: ignore[attr-defined]  # django-countries: a Country, a str to the plugin
            supporter.get_status_display(),
            supporter.consent_at,  # type: ignore[attr-defined]  # annotated by the row query
            "; ".join(tag.name for tag in supporter.tags.all()),
            "; ".join(item.name for item in supporter.lists.all()),
            supporter.created_at,
            supporter.last_action_at,
        ]


# --- Written in the background (spilka/exports) -----------------------------------------


def _subject(user: Any, params: Params) -> Model:
    """The organisation (everyone) or one of its segments, for its organisers only."""
    organisation = outreach_organisation_get(user=user, slug=str(params.get("slug", "")))
    if params.get("segment") is None:
        return organisation
    segment = scoped_get(Segment.objects.all(), organisation=organisation, pk=params["segment"])
    segment.organisation = organisation
    return segment


def _organisation(subject: Model) -> Organisation:
    return subject if isinstance(subject, Organisation) else subject.organisation  # type: ignore[attr-defined]


def _supporters(subject: Model) -> QuerySet[Supporter]:
    if isinstance(subject, Segment):
        return segment_supporters(subject)
    return Supporter.objects.filter(organisation=cast(Organisation, subject))


def _filename(subject: Model, params: Params, fmt: str) -> str:
    what = f"segment-{subject.pk}" if isinstance(subject, Segment) else "supporters"
    return export_filename(slug=_organisation(subject).slug, what=what, fmt=fmt)


SUPPORTERS = export_kind_register(
    ExportKind(
        name="outreach.supporters",
        label=gettext_lazy("Supporters"),
        audit_action="outreach.supporters.exported",
        subject=_subject,
        organisation=_organisation,
        count=lambda subject, params: _supporters(subject).count(),
        rows=lambda subject, params: supporter_export_rows(_supporters(subject)),
        filename=_filename,
        sheet_title=gettext_lazy("Supporters"),
    )
)
