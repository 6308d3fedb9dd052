"""Organisation picker scopes of the campaigns app (see spilka/network/pickers.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from spilka.campaigns import access
from spilka.network.models import Organisation
from spilka.network.pickers import picker_scope

CAMPAIGN_LEADS = "campaign_leads"
RESOLUTION_BODIES = "resolution_bodies"


@picker_scope(CAMPAIGN_LEADS)
def campaign_leads(*, user: Any) -> QuerySet[Organisation]:
    """Organisations in whose name ``user`` may start a campaign."""
    return access.organisations_running_campaigns(user)


@picker_scope(RESOLUTION_BODIES)
def resolution_bodies(*, user: Any, resolution: str) -> QuerySet[Organisation]:
    """Bodies ``user`` may report on for the resolution with this slug."""
    found = access.resolution_get_for_user(user=user, slug=resolution)
    return access.resolution_bodies_for_reporter(user=user, resolution=found)
