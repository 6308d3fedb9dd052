"""What several event views share: times in the viewer's zone, recordings, the form."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from spilka.events import access, zones
from spilka.events.models import Event, Recording
from spilka.events.selectors import events_visible_to


def time_context(
    request: HttpRequest, event: Event | None = None, fallback: str = ""
) -> dict[str, Any]:
    """The zone this visitor reads times in.

    ``viewer_zone`` is the visitor's own (``?tz=`` or the browser's cookie), else
    ``fallback`` (the zone stored on a registration), else the event's zone. A list of
    events with no visitor zone known gives "": each row then shows its event's own zone,
    so the list and the event page never disagree.
    """
    chosen = zones.viewer_zone_name(request)
    zone = chosen or zones.zone_name_clean(fallback) or (event.zone.key if event else "")
    return {
        "viewer_zone": zone,
        "zone_choices": zones.COMMON_ZONES,
        "zone_chosen": bool(chosen),
    }


def event_times(event: Event, zone_key: str) -> dict[str, Any]:
    """An event's start and end in ``zone_key`` (the event's own zone when ""), and its
    start in its own zone for showing beside it when the two differ."""
    zone = zones.zone_or_none(zone_key) or event.zone
    return {
        "start": zones.local(event.starts_at, zone),
        "end": zones.local(event.ends_at, zone),
        "start_event_zone": zones.local(event.starts_at, event.zone),
        "same_zone": zone.key == event.zone.key,
    }


def moment_in(moment: Any, zone_key: str, event: Event | None = None) -> zones.LocalTime | None:
    """Any instant (an offer's deadline, a check-in) in the reader's zone, labelled."""
    if moment is None:
        return None
    zone = zones.zone_or_none(zone_key) or (event.zone if event else None)
    return zones.local(moment, zone or zones.zoneinfo.ZoneInfo("UTC"))


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


def organiser_chosen(request: HttpRequest) -> tuple[list[Any], Any | None]:
    """The organisations this user runs events for, and the one ``?org=`` names (or the
    only one); ``None`` means the page asks which. Nobody's: 403."""
    orgs = list(access.organisations_running_events(request.user).order_by("slug"))
    if not orgs:
        raise PermissionDenied
    chosen = request.GET.get("org") or (orgs[0].slug if len(orgs) == 1 else "")
    return orgs, next((o for o in orgs if o.slug == chosen), None)
