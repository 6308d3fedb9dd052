"""Who may see or run campaigns and their actions.

A campaign is run by its lead organisation and co-organisers: their admins and organisers
may change it; anyone with a role in them may see it before it is public.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from spilka.campaigns.models import Campaign, CampaignStatus, Petition
from spilka.network.access import is_superuser, user_roles
from spilka.network.models import Organisation, Role

__all__ = [
    "RUN_ROLES",
    "campaign_can_run",
    "campaign_can_see_private",
    "campaign_get_for_user",
    "campaign_organiser_ids",
    "campaigns_visible_to",
    "organisations_running_campaigns",
    "petition_get_for_user",
    "petitions_visible_to",
]

RUN_ROLES = frozenset({Role.ADMIN, Role.ORGANISER})


def _is_superuser(user: Any) -> bool:
    # Only a superuser who has verified a second factor this session (network.access).
    return is_superuser(user)


def campaign_organiser_ids(campaign: Campaign) -> set[int]:
    return {campaign.lead_organisation_id, *campaign.co_organisers.values_list("pk", flat=True)}


def campaign_can_run(*, user: Any, campaign: Campaign) -> bool:
    if _is_superuser(user):
        return True
    roles = user_roles(user)
    if not roles:
        return False
    return any(roles.get(org_id, set()) & RUN_ROLES for org_id in campaign_organiser_ids(campaign))


def campaign_can_see_private(*, user: Any, campaign: Campaign) -> bool:
    if _is_superuser(user):
        return True
    roles = user_roles(user)
    if not roles:
        return False
    return any(roles.get(org_id) for org_id in campaign_organiser_ids(campaign))


def campaigns_visible_to(user: Any) -> QuerySet[Campaign]:
    qs = Campaign.objects.all()
    if _is_superuser(user):
        return qs
    org_ids = list(user_roles(user))
    public = Q(is_public=True) & ~Q(status=CampaignStatus.DRAFT)
    if not org_ids:
        # Visitors with no role (the hot path): no joins, no DISTINCT.
        return qs.filter(public)
    co_organised = Campaign.co_organisers.through.objects.filter(
        campaign_id=OuterRef("pk"), organisation_id__in=org_ids
    )
    return qs.filter(public | Q(lead_organisation_id__in=org_ids) | Exists(co_organised))


def campaign_get_for_user(*, user: Any, slug: str, write: bool = False) -> Campaign:
    campaign = (
        campaigns_visible_to(user).select_related("lead_organisation").filter(slug=slug).first()
    )
    if campaign is None:
        raise Http404
    if write and not campaign_can_run(user=user, campaign=campaign):
        raise PermissionDenied
    return campaign


def petition_get_for_user(*, user: Any, slug: str, write: bool = False) -> Petition:
    """A petition the visitor may see: open or closed ones of visible campaigns, drafts to organisers."""
    petition = (
        Petition.objects.select_related("campaign", "campaign__lead_organisation")
        .filter(slug=slug, campaign__in=campaigns_visible_to(user))
        .first()
    )
    if petition is None:
        raise Http404
    can_run = write or petition.status == "draft"
    if can_run and not campaign_can_run(user=user, campaign=petition.campaign):
        raise Http404 if petition.status == "draft" else PermissionDenied
    return petition


def petitions_visible_to(user: Any) -> QuerySet[Petition]:
    """Every petition ``user`` may see, the list form of ``petition_get_for_user``: open or
    closed petitions of the campaigns ``user`` may see (public ones only when their lead
    organisation is public too), and drafts of the campaigns ``user`` may run."""
    if _is_superuser(user):
        return Petition.objects.all()
    org_ids = list(user_roles(user))
    shown = Q(campaign__in=campaigns_visible_to(user)) & ~Q(status="draft")
    if not org_ids:
        return Petition.objects.filter(shown, campaign__lead_organisation__is_public=True)
    co_organised = Campaign.co_organisers.through.objects.filter(
        campaign_id=OuterRef("campaign_id"), organisation_id__in=org_ids
    )
    own = Q(campaign__lead_organisation_id__in=org_ids) | Q(Exists(co_organised))
    shown &= Q(campaign__lead_organisation__is_public=True) | own
    run_ids = [org_id for org_id, held in user_roles(user).items() if held & RUN_ROLES]
    runs = Campaign.co_organisers.through.objects.filter(
        campaign_id=OuterRef("campaign_id"), organisation_id__in=run_ids
    )
    drafts = Q(status="draft") & (Q(campaign__lead_organisation_id__in=run_ids) | Exists(runs))
    return Petition.objects.filter(shown | drafts)


def organisations_running_campaigns(user: Any) -> QuerySet[Any]:
    """Organisations in whose name ``user`` may start a campaign (admins and organisers)."""
    if _is_superuser(user):
        return Organisation.objects.all()
    org_ids = [org_id for org_id, held in user_roles(user).items() if held & RUN_ROLES]
    return Organisation.objects.filter(pk__in=org_ids)
