"""Reads for a model resolution's public progress page.

The headline, both charts and the filter's country list come from one light query over
the resolution's adoptions; the list of bodies is a separate, filtered, paginated query.
Only adoptions by public bodies are shown or counted: the page is public.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import F, QuerySet
from django.utils import timezone
from django_countries import countries

from spilka.campaigns.models import (
    Adoption,
    AdoptionStatus,
    AdoptionUpdate,
    Resolution,
    ResolutionVersion,
)
from spilka.campaigns.models.resolutions import ADOPTED_STATUSES
from spilka.lib.models import AuditEntry
from spilka.lib.translated import pick

__all__ = [
    "CountryProgress",
    "ResolutionProgress",
    "TimelineEntry",
    "adoption_history",
    "resolution_adoptions",
    "resolution_progress",
    "resolution_versions",
]

IN_PROGRESS = frozenset({AdoptionStatus.PROPOSED, AdoptionStatus.TABLED, AdoptionStatus.DEBATED})


@dataclass
class CountryProgress:
    code: str
    name: str
    adopted: int = 0  # verified
    unverified: int = 0  # reported adopted, not yet verified
    in_progress: int = 0

    @property
    def total(self) -> int:
        return self.adopted + self.unverified + self.in_progress


@dataclass(frozen=True)
class TimelineEntry:
    date: datetime.date
    body: str


@dataclass
class ResolutionProgress:
    """What the headline and the charts say. Only verified adoptions count as adopted."""

    bodies: int = 0
    countries: int = 0
    unverified: int = 0
    in_progress: int = 0
    rejected: int = 0
    by_country: list[CountryProgress] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    # (code, name) of every country with a body, for the filter.
    country_choices: list[tuple[str, str]] = field(default_factory=list)


def _public_adoptions(resolution: Resolution) -> QuerySet[Adoption]:
    return Adoption.objects.filter(resolution=resolution, body__is_public=True)


def resolution_progress(resolution: Resolution) -> ResolutionProgress:
    rows = _public_adoptions(resolution).values_list(
        "status",
        "verified_at",
        "meeting_date",
        "reported_at",
        "body__country",
        "body__name",
        "body__original_language",
        "body__short_name",
    )
    progress = ResolutionProgress()
    per_country: dict[str, CountryProgress] = {}
    adopted_countries: set[str] = set()
    statuses: Counter[str] = Counter()
    for status, verified_at, meeting, reported_at, country, name, language, short in rows:
        statuses[status] += 1
        code = str(country or "")
        row = per_country.setdefault(code, CountryProgress(code, str(countries.name(code) or code)))
        if status in ADOPTED_STATUSES and verified_at is not None:
            row.adopted += 1
            adopted_countries.add(code)
            when = meeting or timezone.localdate(reported_at or verified_at)
            label = pick(name, language).text or short
            progress.timeline.append(TimelineEntry(when, label))
        elif status in ADOPTED_STATUSES:
            row.unverified += 1
        elif status in IN_PROGRESS:
            row.in_progress += 1
    progress.bodies = sum(row.adopted for row in per_country.values())
    progress.countries = len(adopted_countries)
    progress.unverified = sum(row.unverified for row in per_country.values())
    progress.in_progress = sum(row.in_progress for row in per_country.values())
    progress.rejected = statuses["rejected"]
    progress.by_country = sorted(
        (row for row in per_country.values() if row.total),
        key=lambda row: (-row.adopted, -row.total, row.name),
    )
    progress.timeline.sort(key=lambda entry: (entry.date, entry.body))
    progress.country_choices = sorted(
        ((code, row.name) for code, row in per_country.items() if code), key=lambda c: c[1]
    )
    return progress


def resolution_adoptions(
    resolution: Resolution, *, country: str = "", status: str = ""
) -> QuerySet[Adoption]:
    """The bodies' adoptions for the list, most recent meeting first."""
    qs = _public_adoptions(resolution).select_related("body", "version")
    if country:
        qs = qs.filter(body__country=country)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by(F("meeting_date").desc(nulls_last=True), "body__slug")


def resolution_versions(resolution: Resolution) -> list[ResolutionVersion]:
    """Every version, newest first: the first is the current text."""
    return list(resolution.versions.order_by("-number"))


def adoption_history(adoption: Adoption) -> list[AdoptionUpdate]:
    """Each step, oldest first, marked ``is_verification`` when it was an organiser's check.

    The services write one update and one audit row per step, in the same order, so the
    audit rows say which steps were verifications.
    """
    updates = list(adoption.updates.select_related("reported_by").order_by("pk"))
    actions = AuditEntry.objects.filter(
        object_type=Adoption._meta.label_lower,
        object_id=str(adoption.pk),
        action__in=["campaigns.adoption.reported", "campaigns.adoption.verified"],
    ).order_by("pk")
    for update, action in zip(updates, actions.values_list("action", flat=True), strict=False):
        update.is_verification = action == "campaigns.adoption.verified"  # type: ignore[attr-defined]
    return updates
