"""Which time zone a visitor sees times in, and how a time is labelled.

Order: a ``?tz=`` choice, then the browser's zone (a cookie set by events.js), then a
fallback the page knows (the zone stored on a registration, else the event's own zone).
The zone is always written next to the time, so nobody guesses; where the visitor's zone
differs from the event's, the event's own time is given beside it.
"""

from __future__ import annotations

import datetime
import functools
import re
import zoneinfo
from dataclasses import dataclass
from urllib.parse import unquote

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
# What an IANA name looks like; anything else is not even looked up on disk.
_NAME = re.compile(r"^[A-Za-z_]+(?:/[A-Za-z0-9_+\-]+)*$")


# Old names browsers still report (Chromium's ICU says "Europe/Kiev" for Kyiv) for zones the
# database has renamed: shown by today's name, and understood even where the system's zone
# database leaves the old names out (Debian moved them to tzdata-legacy).
RENAMED = {
    "Europe/Kiev": "Europe/Kyiv",
    "Europe/Uzhgorod": "Europe/Kyiv",
    "Europe/Zaporozhye": "Europe/Kyiv",
    "Asia/Calcutta": "Asia/Kolkata",
    "Asia/Saigon": "Asia/Ho_Chi_Minh",
    "Asia/Katmandu": "Asia/Kathmandu",
    "Asia/Rangoon": "Asia/Yangon",
    "America/Godthab": "America/Nuuk",
    "Atlantic/Faeroe": "Atlantic/Faroe",
    "Etc/UTC": "UTC",
    "Etc/GMT": "UTC",
    "Etc/UCT": "UTC",
    "Etc/Universal": "UTC",
    "Etc/Zulu": "UTC",
    "GMT": "UTC",
    "UCT": "UTC",
    "Universal": "UTC",
    "Zulu": "UTC",
}


@functools.cache
def _known_zones() -> frozenset[str]:
    # Only names the zone database lists: ZoneInfo() also opens odd files ("Europe" is a
    # directory, "posixrules" a link) that no browser ever names.
    return frozenset(zoneinfo.available_timezones()) | {"UTC"}


def zone_name_clean(raw: str | None) -> str:
    """A zone name as a cookie or a query carries it, or "" when it is no zone.

    Older copies of events.js wrote the cookie URL-encoded (``Europe%2FWarsaw``) and some
    clients quote cookie values, so both are undone before the name is checked.
    """
    if not raw or len(raw) > 100:
        return ""
    name = raw.strip().strip('"')
    if "%" in name:
        name = unquote(name)
    name = name.strip()
    name = RENAMED.get(name, name)
    if len(name) > 64 or not _NAME.match(name) or name not in _known_zones():
        return ""
    return name


def zone_or_none(name: str | None) -> zoneinfo.ZoneInfo | None:
    clean = zone_name_clean(name)
    if not clean:
        return None
    try:
        return zoneinfo.ZoneInfo(clean)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return None


def viewer_zone_name(request: HttpRequest) -> str:
    """The zone the visitor asked for (``?tz=``) or their browser reported, else ""."""
    for raw in (request.GET.get("tz"), request.COOKIES.get(COOKIE)):
        name = zone_name_clean(raw)
        if name:
            return name
    return ""


def viewer_zone(request: HttpRequest, default: str = "UTC") -> zoneinfo.ZoneInfo:
    return (
        zone_or_none(viewer_zone_name(request)) or zone_or_none(default) or zoneinfo.ZoneInfo("UTC")
    )


def viewer_zone_chosen(request: HttpRequest) -> bool:
    return bool(viewer_zone_name(request))


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
