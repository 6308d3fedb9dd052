"""CSV and HXL-tagged CSV of needs and deliveries; every cell through csv_cell (csv_text).

HXL puts a row of hashtags under the header so humanitarian tools (libhxl, HDX) know
what each column is. Only what public pages show goes in: oblast-level locations unless
the recipient opted in, no names of people, confirmed handovers only.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.utils import timezone

from spilka.aid.models import ManifestLine, Need
from spilka.aid.selectors.reports import public_handovers
from spilka.lib.csv_safe import csv_text
from spilka.lib.numbers import format_quantity
from spilka.lib.translated import pick

NEED_COLUMNS = [
    ("Organisation", "#org +name"),
    ("Oblast", "#adm1 +name"),
    ("Location", "#loc +name"),
    ("Need", "#x_need +name"),
    ("Item", "#item +name"),
    ("Item code", "#item +code"),
    ("Unit", "#item +unit"),
    ("Category", "#sector"),
    ("Quantity needed", "#need +num"),
    ("Pledged", "#x_pledged +num"),
    ("Received", "#x_received +num"),
    ("Priority", "#x_priority"),
    ("Needed by", "#date +end"),
    ("Status", "#status"),
]

DELIVERY_COLUMNS = [
    ("Donor", "#org +name +funder"),
    ("Recipient", "#org +name +impl"),
    ("Oblast", "#adm1 +name"),
    ("Item", "#item +name"),
    ("Item code", "#item +code"),
    ("Category", "#sector"),
    ("Dispatched", "#x_dispatched +num"),
    ("Received", "#x_received +num"),
    ("Discrepancy", "#x_discrepancy"),
    ("Value", "#value +outgoing"),
    ("Currency", "#currency +code"),
    ("Date", "#date +reported"),
    ("Status", "#status"),
]


def _write(columns: list[tuple[str, str]], rows: Iterable[list[Any]], hxl: bool) -> str:
    header = [[name for name, _tag in columns]]
    if hxl:
        header.append([tag for _name, tag in columns])
    return csv_text(itertools.chain(header, rows))


def _name(org: Any) -> str:
    return pick(org.name, org.original_language).text or org.slug


def needs_csv(needs: Iterable[Need], *, hxl: bool = False) -> str:
    def rows() -> Iterable[list[Any]]:
        for need in needs:
            location = need.public_location()
            for line in need.lines.all():
                yield [
                    _name(need.organisation),
                    need.get_oblast_display(),
                    location,
                    str(need),
                    str(line.item),
                    line.item.code,
                    line.item.unit,
                    line.item.category,
                    format_quantity(line.quantity),
                    format_quantity(line.pledged),
                    format_quantity(line.received),
                    need.priority,
                    need.needed_by,
                    need.status,
                ]

    return _write(NEED_COLUMNS, rows(), hxl)


def deliveries_queryset(handovers: Any = None) -> Any:
    handovers = handovers if handovers is not None else public_handovers()
    return (
        ManifestLine.objects.filter(handover__in=handovers.values("pk"))
        # A donor's own delay (Pledge.publish_after) holds its lines back too.
        .filter(
            Q(pledge_line__isnull=True)
            | Q(pledge_line__pledge__publish_after__isnull=True)
            | Q(pledge_line__pledge__publish_after__lte=timezone.now())
        )
        .select_related("item", "donor_organisation", "handover__recipient", "need_line__need")
        .order_by("handover__confirmed_at", "pk")
    )


def deliveries_csv(lines: Iterable[ManifestLine], *, hxl: bool = False) -> str:
    def rows() -> Iterable[list[Any]]:
        for line in lines:
            recipient = line.handover.recipient
            need = line.need_line.need if line.need_line is not None else None
            yield [
                # A donor that is not public stays unnamed, as on the report pages.
                _name(line.donor_organisation)
                if line.donor_organisation is not None and line.donor_organisation.is_public
                else "",
                recipient_name(recipient),
                need.get_oblast_display() if need else recipient.region,
                str(line.item),
                line.item.code,
                line.item.category,
                format_quantity(line.quantity),
                format_quantity(line.received_quantity),
                line.discrepancy,
                line.estimated_value if line.estimated_value is not None else "",
                line.currency,
                line.handover.confirmed_at.date() if line.handover.confirmed_at else "",
                line.handover.status,
            ]

    return _write(DELIVERY_COLUMNS, rows(), hxl)


def recipient_name(org: Any) -> str:
    return _name(org)
