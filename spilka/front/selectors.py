"""What a front page shows, gathered from each app's own selector.

The instance's front page and each public organisation's page show the same sections:
live campaigns with their petitions' progress, needs still waiting for pledges, upcoming
events, the latest joint statements and publications. Each section is a bounded excerpt
read in at most three queries, so a page costs the same with ten rows or a million.

Everything here is what an anonymous visitor may see (no private organisation, no draft,
nothing personal), so it is the same for every visitor and is cached for a few seconds:
the objects hold every language, and labels, addresses and times are made when shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django.core.cache import cache

from spilka.aid.selectors.needs import needs_urgent
from spilka.campaigns.selectors import campaigns_live, statements_latest
from spilka.events.selectors import events_upcoming_public
from spilka.lib.paging import Excerpt
from spilka.network.models import Organisation
from spilka.network.selectors import NetworkSummary, network_summary
from spilka.publishing.selectors import publications_latest

# A new petition count, need or publication shows within this many seconds; a busy front
# page costs one cache read meanwhile.
FRONT_CACHE_SECONDS = 30


@dataclass(frozen=True)
class FrontSections:
    campaigns: Excerpt[Any]
    needs: Excerpt[Any]
    events: Excerpt[Any]
    statements: Excerpt[Any]
    publications: Excerpt[Any]
    network: NetworkSummary | None = None

    @property
    def is_empty(self) -> bool:
        return not (
            self.campaigns or self.needs or self.events or self.statements or self.publications
        )


def front_sections(*, organisation: Organisation | None = None) -> FrontSections:
    """The sections of the instance's front page, or of ``organisation``'s page (without
    the network picture: its page draws the organisations around it)."""
    return FrontSections(
        campaigns=campaigns_live(organisation=organisation),
        needs=needs_urgent(organisation=organisation),
        events=events_upcoming_public(organisation=organisation),
        statements=statements_latest(organisation=organisation),
        publications=publications_latest(organisation=organisation),
        network=network_summary() if organisation is None else None,
    )


def front_sections_cached(*, organisation: Organisation | None = None) -> FrontSections:
    key = "front:sections" if organisation is None else f"front:sections:{organisation.pk}"
    return cast(
        FrontSections,
        cache.get_or_set(
            key, lambda: front_sections(organisation=organisation), FRONT_CACHE_SECONDS
        ),
    )
