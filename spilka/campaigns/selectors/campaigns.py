"""Reads for campaign pages."""

from __future__ import annotations

from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from spilka.campaigns.access import campaign_can_run
from spilka.campaigns.models import (
    Campaign,
    CampaignStatus,
    Petition,
    PetitionStatus,
    Signature,
    SignatureStatus,
)
from spilka.events.access import events_visible_to
from spilka.lib.paging import Excerpt, excerpt
from spilka.lib.process_cache import ProcessCache
from spilka.network.access import is_superuser, user_roles
from spilka.network.models import Organisation
from spilka.network.selectors import link_requests_pending_about

__all__ = [
    "campaign_check_pickable",
    "campaigns_pickable_for",
    "petition_for_signing",
    "PetitionState",
    "petition_state",
    "petition_state_recent",
    "campaign_actions",
    "campaign_public_petitions",
    "campaigns_live",
    "petition_export_rows",
    "petition_organisers",
    "petition_recent_public_signers",
    "petition_next_actions",
]


def campaigns_pickable_for(
    *, user: Any, organisation: Organisation | None = None
) -> QuerySet[Campaign]:
    """The campaigns ``user`` may attach something to (a need, a convoy, an event, a fund):
    the one rule for every campaign picker.

    Only campaigns that one of ``user``'s organisations leads or co-organises (with
    ``organisation``: that one, and only if ``user`` holds a role in it), so nothing is
    counted in another organisation's campaign on the attacher's word alone.
    ``campaign_check_pickable`` is the same rule in the services.

    Each campaign comes once: co-organisers are tested with ``Exists``, never joined (a
    join gives one row per co-organiser, and a picker's ``get()`` then fails).
    """

    if is_superuser(user):
        org_ids: list[int] | None = None
    else:
        org_ids = list(user_roles(user))
    if organisation is not None:
        if org_ids is not None and organisation.pk not in org_ids:
            return Campaign.objects.none()
        org_ids = [organisation.pk]
    if org_ids is None:
        return Campaign.objects.all()
    co_organised = Campaign.co_organisers.through.objects.filter(
        campaign_id=OuterRef("pk"), organisation_id__in=org_ids
    )
    return Campaign.objects.filter(Q(lead_organisation_id__in=org_ids) | Exists(co_organised))


def campaign_check_pickable(
    *, campaign: Campaign | None, organisation: Organisation, field: str = "campaign"
) -> None:
    """Refuse (``ValidationError`` on ``field``) a campaign ``organisation`` neither leads
    nor co-organises: what a need, convoy, event or fund of ``organisation`` may join."""

    if campaign is None:
        return
    if campaign.lead_organisation_id == organisation.pk:
        return
    if campaign.co_organisers.filter(pk=organisation.pk).exists():
        return
    raise ValidationError(
        {field: _("Choose a campaign your organisation leads or co-organises.")},
        code="not_pickable",
    )


def petition_organisers(petition: Petition) -> list[Organisation]:
    """The organisers a signer may ask for updates from: only public ones, because a
    consent box must name the organisation it is given to, and a private one is never
    named on a public page (see network.display)."""
    campaign = petition.campaign
    return [
        org
        for org in [campaign.lead_organisation, *campaign.co_organisers.order_by("slug")]
        if org.is_public
    ]


def petition_recent_public_signers(petition: Petition, limit: int = 10) -> list[Signature]:
    """Only names the signers chose to show; never emails or anything else."""
    return list(
        Signature.objects.filter(
            petition=petition, status=SignatureStatus.CONFIRMED, show_name=True
        )
        .order_by("-confirmed_at")
        .only("full_name", "country", "confirmed_at")[:limit]
    )


def petition_next_actions(
    *, petition: Petition, user: Any, limit: int = 3
) -> list[tuple[str, Any]]:
    """What a signer of ``petition`` could do next in the same campaign, for the thanks
    page, as ``(kind, object)``: upcoming events, other petitions still taking signatures,
    open statements and public resolutions, in that order, at most ``limit`` of them. Only
    what the visitor may see (anonymous signers see only public things)."""

    now = timezone.now()
    campaign = petition.campaign
    found: list[tuple[str, Any]] = [
        ("event", event)
        for event in events_visible_to(user)
        .filter(campaign=campaign, ends_at__gt=now)
        .order_by("starts_at", "pk")[:limit]
    ]
    others = campaign.petitions.filter(status=PetitionStatus.OPEN).exclude(pk=petition.pk)
    found += [
        ("petition", other)
        for other in others.order_by("-created_at")[:limit]
        if other.accepts_signatures(now)
    ]
    found += [
        ("statement", statement)
        for statement in campaign.statements.filter(status="open").order_by("-pk")[:limit]
    ]
    found += [
        ("resolution", resolution)
        for resolution in campaign.resolutions.filter(is_public=True).order_by("-pk")[:limit]
    ]
    return found[:limit]


def campaign_public_petitions(campaign: Campaign) -> QuerySet[Petition]:
    return campaign.petitions.exclude(status=PetitionStatus.DRAFT).order_by("-created_at")


# How many open petitions a live campaign shows on a front page (the campaign page has all).
LIVE_PETITIONS_EACH = 2


def campaigns_live(
    *, organisation: Organisation | None = None, limit: int = 6
) -> Excerpt[Campaign]:
    """Active public campaigns for a front page, newest first, with up to
    ``LIVE_PETITIONS_EACH`` of their open petitions (most signed first) in
    ``campaign.live_petitions``, and how many live campaigns there are in all: at most
    three queries, however many campaigns or petitions there are.

    With ``organisation``: the ones it leads or co-organises. Only what an anonymous visitor
    may see, so the result is the same for everyone and may be cached. Each petition's
    count is its ``confirmed_count``, the number its own page shows.
    """

    qs = Campaign.objects.filter(is_public=True, status=CampaignStatus.ACTIVE)
    if organisation is not None:
        co_organised = Campaign.co_organisers.through.objects.filter(
            campaign_id=OuterRef("pk"), organisation_id=organisation.pk
        )
        qs = qs.filter(Q(lead_organisation=organisation) | Exists(co_organised))
    petitions = (
        Petition.objects.filter(status=PetitionStatus.OPEN)
        .defer("text", "target")
        .order_by("-confirmed_count", "pk")
    )
    return excerpt(
        qs.select_related("lead_organisation")
        .prefetch_related(
            # A sliced prefetch: Django keeps the first few per campaign with a window
            # function, so a campaign with a hundred petitions costs no more rows.
            Prefetch(
                "petitions", queryset=petitions[:LIVE_PETITIONS_EACH], to_attr="live_petitions"
            )
        )
        .order_by(F("starts_on").desc(nulls_last=True), "-pk"),
        limit,
    )


def campaign_actions(*, campaign: Campaign, user: Any) -> dict[str, Any]:
    """Everything in a campaign, for its public page."""
    can_run = campaign_can_run(user=user, campaign=campaign)
    petitions = campaign.petitions.all() if can_run else campaign_public_petitions(campaign)
    return {
        "petitions": list(petitions),
        "resolutions": list(
            campaign.resolutions.all() if can_run else campaign.resolutions.filter(is_public=True)
        ),
        "statements": list(
            campaign.statements.all() if can_run else campaign.statements.exclude(status="draft")
        ),
        "bills": list(campaign.bills.prefetch_related("stages")),
        "organisers": [campaign.lead_organisation, *campaign.co_organisers.order_by("slug")],
        "can_run": can_run,
        # Invited organisations are named only to the campaign's organisers, as pending.
        "pending_links": link_requests_pending_about(campaign=campaign) if can_run else [],
    }


def petition_export_rows(petition: Petition) -> QuerySet[Signature, tuple[Any, ...]]:
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


class PetitionState(NamedTuple):
    """What the hot-path caches key on and check, read in one query."""

    confirmed_count: int
    status: str
    campaign_public: bool  # public and not a draft
    has_closing_time: bool


def petition_state(slug: str) -> PetitionState | None:
    """The petition's state for the hot-path caches.

    Plain SQL on purpose: this runs on every view and signature of a viral petition, and
    building the ORM query cost more than running it.
    """
    petitions = Petition._meta.db_table
    campaigns = Campaign._meta.db_table
    with connections[router.db_for_read(Petition)].cursor() as cursor:
        cursor.execute(
            "SELECT p.confirmed_count, p.status, c.is_public, c.status, "  # noqa: S608 (our table names)
            f"p.closes_at IS NOT NULL FROM {petitions} p "
            f"JOIN {campaigns} c ON c.id = p.campaign_id WHERE p.slug = %s",
            [slug],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    count, status, campaign_public, campaign_status, has_closing_time = row
    return PetitionState(
        confirmed_count=count,
        status=status,
        campaign_public=bool(campaign_public) and campaign_status != "draft",
        has_closing_time=bool(has_closing_time),
    )


def petition_state_recent(slug: str) -> PetitionState | None:
    """``petition_state`` as this process saw it at most SPILKA_PETITION_STATE_SECONDS ago.

    A viral petition's page and sign form then cost no database query at all: a new count
    or a closed petition shows within that second (the default).
    """
    seconds = settings.SPILKA_PETITION_STATE_SECONDS
    if not seconds:
        return petition_state(slug)
    held = _recent_states.get(slug)
    if held is not None:
        return held[0]
    state = petition_state(slug)
    _recent_states.set(slug, (state,), seconds)
    return state


_recent_states = ProcessCache()
_for_signing = ProcessCache()


def petition_for_signing(slug: str) -> tuple[Petition, list[Organisation]] | None:
    """The petition (with campaign and lead organisation) and its organisers, kept for a
    few seconds in each process: every signature needs them, and they rarely change.
    The key carries the status, so closing a petition takes effect at once. Read-only."""
    state = petition_state_recent(slug)
    if state is None or not state.campaign_public or state.status == PetitionStatus.DRAFT:
        return None
    key = (slug, state.status)
    found = _for_signing.get(key)
    if found is None:
        petition = Petition.objects.select_related("campaign", "campaign__lead_organisation").get(
            slug=slug
        )
        found = (petition, petition_organisers(petition))
        _for_signing.set(key, found, 5)
    return found
