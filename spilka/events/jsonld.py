"""schema.org Event JSON-LD for public event pages: never the meeting link.

The block is data (``type="application/ld+json"``), not script the browser runs, so the
CSP's ``script-src 'self'`` does not block it; ``<``, ``>`` and ``&`` are escaped so no
text can close the element.
"""

from __future__ import annotations

import json
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from spilka.events.models import Event, EventStatus
from spilka.lib.translated import pick
from spilka.network.display import public_name

_STATUS: dict[str, str] = {
    EventStatus.SCHEDULED: "https://schema.org/EventScheduled",
    EventStatus.POSTPONED: "https://schema.org/EventPostponed",
    EventStatus.CANCELLED: "https://schema.org/EventCancelled",
    EventStatus.MOVED_ONLINE: "https://schema.org/EventMovedOnline",
}


def event_jsonld(event: Event, *, page_url: str, recordings: list[Any]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": pick(event.title, event.original_language).text,
        "startDate": event.starts_at.astimezone(event.zone).isoformat(),
        "endDate": event.ends_at.astimezone(event.zone).isoformat(),
        "eventStatus": _STATUS.get(event.status, _STATUS[EventStatus.SCHEDULED]),
        "eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode"
        if event.is_virtual
        else "https://schema.org/OfflineEventAttendanceMode",
        "url": page_url,
        "organizer": {
            "@type": "Organization",
            "name": public_name(event.organiser),
        },
    }
    description = pick(event.description, event.original_language).text
    if description:
        data["description"] = description[:500]
    if event.languages:
        data["inLanguage"] = list(event.languages)
    if event.is_virtual:
        # The public page, never the join link.
        data["location"] = {"@type": "VirtualLocation", "url": page_url}
    else:
        address = {"@type": "PostalAddress"}
        if event.address:
            address["streetAddress"] = event.address
        if event.city:
            address["addressLocality"] = event.city
        if event.country:
            address["addressCountry"] = str(event.country)
        data["location"] = {
            "@type": "Place",
            "name": event.venue_name or event.city,
            "address": address,
        }
    if recordings:
        data["recordedIn"] = [
            {"@type": "VideoObject", "name": r.title or data["name"], "url": r.url}
            for r in recordings
        ]
    return data


def as_script(data: dict[str, Any]) -> SafeString:
    text = (
        json.dumps(data, ensure_ascii=False, sort_keys=True)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308
