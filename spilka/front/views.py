"""The instance's front page; ``front_context`` also fills an organisation's public page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from spilka.events.views.common import event_times, time_context
from spilka.front.selectors import front_sections_cached
from spilka.network.models import Organisation


def front_context(request: HttpRequest, organisation: Organisation | None = None) -> dict[str, Any]:
    """The front sections (cached, the same for everyone) with the events' times in this
    visitor's zone: the ``?tz=`` they chose or their browser's, else each event's own."""
    sections = front_sections_cached(organisation=organisation)
    times = time_context(request)
    return {
        "front": sections,
        "event_rows": [
            {"event": e, **event_times(e, times["viewer_zone"])} for e in sections.events
        ],
        **times,
    }


def front_page(request: HttpRequest) -> HttpResponse:
    return render(request, "front/index.html", front_context(request))
