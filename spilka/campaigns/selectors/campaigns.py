"""Reads for campaign pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from spilka.campaigns.models import Campaign, Petition, PetitionStatus, Signature, SignatureStatus
from spilka.network.models import Organisation

__all__ = [
    "campaign_actions",
    "campaign_public_petitions",
    "petition_export_rows",
    "petition_organisers",
    "petition_recent_public_signers",
]


def petition_organisers(petition: Petition) -> list[Organisation]:
    campaign = petition.campaign
    return [campaign.lead_organisation, *campaign.co_organisers.order_by("slug")]


def petition_recent_public_signers(petition: Petition, limit: int = 10) -> list[Signature]:
    """Only names the signers chose to show; never emails or anything else."""
    return list(
        Signature.objects.filter(
            petition=petition, status=SignatureStatus.CONFIRMED, show_name=True
        )
        .order_by("-confirmed_at")
        .only("full_name", "country", "confirmed_at")[:limit]
    )


def campaign_public_petitions(campaign: Campaign) -> QuerySet[Petition]:
    return campaign.petitions.exclude(status=PetitionStatus.DRAFT).order_by("-created_at")


def campaign_actions(*, campaign: Campaign, user: Any) -> dict[str, Any]:
    """Everything in a campaign, for its public page."""
    from spilka.campaigns.access import campaign_can_run

    can_run = campaign_can_run(user=user, campaign=campaign)
    petitions = campaign.petitions.all() if can_run else campaign_public_petitions(campaign)
    return {
        "petitions": list(petitions),
        "resolutions": list(campaign.resolutions.all()) if hasattr(campaign, "resolutions") else [],
        "statements": list(campaign.statements.all()),
        "bills": list(campaign.bills.prefetch_related("stages")),
        "organisers": [campaign.lead_organisation, *campaign.co_organisers.order_by("slug")],
        "can_run": can_run,
    }


def petition_export_rows(petition: Petition) -> QuerySet[Signature]:
    return (
        Signature.objects.filter(petition=petition, status=SignatureStatus.CONFIRMED)
        .order_by("confirmed_at", "id")
        .values_list(
            "full_name",
            "email",
            "country",
            "postcode",
            "organisation_name",
            "show_name",
            "language",
            "confirmed_at",
        )
    )
