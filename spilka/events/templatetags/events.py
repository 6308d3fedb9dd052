"""``{% load events %}{% campaign_events campaign %}``: a campaign page lists its events."""

from __future__ import annotations

from typing import Any

from django import template

from spilka.events.selectors import campaign_events as select_campaign_events
from spilka.events.views.common import event_times
from spilka.events.zones import viewer_zone_name

register = template.Library()


@register.inclusion_tag("events/_campaign_events.html", takes_context=True)
def campaign_events(context: Any, campaign: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    # The visitor's zone where known, else each event's own (as on the event page).
    zone = viewer_zone_name(request) if request is not None else ""
    events = select_campaign_events(campaign, user)
    return {"rows": [{"event": e, **event_times(e, zone)} for e in events]}
