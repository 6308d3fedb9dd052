"""What several event views share: times in the viewer's zone, recordings, the form."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from spilka.events import zones
from spilka.events.models import Event, Recording
from spilka.events.selectors import events_visible_to


def time_context(request: HttpRequest, event: Event | None = None) -> dict[str, Any]:
    default = event.time_zone if event else "UTC"
    zone = zones.viewer_zone(request, default)
    return {
        "viewer_zone": zone.key,
        "zone_choices": zones.COMMON_ZONES,
        "zone_chosen": zones.viewer_zone_chosen(request),
    }


def event_times(event: Event, zone_key: str) -> dict[str, Any]:
    zone = zones.zone_or_none(zone_key) or event.zone
    return {
        "start": zones.local(event.starts_at, zone),
        "end": zones.local(event.ends_at, zone),
        "start_event_zone": zones.local(event.starts_at, event.zone),
        "same_zone": zone.key == event.zone.key,
    }


def embed_hosts() -> frozenset[str]:
    """Video hosts the site's CSP lets us frame (none by default: links open a new tab)."""
    return frozenset(getattr(settings, "SPILKA_EVENTS_EMBED_HOSTS", ()) or ())


def recording_view(recording: Recording) -> dict[str, Any]:
    embed = recording.embed_url
    host = embed.split("/")[2] if embed else ""
    return {
        "recording": recording,
        "embed_url": embed if host and host in embed_hosts() else "",
        "host": recording.host,
    }


def visible_events(request: HttpRequest) -> Any:
    return events_visible_to(request.user)
