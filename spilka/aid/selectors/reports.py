"""The public aid report: confirmed handovers only, aggregated in the database.

Safety: nothing here names a person, reveals a route or a time before arrival (only
confirmed handovers count, and only once their ``publish_after`` has passed), or gives a
location finer than the recipient organisation's region.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from spilka.aid.models import Handover, HandoverStatus, ItemCategory, ManifestLine, Vehicle
from spilka.lib.translated import pick
from spilka.network.models import Organisation


def public_handovers(now: datetime.datetime | None = None) -> QuerySet[Handover]:
    now = now or timezone.now()
    return Handover.objects.filter(
        status=HandoverStatus.CONFIRMED, recipient__is_public=True
    ).filter(Q(publish_after__isnull=True) | Q(publish_after__lte=now))


def _scoped(
    handovers: QuerySet[Handover], organisation: Organisation | None, campaign: Any
) -> QuerySet[Handover]:
    if organisation is not None:
        donated = ManifestLine.objects.filter(
            handover=OuterRef("pk"), donor_organisation=organisation
        )
        handovers = handovers.filter(
            Q(recipient=organisation) | Q(convoy__organisation=organisation) | Exists(donated)
        )
    if campaign is not None:
        served = ManifestLine.objects.filter(
            handover=OuterRef("pk"), need_line__need__campaign=campaign
        )
        handovers = handovers.filter(Q(convoy__campaign=campaign) | Exists(served))
    return handovers


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
    handovers = _scoped(public_handovers(now), organisation, campaign)
    ids = handovers.values("pk")
    lines = ManifestLine.objects.filter(handover__in=ids)
    report = Report()
    report.deliveries = handovers.count()
    report.vehicles_donated = Vehicle.objects.filter(donated_stays=True, handover__in=ids).count()
    labels = dict(ItemCategory.choices)
    for row in (
        lines.values("item__category")
        .annotate(q=Sum("received_quantity"), n=Count("pk"))
        .order_by("item__category")
    ):
        report.by_category.append(
            (
                row["item__category"],
                str(labels.get(row["item__category"], "")),
                row["q"] or Decimal(0),
                row["n"],
            )
        )
    for row in (
        lines.exclude(currency="")
        .values("currency")
        .annotate(v=Sum("estimated_value"))
        .order_by("currency")
    ):
        report.values[row["currency"]] = row["v"] or Decimal(0)
    # Per donor and per recipient: aggregate ids and sums, then fetch the few organisations.
    donor_rows = (
        lines.exclude(donor_organisation=None)
        .values("donor_organisation_id", "currency")
        .annotate(d=Count("handover_id", distinct=True), v=Sum("estimated_value"))
    )
    recipient_rows = lines.values("handover__recipient_id", "currency").annotate(
        d=Count("handover_id", distinct=True), v=Sum("estimated_value")
    )
    donor_stats: dict[int, dict[str, Any]] = defaultdict(lambda: {"d": 0, "v": {}})
    for row in donor_rows:
        stats = donor_stats[row["donor_organisation_id"]]
        stats["d"] = max(stats["d"], row["d"])
        if row["currency"]:
            stats["v"][row["currency"]] = row["v"] or Decimal(0)
    recipient_deliveries = dict(
        handovers.values("recipient_id").annotate(n=Count("pk")).values_list("recipient_id", "n")
    )
    recipient_values: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for row in recipient_rows:
        if row["currency"]:
            recipient_values[row["handover__recipient_id"]][row["currency"]] = row["v"] or Decimal(
                0
            )
    orgs = Organisation.objects.in_bulk(set(donor_stats) | set(recipient_deliveries))
    report.donors = sorted(
        (
            Party(orgs[pk], s["d"], s["v"])
            for pk, s in donor_stats.items()
            if pk in orgs and orgs[pk].is_public
        ),
        key=lambda p: (-p.deliveries, p.name),
    )
    report.recipients = sorted(
        (
            Party(orgs[pk], n, recipient_values.get(pk, {}))
            for pk, n in recipient_deliveries.items()
            if pk in orgs
        ),
        key=lambda p: (-p.deliveries, p.name),
    )
    report.timeline = [
        (
            row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"],
            row["n"],
        )
        for row in handovers.annotate(month=TruncMonth("confirmed_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    ]
    report.recent = list(
        handovers.select_related("recipient", "convoy__organisation").order_by("-confirmed_at")[:10]
    )
    return report


def org_name(org: Organisation) -> str:
    return pick(org.name, org.original_language).text or org.slug
