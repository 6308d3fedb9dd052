"""Recurrence rules for forum series: wall-clock times in the organiser's zone, across DST."""

from __future__ import annotations

import datetime
import zoneinfo

from dateutil.rrule import rrulestr
from django.core.exceptions import ValidationError
from django.utils.dates import WEEKDAYS
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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


def _weekday_names() -> dict[str, str]:
    # Django's own translated weekday names, so the four languages need no new entries.
    codes = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
    return dict(zip(codes, map(str, WEEKDAYS.values()), strict=True))


def describe_rule(rule: str) -> str:
    """The rule in words ("Every 2 weeks on Tuesday"); the rule itself when it has no wording.

    Covers what the series form writes (weekly, every N weeks, monthly by weekday) and the
    same with a count or a last date; any other rule (typed by hand in the admin) is shown
    as written rather than described wrongly.
    """
    parts: dict[str, str] = {}
    for piece in rule.strip().removeprefix("RRULE:").split(";"):
        key, _sep, value = piece.partition("=")
        parts[key.strip().upper()] = value.strip().upper()
    freq, interval = parts.pop("FREQ", ""), parts.pop("INTERVAL", "1")
    byday, count, until = parts.pop("BYDAY", ""), parts.pop("COUNT", ""), parts.pop("UNTIL", "")
    names = _weekday_names()
    if parts or not interval.isdecimal() or (count and not count.isdecimal()):
        return rule
    every = int(interval)
    if freq == "WEEKLY" and byday in names:
        if every == 1:
            text = _("Every week on %(day)s") % {"day": names[byday]}
        else:
            text = ngettext(
                "Every %(n)d week on %(day)s", "Every %(n)d weeks on %(day)s", every
            ) % {"n": every, "day": names[byday]}
    elif (
        freq == "MONTHLY"
        and every == 1
        and byday[-2:] in names
        and byday[:-2]
        in (
            "1",
            "2",
            "3",
            "4",
            "-1",
        )
    ):
        # "Week 2 of the month" rather than "the second Tuesday": no ordinal has to agree
        # with the weekday's gender in uk, pl and ru.
        day, nth = names[byday[-2:]], byday[:-2]
        if nth == "-1":
            text = _("Every month on %(day)s of the last week") % {"day": day}
        else:
            text = _("Every month on %(day)s of week %(n)s") % {"day": day, "n": nth}
    else:
        return rule
    if count:
        text += ", " + ngettext("%(n)d time", "%(n)d times", int(count)) % {"n": int(count)}
    elif until:
        try:
            last = datetime.datetime.strptime(until[:8], "%Y%m%d").date()
        except ValueError:
            return rule
        text += ", " + _("until %(date)s") % {"date": date_format(last, "DATE_FORMAT")}
    return text
