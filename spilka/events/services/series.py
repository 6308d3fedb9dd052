"""Starting a recurring series from the organisers' form: a rule, then its occurrences."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from spilka.events.models import Event, Series
from spilka.events.recurrence import MAX_OCCURRENCES, parse_rule
from spilka.events.services.events import series_create, series_generate
from spilka.network.models import Organisation

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKLY, MONTHLY_WEEKDAY = "weekly", "monthly_weekday"


def series_rule(*, frequency: str, interval: int, first_date: datetime.date) -> str:
    """An RRULE (no DTSTART) that the first date itself matches.

    Weekly and every N weeks repeat on the first date's weekday; monthly by weekday repeats
    on the same weekday of the month ("second Tuesday"), or the last one when the first
    date falls in a month's fifth week.
    """
    day = WEEKDAYS[first_date.weekday()]
    if frequency == WEEKLY:
        if not 1 <= interval <= 52:
            raise ValidationError({"interval": _("Repeat every 1 to 52 weeks.")})
        return f"FREQ=WEEKLY;INTERVAL={interval};BYDAY={day}"
    if frequency == MONTHLY_WEEKDAY:
        nth = (first_date.day - 1) // 7 + 1
        return f"FREQ=MONTHLY;BYDAY={-1 if nth == 5 else nth}{day}"
    raise ValidationError({"frequency": _("Choose how often the series meets.")})


def _starts(rule: str, first_date: datetime.date, until: datetime.date) -> int:
    start = datetime.datetime.combine(first_date, datetime.time(0, 0))
    end = datetime.datetime.combine(until, datetime.time(23, 59))
    return len(parse_rule(rule, start).between(start, end, inc=True))


@transaction.atomic
def series_start(
    *,
    by: Any,
    organiser: Organisation,
    slug: str,
    frequency: str,
    interval: int,
    first_date: datetime.date,
    count: int | None = None,
    until: datetime.date | None = None,
    event_fields: dict[str, Any] | None = None,
    **series_fields: Any,
) -> tuple[Series, list[Event]]:
    """Create a series and its occurrences, ``count`` of them or up to ``until``."""
    if (count is None) == (until is None):
        raise ValidationError(_("Give either how many times, or the last date, not both."))
    if count is not None and not 1 <= count <= MAX_OCCURRENCES:
        raise ValidationError(
            {"count": _("Between 1 and %(max)d occurrences at once.") % {"max": MAX_OCCURRENCES}}
        )
    rule = series_rule(frequency=frequency, interval=interval, first_date=first_date)
    if until is not None:
        if until < first_date:
            raise ValidationError({"until": _("The last date must not be before the first.")})
        if _starts(rule, first_date, until) > MAX_OCCURRENCES:
            raise ValidationError(
                {
                    "until": _(
                        "That makes more than %(max)d occurrences: choose an earlier last date."
                    )
                    % {"max": MAX_OCCURRENCES}
                }
            )
    else:
        # Far enough for ``count`` meetings of any frequency the form offers.
        weeks = interval if frequency == WEEKLY else 5
        until = first_date + datetime.timedelta(weeks=weeks * (count or 1) + 1)
    series = series_create(by=by, organiser=organiser, slug=slug, recurrence=rule, **series_fields)
    events = series_generate(
        series=series,
        by=by,
        after=first_date,
        until=until,
        count=count,
        **(event_fields or {}),
    )
    return series, events
