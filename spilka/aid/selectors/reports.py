"""The public aid report: confirmed handovers only, aggregated in the database.

Safety: nothing here names a person, reveals a route or a time before arrival (only
confirmed handovers count, and only once their ``publish_after`` has passed), or gives a
location finer than the recipient organisation's region.

Speed: every figure is one grouped query over ``ManifestLine`` alone, scoped through
columns copied onto it when a line is loaded and confirmed (recipient, convoy organiser,
``public_from``), each with an index, so a report never joins 100,000 lines to their
handovers and convoys (bench/aid_report.py).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from spilka.aid.models import Handover, HandoverStatus, ItemCategory, ManifestLine, Vehicle
from spilka.campaigns.models import Campaign
from spilka.network.models import Organisation


def public_handovers(now: datetime.datetime | None = None) -> QuerySet[Handover]:
    now = now or timezone.now()
    return Handover.objects.filter(
        status=HandoverStatus.CONFIRMED, recipient__is_public=True
    ).filter(Q(publish_after__isnull=True) | Q(publish_after__lte=now))


def private_organisation_ids() -> list[int]:
    return list(Organisation.objects.filter(is_public=False).values_list("pk", flat=True))


def public_lines(
    *,
    organisation: Organisation | None = None,
    campaign: Campaign | None = None,
    now: datetime.datetime | None = None,
    private: list[int] | None = None,
) -> QuerySet[ManifestLine]:
    """Lines of confirmed, published handovers to public recipients, in scope.

    An organisation's report covers what it gave, what it received and what its convoys
    carried; a campaign's, what its convoys carried and what answered its needs.
    ``private``: the private organisations' ids, when the caller has them already.
    """
    # Private recipients are few: excluding their ids avoids joining every line to them.
    if private is None:
        private = private_organisation_ids()
    lines = ManifestLine.objects.filter(public_from__lte=now or timezone.now())
    if private:
        lines = lines.exclude(recipient_id__in=private)
    if organisation is not None:
        lines = lines.filter(
            Q(donor_organisation=organisation)
            | Q(recipient=organisation)
            | Q(convoy_organisation=organisation)
        )
    if campaign is not None:
        lines = lines.filter(Q(convoy__campaign=campaign) | Q(need_line__need__campaign=campaign))
    return lines


# Donors and recipients named on a report: those with the most deliveries (the sentence
# under each list in aid/_report_body.html says twenty).
PARTIES_SHOWN = 20


@dataclass
class Party:
    organisation: Organisation
    deliveries: int

    @property
    def name(self) -> str:
        return str(self.organisation)


@dataclass
class Report:
    deliveries: int = 0
    vehicles_donated: int = 0
    by_category: list[tuple[str, str, Decimal, int]] = field(default_factory=list)
    values: dict[str, Decimal] = field(default_factory=dict)
    # The PARTIES_SHOWN with the most deliveries, and how many there are in all.
    donors: list[Party] = field(default_factory=list)
    donor_total: int = 0
    recipients: list[Party] = field(default_factory=list)
    recipient_total: int = 0
    timeline: list[tuple[datetime.date, int]] = field(default_factory=list)
    recent: list[Handover] = field(default_factory=list)


def aid_report(
    *,
    organisation: Organisation | None = None,
    campaign: Campaign | None = None,
    now: datetime.datetime | None = None,
) -> Report:
    private = private_organisation_ids()
    lines = public_lines(organisation=organisation, campaign=campaign, now=now, private=private)
    report = Report()
    if connection.vendor == "postgresql":
        figures = _figures_grouping_sets(lines)
    else:
        figures = _figures_by_queries(lines)
    report.deliveries = figures.deliveries
    labels = dict(ItemCategory.choices)
    report.by_category = [
        (code, str(labels.get(code, code)), q, n)
        for code, (q, n) in sorted(figures.by_category.items())
    ]
    report.values = dict(sorted(figures.values.items()))
    # A private donor's goods count in the figures, but it is never named or counted.
    hidden = set(private)
    donors = {pk: n for pk, n in figures.donor_counts.items() if pk not in hidden}
    recipients = figures.recipient_counts  # public_lines keeps public recipients only
    report.donor_total, report.recipient_total = len(donors), len(recipients)
    report.donors, report.recipients = _top_parties(donors, recipients)
    report.timeline = sorted(figures.timeline.items())
    handover_ids = lines.values("handover_id")
    report.vehicles_donated = Vehicle.objects.filter(
        donated_stays=True, handover_id__in=handover_ids
    ).count()
    recent_ids = list(
        lines.values_list("handover_id", flat=True)
        .order_by("-public_from", "-handover_id")
        .distinct()[:40]
    )
    recent_ids = list(dict.fromkeys(recent_ids))[:10]
    report.recent = list(
        Handover.objects.filter(pk__in=recent_ids)
        .select_related("recipient", "convoy__organisation")
        .order_by("-confirmed_at", "-pk")
    )
    return report


def _top_parties(
    donors: dict[int, int], recipients: dict[int, int]
) -> tuple[list[Party], list[Party]]:
    """The PARTIES_SHOWN donors and recipients with the most deliveries, listed by
    deliveries then name (the older organisation goes first where a tie crosses the cut).

    Only those are read, with the columns a report's line shows, in one query: the
    network's report has hundreds of each, and every row was read for the first twenty.
    """

    def first(counts: dict[int, int]) -> list[int]:
        return sorted(counts, key=lambda pk: (-counts[pk], pk))[:PARTIES_SHOWN]

    top_donors, top_recipients = first(donors), first(recipients)
    orgs = Organisation.objects.only("slug", "name", "original_language").in_bulk(
        {*top_donors, *top_recipients}
    )

    def parties(pks: list[int], counts: dict[int, int]) -> list[Party]:
        found = [Party(orgs[pk], counts[pk]) for pk in pks if pk in orgs]
        return sorted(found, key=lambda p: (-p.deliveries, p.name))

    return parties(top_donors, donors), parties(top_recipients, recipients)


@dataclass
class _Figures:
    deliveries: int = 0
    by_category: dict[str, list[Any]] = field(default_factory=dict)
    values: dict[str, Decimal] = field(default_factory=dict)
    donor_counts: dict[int, int] = field(default_factory=dict)
    recipient_counts: dict[int, int] = field(default_factory=dict)
    timeline: dict[datetime.date, int] = field(default_factory=dict)

    def add_category(self, category: str, currency: str, q: Any, v: Any, n: int) -> None:
        entry = self.by_category.setdefault(category, [Decimal(0), 0])
        entry[0] += q or Decimal(0)
        entry[1] += n
        if currency:
            self.values[currency] = self.values.get(currency, Decimal(0)) + (v or Decimal(0))


def _month(value: Any) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


# GROUPING() bits, in argument order category, currency, donor, recipient, month: a bit is 1
# when that column is rolled up in the row's grouping set.
_SETS = {31: "total", 7: "category", 27: "donor", 29: "recipient", 30: "month"}


_GROUPING_HEAD = """
    SELECT GROUPING(category, currency, donor_id, recipient_id, month),
           category, currency, donor_id, recipient_id, month,
           SUM(received), SUM(value), COUNT(*), COUNT(DISTINCT handover_id)
    FROM ("""
_GROUPING_TAIL = """) AS l(handover_id, category, currency, donor_id, recipient_id, received, value, month)
    GROUP BY GROUPING SETS ((), (category, currency), (donor_id), (recipient_id), (month))
"""


def _figures_grouping_sets(lines: QuerySet[ManifestLine]) -> _Figures:
    """Every figure in one scan of the scoped lines (PostgreSQL GROUPING SETS)."""
    inner = (
        lines.annotate(month=TruncMonth("delivered_at"))
        .values_list(
            "handover_id",
            "item__category",
            "currency",
            "donor_organisation_id",
            "recipient_id",
            "received_quantity",
            "estimated_value",
            "month",
        )
        .order_by()
    )
    sql, params = inner.query.sql_with_params()
    # The inner SQL is Django's own, with its parameters passed separately: no user text.
    query = "".join([_GROUPING_HEAD, sql, _GROUPING_TAIL])
    figures = _Figures()
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        for g, category, currency, donor, recipient, month, q, v, n, handovers in cursor.fetchall():
            kind = _SETS.get(g)
            if kind == "total":
                figures.deliveries = handovers if n else 0
            elif kind == "category":
                figures.add_category(category, currency, q, v, n)
            elif kind == "donor" and donor is not None:
                figures.donor_counts[donor] = handovers
            elif kind == "recipient":
                figures.recipient_counts[recipient] = handovers
            elif kind == "month" and month is not None:
                figures.timeline[_month(month)] = handovers
    return figures


def _figures_by_queries(lines: QuerySet[ManifestLine]) -> _Figures:
    """The same figures, one grouped query each (SQLite has no GROUPING SETS)."""
    figures = _Figures()
    figures.deliveries = lines.aggregate(n=Count("handover_id", distinct=True))["n"] or 0
    for row in (
        lines.values("item__category", "currency")
        .annotate(q=Sum("received_quantity"), v=Sum("estimated_value"), n=Count("pk"))
        .order_by()
    ):
        figures.add_category(row["item__category"], row["currency"], row["q"], row["v"], row["n"])
    figures.donor_counts = dict(
        lines.exclude(donor_organisation=None)
        .values("donor_organisation_id")
        .annotate(d=Count("handover_id", distinct=True))
        .values_list("donor_organisation_id", "d")
        .order_by()
    )
    figures.recipient_counts = dict(
        lines.values("recipient_id")
        .annotate(d=Count("handover_id", distinct=True))
        .values_list("recipient_id", "d")
        .order_by()
    )
    for month_row in (
        lines.annotate(month=TruncMonth("delivered_at"))
        .values("month")
        .annotate(n=Count("handover_id", distinct=True))
        .order_by("month")
    ):
        figures.timeline[_month(month_row["month"])] = month_row["n"]
    return figures
