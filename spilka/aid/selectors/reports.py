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
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from spilka.aid.models import Handover, HandoverStatus, ItemCategory, ManifestLine, Vehicle
from spilka.network.models import Organisation


def public_handovers(now: datetime.datetime | None = None) -> QuerySet[Handover]:
    now = now or timezone.now()
    return Handover.objects.filter(
        status=HandoverStatus.CONFIRMED, recipient__is_public=True
    ).filter(Q(publish_after__isnull=True) | Q(publish_after__lte=now))


def public_lines(
    *,
    organisation: Organisation | None = None,
    campaign: Any = None,
    now: datetime.datetime | None = None,
) -> QuerySet[ManifestLine]:
    """Lines of confirmed, published handovers to public recipients, in scope.

    An organisation's report covers what it gave, what it received and what its convoys
    carried; a campaign's, what its convoys carried and what answered its needs.
    """
    lines = ManifestLine.objects.filter(
        public_from__lte=now or timezone.now(), recipient__is_public=True
    )
    if organisation is not None:
        lines = lines.filter(
            Q(donor_organisation=organisation)
            | Q(recipient=organisation)
            | Q(convoy_organisation=organisation)
        )
    if campaign is not None:
        lines = lines.filter(Q(convoy__campaign=campaign) | Q(need_line__need__campaign=campaign))
    return lines


@dataclass
class Party:
    organisation: Organisation
    deliveries: int
    values: dict[str, Decimal]

    @property
    def name(self) -> str:
        return str(self.organisation)


@dataclass
class Report:
    deliveries: int = 0
    vehicles_donated: int = 0
    by_category: list[tuple[str, str, Decimal, int]] = field(default_factory=list)
    values: dict[str, Decimal] = field(default_factory=dict)
    donors: list[Party] = field(default_factory=list)
    recipients: list[Party] = field(default_factory=list)
    timeline: list[tuple[datetime.date, int]] = field(default_factory=list)
    recent: list[Handover] = field(default_factory=list)


def aid_report(
    *,
    organisation: Organisation | None = None,
    campaign: Any = None,
    now: datetime.datetime | None = None,
) -> Report:
    lines = public_lines(organisation=organisation, campaign=campaign, now=now)
    report = Report()
    report.deliveries = lines.aggregate(n=Count("handover_id", distinct=True))["n"] or 0
    labels = dict(ItemCategory.choices)
    by_category: dict[str, list[Any]] = {}
    for row in (
        lines.values("item__category", "currency")
        .annotate(q=Sum("received_quantity"), v=Sum("estimated_value"), n=Count("pk"))
        .order_by()
    ):
        entry = by_category.setdefault(row["item__category"], [Decimal(0), 0])
        entry[0] += row["q"] or Decimal(0)
        entry[1] += row["n"]
        if row["currency"]:
            report.values[row["currency"]] = report.values.get(row["currency"], Decimal(0)) + (
                row["v"] or Decimal(0)
            )
    report.by_category = [
        (code, str(labels.get(code, code)), q, n) for code, (q, n) in sorted(by_category.items())
    ]
    report.values = dict(sorted(report.values.items()))
    donor_counts = dict(
        lines.exclude(donor_organisation=None)
        .values("donor_organisation_id")
        .annotate(d=Count("handover_id", distinct=True))
        .values_list("donor_organisation_id", "d")
        .order_by()
    )
    recipient_counts = dict(
        lines.values("recipient_id")
        .annotate(d=Count("handover_id", distinct=True))
        .values_list("recipient_id", "d")
        .order_by()
    )
    donor_values: dict[int, dict[str, Decimal]] = defaultdict(dict)
    recipient_values: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for row in (
        lines.exclude(currency="")
        .values("donor_organisation_id", "recipient_id", "currency")
        .annotate(v=Sum("estimated_value"))
        .order_by()
    ):
        value = row["v"] or Decimal(0)
        if row["donor_organisation_id"]:
            bucket = donor_values[row["donor_organisation_id"]]
            bucket[row["currency"]] = bucket.get(row["currency"], Decimal(0)) + value
        bucket = recipient_values[row["recipient_id"]]
        bucket[row["currency"]] = bucket.get(row["currency"], Decimal(0)) + value
    orgs = Organisation.objects.in_bulk(set(donor_counts) | set(recipient_counts))
    report.donors = sorted(
        (
            Party(orgs[pk], n, donor_values.get(pk, {}))
            for pk, n in donor_counts.items()
            if pk in orgs and orgs[pk].is_public
        ),
        key=lambda p: (-p.deliveries, p.name),
    )
    report.recipients = sorted(
        (
            Party(orgs[pk], n, recipient_values.get(pk, {}))
            for pk, n in recipient_counts.items()
            if pk in orgs
        ),
        key=lambda p: (-p.deliveries, p.name),
    )
    report.timeline = [
        (
            row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"],
            row["n"],
        )
        for row in lines.annotate(month=TruncMonth("delivered_at"))
        .values("month")
        .annotate(n=Count("handover_id", distinct=True))
        .order_by("month")
    ]
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
