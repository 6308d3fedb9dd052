"""The organiser's desk: adoptions to verify, co-signatures to give, and new campaigns.

Not re-exported from ``campaigns.selectors``: only the desk calls these.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from spilka.campaigns.access.campaigns import RUN_ROLES
from spilka.campaigns.access.statements import cosign_can_act_for
from spilka.campaigns.models import (
    Adoption,
    Campaign,
    CampaignStatus,
    CoSignature,
    CoSignatureStatus,
    StatementStatus,
)
from spilka.lib.desk import DeskItem, DeskStart, first_and_count
from spilka.network.access import has_role
from spilka.network.models import Organisation


def _runs_campaigns(user: Any, organisation: Organisation) -> bool:
    return has_role(user, organisation, [str(role) for role in RUN_ROLES])


def _campaigns_run_by(organisation: Organisation) -> Q:
    return Q(lead_organisation=organisation) | Q(co_organisers=organisation)


def desk_items_for(user: Any, organisation: Organisation) -> list[DeskItem]:
    items: list[DeskItem] = []
    if _runs_campaigns(user, organisation):
        # Only the campaign's organisers verify (access.resolutions); the resolution page
        # lists only public bodies' adoptions, so only those are counted.
        campaign_ids = Campaign.objects.filter(_campaigns_run_by(organisation)).values("pk")
        n, first = first_and_count(
            Adoption.objects.filter(
                verified_at__isnull=True,
                body__is_public=True,
                resolution__campaign__in=campaign_ids,
            ),
            "pk",
            "resolution__slug",
        )
        if n and first:
            url = reverse("campaigns:resolution", kwargs={"slug": first["resolution__slug"]})
            items.append(
                DeskItem(
                    kind="campaigns.adoptions",
                    label=ngettext(
                        "%(count)s reported adoption to verify",
                        "%(count)s reported adoptions to verify",
                        n,
                    )
                    % {"count": n},
                    count=n,
                    url=f"{url}#adoption-{first['pk']}",
                )
            )
    if cosign_can_act_for(user=user, organisation=organisation):
        # Co-signatures asked of this organisation (an officer's email not yet answered):
        # its admins and organisers can give it in one click on the statement's page.
        n, first = first_and_count(
            CoSignature.objects.filter(
                organisation=organisation,
                status=CoSignatureStatus.PENDING,
                statement__status=StatementStatus.OPEN,
            ),
            "statement__slug",
        )
        if n and first:
            url = reverse("campaigns:statement", kwargs={"slug": first["statement__slug"]})
            items.append(
                DeskItem(
                    kind="campaigns.cosignatures",
                    label=ngettext(
                        "%(count)s co-signature waiting for confirmation",
                        "%(count)s co-signatures waiting for confirmation",
                        n,
                    )
                    % {"count": n},
                    count=n,
                    url=f"{url}#cosign",
                )
            )
    return items


def desk_starts_for(user: Any, organisation: Organisation) -> list[DeskStart]:
    if not _runs_campaigns(user, organisation):
        return []
    starts = [
        DeskStart(
            kind="campaigns.campaign",
            label=_("New campaign"),
            url=reverse("campaigns:campaign_create"),
        )
    ]
    # A petition belongs to a campaign: offer it for the organisation's latest one.
    latest = (
        Campaign.objects.filter(lead_organisation=organisation)
        .exclude(status=CampaignStatus.ENDED)
        .order_by("-created_at", "-pk")
        .values_list("slug", flat=True)
        .first()
    )
    if latest:
        starts.append(
            DeskStart(
                kind="campaigns.petition",
                label=_("New petition"),
                url=reverse("campaigns:petition_create", kwargs={"slug": latest}),
            )
        )
    return starts
