"""iCalendar output: public feeds (no private link, ever) and a registrant's own .ics.

UIDs are stable (``event-<id>@<host>``) so calendar apps update an event in place when it
moves or is cancelled. Times are written in the organiser's zone with a VTIMEZONE.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from urllib.parse import urlparse

import icalendar
from django.conf import settings
from django.utils import timezone

from spilka.events.models import Event, EventStatus, Registration
from spilka.lib.translated import pick
from spilka.network.display import public_name

PRODID = "-//Spilka//events//EN"


@functools.lru_cache(maxsize=64)
def _vtimezone(tzid: str) -> icalendar.Timezone:
    """The VTIMEZONE of ``tzid``, built once per process (3 ms a zone in every feed before);
    only read afterwards. ``ValueError`` for a zone the time-zone database lacks."""
    return icalendar.Timezone.from_tzid(tzid)


def _add_timezones(cal: icalendar.Calendar) -> None:
    """A VTIMEZONE for every zone the events use, ahead of them, as icalendar's
    ``add_missing_timezones`` does."""
    at = len(cal.timezones)
    for tzid in sorted(cal.get_missing_tzids()):
        try:
            zone = _vtimezone(tzid)
        except ValueError:
            continue
        cal.subcomponents.insert(at, zone)
        at += 1


def event_uid(event: Event, host: str) -> str:
    return f"event-{event.pk}@{host}"


def _public_location(event: Event) -> str:
    if event.is_virtual:
        return "Online"
    # django-countries gives a Country; its field is a str to the Django plugin.
    country = event.country.name  # type: ignore[attr-defined]
    parts = [event.venue_name, event.address, event.city, str(country or "")]
    return ", ".join(p for p in parts if p)


def _vevent(
    event: Event,
    *,
    host: str,
    page_url: str,
    language: str,
    private_text: str = "",
) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", event_uid(event, host))
    vevent.add("dtstamp", event.updated_at or timezone.now())
    zone = event.zone
    vevent.add("dtstart", event.starts_at.astimezone(zone))
    vevent.add("dtend", event.ends_at.astimezone(zone))
    vevent.add("summary", pick(event.title, event.original_language, language).text)
    description = pick(event.description, event.original_language, language).text
    if page_url:
        description = f"{description}\n\n{page_url}".strip()
    if private_text:
        description = f"{private_text}\n\n{description}".strip()
    if description:
        vevent.add("description", description)
    if page_url:
        vevent.add("url", page_url)
    location = _public_location(event)
    if location:
        vevent.add("location", location)
    vevent.add("status", "CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED")
    vevent.add(
        "organizer", f"mailto:noreply@{host}", parameters={"CN": public_name(event.organiser)}
    )
    vevent.add("last-modified", event.updated_at or timezone.now())
    return vevent


def _calendar(name: str) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    return cal


def public_feed(
    events: Iterable[Event], *, name: str, host: str, url_for: object, language: str
) -> str:
    """A public feed: titles, times, public pages. No join link, no attendee."""
    cal = _calendar(name)
    for event in events:
        cal.add_component(
            _vevent(event, host=host, page_url=url_for(event), language=language)  # type: ignore[operator]
        )
    _add_timezones(cal)
    if not cal.subcomponents:
        # RFC 5545 §3.6: a VCALENDAR holds at least one component, and strict readers
        # (ical4j) refuse an empty one; the site's zone is a harmless one to carry.
        cal.add_component(_vtimezone(settings.TIME_ZONE))
    return cal.to_ical().decode("utf-8")


def registrant_ics(registration: Registration, links: dict[str, str]) -> str:
    """The .ics sent to one registrant: it may carry the join link, it is theirs."""
    event = registration.event

    # The same UID as in the public feeds (host without port), so calendars merge them.
    host = urlparse(links["page_url"]).hostname or "spilka"
    private = ""
    if event.is_virtual and event.join_url:
        private = event.join_url + (f"\n{event.join_details}" if event.join_details else "")
    cal = _calendar(pick(event.title, event.original_language, registration.language).text)
    vevent = _vevent(
        event,
        host=host,
        page_url=links["page_url"],
        language=registration.language,
        private_text=private,
    )
    if private:
        vevent["location"] = event.join_url
    cal.add_component(vevent)
    _add_timezones(cal)
    return cal.to_ical().decode("utf-8")


def parse_ics(text: str) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(text)


def feed_window(now: datetime.datetime | None = None) -> datetime.datetime:
    """Feeds carry events from a year back onwards."""
    return (now or timezone.now()) - datetime.timedelta(days=365)
