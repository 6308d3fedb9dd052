"""Who may see model resolutions, report a body's progress and verify it.

A resolution is seen by whoever sees its campaign (a private one only by the campaign's
organisations). Progress on an adoption may be reported by the campaign's organisers and
by the body itself: anyone holding an admin or organiser role in that organisation.
Only the campaign's organisers verify, so a body cannot vouch for itself.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from spilka.campaigns.access.campaigns import (
    RUN_ROLES,
    campaign_can_run,
    campaign_can_see_private,
    campaigns_visible_to,
)
from spilka.campaigns.models import Adoption, Resolution
from spilka.network.access import has_role, user_roles
from spilka.network.models import Organisation

__all__ = [
    "adoption_can_report",
    "adoption_get_for_user",
    "resolution_bodies_for_reporter",
    "resolution_can_report",
    "resolution_get_for_user",
]


def resolution_get_for_user(*, user: Any, slug: str, write: bool = False) -> Resolution:
    """A resolution the visitor may see; with ``write``, one they may change."""
    resolution = (
        Resolution.objects.select_related("campaign", "campaign__lead_organisation")
        .filter(slug=slug, campaign__in=campaigns_visible_to(user))
        .first()
    )
    if resolution is None:
        raise Http404
    if not resolution.is_public and not campaign_can_see_private(
        user=user, campaign=resolution.campaign
    ):
        raise Http404
    if write and not campaign_can_run(user=user, campaign=resolution.campaign):
        raise PermissionDenied
    return resolution


def resolution_bodies_for_reporter(*, user: Any, resolution: Resolution) -> QuerySet[Organisation]:
    """Bodies ``user`` may report for: any public one for organisers, else their own.

    Adoptions are shown publicly, so only public organisations can be bodies.
    """
    public = Organisation.objects.filter(is_public=True)
    if campaign_can_run(user=user, campaign=resolution.campaign):
        return public
    own = [org_id for org_id, held in user_roles(user).items() if held & RUN_ROLES]
    return public.filter(pk__in=own)


def resolution_can_report(*, user: Any, resolution: Resolution) -> bool:
    """Whether ``user`` may report for at least one body (shows the "report" link)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return resolution_bodies_for_reporter(user=user, resolution=resolution).exists()


def adoption_can_report(*, user: Any, adoption: Adoption) -> bool:
    if campaign_can_run(user=user, campaign=adoption.resolution.campaign):
        return True
    return has_role(user, adoption.body, [str(role) for role in RUN_ROLES])


def adoption_get_for_user(
    *, user: Any, resolution: Resolution, pk: int, write: bool = False
) -> Adoption:
    """One adoption of a resolution the visitor may see; ``write`` to report on it."""
    adoption = (
        Adoption.objects.select_related("body", "version", "reported_by", "verified_by")
        .filter(resolution=resolution, pk=pk, body__is_public=True)
        .first()
    )
    if adoption is None:
        raise Http404
    adoption.resolution = resolution
    if write and not adoption_can_report(user=user, adoption=adoption):
        raise PermissionDenied
    return adoption
