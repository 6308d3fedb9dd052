"""Open needs for front pages: public ones only, located by oblast and never finer."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, F, IntegerField, Value, When
from django.urls import reverse

from spilka.aid.models import Need, NeedStatus, Oblast, Priority
from spilka.lib.paging import Excerpt, excerpt
from spilka.network.models import Organisation

# Still waiting for pledges: what a visitor could help with.
WAITING_STATUSES = (NeedStatus.OPEN, NeedStatus.PARTLY_PLEDGED)
_URGENCY = Case(
    When(priority=Priority.CRITICAL, then=Value(0)),
    When(priority=Priority.HIGH, then=Value(1)),
    When(priority=Priority.NORMAL, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


@dataclass(frozen=True)
class NeedSummary:
    """What a front page may show of a need. It carries the oblast and nothing finer (no
    hromada, no settlement, whatever the recipient allowed elsewhere): a front page is
    copied, cached and crawled more than any other, and a place can be a target."""

    pk: int
    title: dict[str, str]
    original_language: str
    oblast: str
    priority: str
    status: str
    needed_by: datetime.date | None
    organisation: Organisation

    # Labels and addresses are made when shown, in the reader's language: the summary
    # itself is cached once for every language.
    @property
    def oblast_name(self) -> str:
        return str(Oblast(self.oblast).label)

    @property
    def priority_label(self) -> str:
        return str(Priority(self.priority).label)

    @property
    def status_label(self) -> str:
        return str(NeedStatus(self.status).label)

    def get_absolute_url(self) -> str:
        return reverse("aid:need", kwargs={"pk": self.pk})


def needs_urgent(*, organisation: Organisation | None = None, limit: int = 6) -> Excerpt[Any]:
    """Public needs of public organisations still waiting for pledges, the most urgent
    first (priority, then the nearest "needed by"): at most two queries.

    With ``organisation``: only its own. Same for everyone, so it may be cached.
    """
    qs = Need.objects.filter(
        is_public=True, organisation__is_public=True, status__in=WAITING_STATUSES
    )
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    qs = (
        qs.select_related("organisation")
        # The finer location never leaves the database.
        .only(
            "pk",
            "title",
            "original_language",
            "oblast",
            "priority",
            "status",
            "needed_by",
            "organisation",
        )
        .annotate(urgency=_URGENCY)
        .order_by("urgency", F("needed_by").asc(nulls_last=True), "-pk")
    )
    found = excerpt(qs, limit)
    return Excerpt([_summary(need) for need in found.rows], found.total)


def _summary(need: Need) -> NeedSummary:
    return NeedSummary(
        pk=need.pk,
        title=need.title,
        original_language=need.original_language,
        oblast=need.oblast,
        priority=need.priority,
        status=need.status,
        needed_by=need.needed_by,
        organisation=need.organisation,
    )
