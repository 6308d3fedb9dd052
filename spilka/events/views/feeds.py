"""Public iCalendar feeds: the whole instance, one organisation, one series.

Only public events; never a join link or anyone's name.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from spilka.events import calendar
from spilka.events.models import Event, Series
from spilka.network.models import Organisation


def _feed(request: HttpRequest, events: object, name: str) -> HttpResponse:
    qs = (
        Event.objects.filter(pk__in=events, is_public=True)  # type: ignore[misc]
        .filter(starts_at__gte=calendar.feed_window())
        .select_related("organiser")
        .order_by("starts_at")[:500]
    )
    body = calendar.public_feed(
        qs,
        name=name,
        host=request.get_host().split(":")[0],
        url_for=lambda e: request.build_absolute_uri(e.get_absolute_url()),
        language=request.LANGUAGE_CODE,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="events.ics"'
    response["Cache-Control"] = "public, max-age=300"
    return response


def feed_all(request: HttpRequest) -> HttpResponse:
    return _feed(request, Event.objects.values("pk"), "Spilka")


def feed_organisation(request: HttpRequest, slug: str) -> HttpResponse:
    org = get_object_or_404(Organisation, slug=slug, is_public=True)
    return _feed(request, Event.objects.filter(organiser=org).values("pk"), org.display_name)


def feed_series(request: HttpRequest, slug: str) -> HttpResponse:
    series = get_object_or_404(Series, slug=slug, is_public=True)
    return _feed(request, series.events.values("pk"), str(series))


def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    """ "Add to calendar" for one public event: the same public entry as the feeds, so no
    join link (that goes only to confirmed registrants, in their own .ics)."""
    event = get_object_or_404(Event.objects.select_related("organiser"), slug=slug, is_public=True)
    body = calendar.public_feed(
        [event],
        name=str(event),
        host=request.get_host().split(":")[0],
        url_for=lambda e: request.build_absolute_uri(e.get_absolute_url()),
        language=request.LANGUAGE_CODE,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.pk}.ics"'
    response["Cache-Control"] = "public, max-age=300"
    return response
