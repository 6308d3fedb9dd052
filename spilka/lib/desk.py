"""What the organiser's desk shows: shapes every app's desk selectors return.

Here, not in ``accounts``, so that each app can build its own items without importing the
desk (which imports every app's selectors): no import cycles either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db.models import Count, Window


@dataclass(frozen=True)
class DeskItem:
    """Something waiting for the user in one organisation, and where to act on it."""

    kind: str  # stable hook for tests and styling ("funds.claims"), never shown
    label: str  # translated, with the count in it (ngettext)
    count: int
    url: str


@dataclass(frozen=True)
class DeskStart:
    """A button to start something new in one organisation."""

    kind: str
    label: str
    url: str


class FirstAndCount(NamedTuple):
    total: int
    first: dict[str, Any] | None  # the first row's fields, by name; None when there is none


def first_and_count(queryset: Any, *fields: str) -> FirstAndCount:
    """How many rows ``queryset`` has and ``fields`` of its first by pk, in one query.

    The count rides on the first row as a window aggregate, so a desk line that links
    straight to the single waiting thing costs no second query.
    """
    rows = list(
        queryset.annotate(_desk_total=Window(expression=Count("pk")))
        .order_by("pk")
        .values_list("_desk_total", *fields)[:1]
    )
    if not rows:
        return FirstAndCount(0, None)
    total, *values = rows[0]
    return FirstAndCount(int(total), dict(zip(fields, values, strict=True)))
