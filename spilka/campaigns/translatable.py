"""Campaign content volunteers may translate, registered through spilka.lib.translation_registry.

The publishing app's workflow keeps one task per (item, language) and writes published
translations back into these fields. A statement without a campaign has no owning
organisation: only verified superusers see its tasks.
"""

from __future__ import annotations

from spilka.campaigns.models import Campaign, Petition, Resolution, ResolutionVersion, Statement
from spilka.lib.translation_registry import translatable_register


def register() -> None:
    translatable_register(
        Campaign,
        fields=("title", "summary"),
        organisation=lambda campaign: campaign.lead_organisation,
    )
    translatable_register(
        Petition,
        fields=("title", "target", "text"),
        organisation=lambda petition: petition.campaign.lead_organisation,
    )
    translatable_register(
        Resolution,
        fields=("title",),
        organisation=lambda resolution: resolution.campaign.lead_organisation,
    )
    translatable_register(
        ResolutionVersion,
        fields=("text",),
        organisation=lambda version: version.resolution.campaign.lead_organisation,
        source_language=lambda version: version.resolution.original_language,
    )
    translatable_register(
        Statement,
        fields=("title", "text"),
        organisation=lambda statement: (
            statement.campaign.lead_organisation if statement.campaign else None
        ),
    )
