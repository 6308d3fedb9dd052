"""Recurrence rules for forum series: wall-clock times in the organiser's zone, across DST."""

from __future__ import annotations

import datetime
import zoneinfo

from dateutil.rrule import rrulestr
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_OCCURRENCES = 60


def parse_rule(rule: str, start: datetime.datetime | None = None):  # type: ignore[no-untyped-def]
    """A dateutil rrule for ``rule`` (an RRULE without DTSTART); ValidationError if bad."""
    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    if not text or "DTSTART" in text.upper() or len(text) > 200:
        raise ValidationError(_("Give a recurrence rule such as FREQ=MONTHLY;BYDAY=2TU."))
    try:
        return rrulestr(text, dtstart=start or datetime.datetime(2000, 1, 1), forceset=False)
    except (ValueError, TypeError):
        raise ValidationError(
            _("This recurrence rule could not be read: try FREQ=MONTHLY;BYDAY=2TU.")
        ) from None


def occurrences(
    *,
    rule: str,
    time_zone: str,
    local_start_time: datetime.time,
    after: datetime.date,
    until: datetime.date,
) -> list[datetime.datetime]:
    """Aware UTC start times from ``after`` to ``until``: the same local time all year round.

    The rule runs on naive local datetimes and each is placed in the zone afterwards, so a
    forum at 18:00 in Los Angeles stays at 18:00 there when the clocks change.
    """
    zone = zoneinfo.ZoneInfo(time_zone)
    start = datetime.datetime.combine(after, local_start_time)
    end = datetime.datetime.combine(until, datetime.time(23, 59))
    result = []
    for naive in parse_rule(rule, start).between(start, end, inc=True):
        result.append(naive.replace(tzinfo=zone).astimezone(datetime.UTC))
        if len(result) >= MAX_OCCURRENCES:
            break
    return result
