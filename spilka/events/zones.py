"""Which time zone a visitor sees times in, and how a time is labelled.

Order: a ``?tz=`` choice, then the browser's zone (a cookie set by events.js), then the
event's own zone. The zone is always written next to the time, so nobody guesses.
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils import formats

COOKIE = "spilka_tz"
COMMON_ZONES = (
    "Europe/London",
    "Europe/Warsaw",
    "Europe/Kyiv",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "UTC",
)


def zone_or_none(name: str | None) -> zoneinfo.ZoneInfo | None:
    if not name or len(name) > 64:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def viewer_zone(request: HttpRequest, default: str = "UTC") -> zoneinfo.ZoneInfo:
    return (
        zone_or_none(request.GET.get("tz"))
        or zone_or_none(request.COOKIES.get(COOKIE))
        or zone_or_none(default)
        or zoneinfo.ZoneInfo("UTC")
    )


def viewer_zone_chosen(request: HttpRequest) -> bool:
    return bool(zone_or_none(request.GET.get("tz")) or zone_or_none(request.COOKIES.get(COOKIE)))


@dataclass(frozen=True)
class LocalTime:
    value: datetime.datetime
    zone: str

    @property
    def abbreviation(self) -> str:
        return self.value.tzname() or ""

    @property
    def label(self) -> str:
        """``Europe/Warsaw (CET)``, or just the name when the abbreviation is a number."""
        abbr = self.abbreviation
        if self.zone in ("UTC", "Etc/UTC"):
            return "UTC"
        if not abbr or abbr[0] in "+-" or abbr == self.zone:
            offset = self.value.strftime("%z")
            return f"{self.zone} (UTC{offset[:3]}:{offset[3:]})"
        return f"{self.zone} ({abbr})"

    def __str__(self) -> str:
        return f"{formats.date_format(self.value, 'DATETIME_FORMAT')} {self.label}"


def local(moment: datetime.datetime, zone: zoneinfo.ZoneInfo) -> LocalTime:
    return LocalTime(moment.astimezone(zone), zone.key)
