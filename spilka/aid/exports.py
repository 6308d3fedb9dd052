"""CSV and HXL-tagged CSV of needs and deliveries, streamed; every cell through csv_cell.

HXL puts a row of hashtags under the header so humanitarian tools (libhxl, HDX) know
what each column is. Only what public pages show goes in: oblast-level locations unless
the recipient opted in, no names of people, confirmed handovers only.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from spilka.aid.models import ManifestLine, NeedLine
from spilka.aid.models.needs import oblast_name
from spilka.aid.selectors.reports import public_handovers
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


def _rows(
    columns: list[tuple[str, str]], rows: Iterable[list[Any]], hxl: bool
) -> Iterator[list[Any]]:
    yield [name for name, _tag in columns]
    if hxl:
        yield [tag for _name, tag in columns]
    yield from rows


def _name(org: Any) -> str:
    return pick(org.name, org.original_language).text or org.slug


# What a row reads, and nothing more: an organisation's description and search text would
# otherwise travel with every line. A field left out here and read below costs a query per
# row (test_exports_streamed counts them).
_ORG = ("name", "original_language", "slug", "is_public")
_ITEM = ("item__name", "item__code", "item__unit", "item__category")


def _fields(prefix: str, names: Iterable[str]) -> list[str]:
    return [f"{prefix}{name}" for name in names]


def public_need_lines() -> QuerySet[NeedLine]:
    """Every line of every public need of a public organisation, need by need.

    One query whatever the number of needs: each line carries its need, organisation and
    item (a prefetch of the lines would add a query per chunk of needs read).
    """
    return (
        NeedLine.objects.filter(need__is_public=True, need__organisation__is_public=True)
        .select_related("need__organisation", "item")
        .only(
            "quantity",
            "pledged",
            "received",
            "need",
            "item",
            *_fields(
                "need__",
                (
                    "title",
                    "original_language",
                    "oblast",
                    "hromada",
                    "settlement",
                    "publish_only_oblast",
                    "priority",
                    "needed_by",
                    "status",
                    "organisation",
                ),
            ),
            *_fields("need__organisation__", _ORG),
            *_ITEM,
        )
        .order_by("need_id", "pk")
    )


def needs_rows(lines: Iterable[NeedLine], *, hxl: bool = False) -> Iterator[list[Any]]:
    """The header (and the HXL tags), then one row per need line, as they are read."""

    def rows() -> Iterator[list[Any]]:
        need_id, about_need = None, []
        for line in lines:
            need = line.need
            if need.pk != need_id:
                # Lines come need by need: what describes the need is worked out once.
                need_id = need.pk
                about_need = [
                    _name(need.organisation),
                    need.oblast_name,
                    need.public_location(),
                    str(need),
                ]
            yield [
                *about_need,
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

    return _rows(NEED_COLUMNS, rows(), hxl)


def deliveries_queryset(handovers: Any = None) -> QuerySet[ManifestLine]:
    """Delivered lines the public may see, oldest confirmation first, in one query."""
    handovers = handovers if handovers is not None else public_handovers()
    return (
        ManifestLine.objects.filter(handover__in=handovers.values("pk"))
        # A donor's own delay (Pledge.publish_after) holds its lines back too.
        .filter(
            Q(pledge_line__isnull=True)
            | Q(pledge_line__pledge__publish_after__isnull=True)
            | Q(pledge_line__pledge__publish_after__lte=timezone.now())
        )
        # The need's oblast is all a row takes from the need: read as a column, not as two
        # more objects per row.
        .annotate(need_oblast=F("need_line__need__oblast"))
        .select_related("item", "donor_organisation", "handover__recipient")
        .only(
            "quantity",
            "received_quantity",
            "discrepancy",
            "estimated_value",
            "currency",
            "item",
            "donor_organisation",
            "handover",
            "handover__confirmed_at",
            "handover__status",
            "handover__recipient",
            *_fields("donor_organisation__", _ORG),
            *_fields("handover__recipient__", (*_ORG, "region")),
            *_ITEM,
        )
        .order_by("handover__confirmed_at", "pk")
    )


def deliveries_rows(lines: Iterable[ManifestLine], *, hxl: bool = False) -> Iterator[list[Any]]:
    """The header (and the HXL tags), then one row per delivered line, as they are read."""

    def rows() -> Iterator[list[Any]]:
        # The same few hundred organisations and 27 oblasts come back on every few lines:
        # each name is picked in the reader's language once.
        names: dict[int, str] = {}
        oblasts: dict[str, str] = {}
        for line in lines:
            donor, recipient = line.donor_organisation, line.handover.recipient
            oblast = line.need_oblast  # type: ignore[attr-defined]  # None: no need served
            if donor is not None and donor.pk not in names:
                names[donor.pk] = _name(donor)
            if recipient.pk not in names:
                names[recipient.pk] = recipient_name(recipient)
            if oblast is not None and oblast not in oblasts:
                oblasts[oblast] = oblast_name(oblast)
            yield [
                # A donor that is not public stays unnamed, as on the report pages.
                names[donor.pk] if donor is not None and donor.is_public else "",
                names[recipient.pk],
                oblasts[oblast] if oblast is not None else recipient.region,
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

    return _rows(DELIVERY_COLUMNS, rows(), hxl)


def recipient_name(org: Any) -> str:
    return _name(org)
