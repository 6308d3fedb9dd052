"""Who may see, run and co-sign joint statements.

A statement is run by the organisers of its campaign. Co-signing in an organisation's name
needs an admin or organiser role in that organisation itself: roles elsewhere, even as a
superuser, never let someone speak for an organisation.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from spilka.campaigns.access.campaigns import (
    _is_superuser,
    campaign_can_run,
    campaigns_visible_to,
)
from spilka.campaigns.models import (
    CoSignature,
    CoSignatureStatus,
    IndividualSignatory,
    Statement,
    StatementStatus,
)
from spilka.lib.signing import is_id, token_open
from spilka.network.access import user_roles
from spilka.network.models import Organisation, OrganisationRole, Role
from spilka.network.normalise import normalise_email
from spilka.network.selectors import organisations_pickable_for

__all__ = [
    "COSIGN_CONFIRM_SALT",
    "COSIGN_ROLES",
    "INDIVIDUAL_CONFIRM_SALT",
    "Link",
    "cosign_can_act_for",
    "cosign_organisations_for_user",
    "cosignature_for_link",
    "cosignature_get_for_user",
    "email_digest",
    "individual_for_link",
    "link_read",
    "officer_email_is_known",
    "organisation_domain",
    "statement_can_run",
    "statement_evidence_organisations",
    "statement_get_for_user",
]

COSIGN_ROLES = frozenset({Role.ADMIN, Role.ORGANISER})
COSIGN_CONFIRM_SALT = "spilka.cosignature.confirm"
INDIVIDUAL_CONFIRM_SALT = "spilka.statement.individual.confirm"

# Websites on shared hosts say nothing about who owns an address there.
SHARED_HOSTS = frozenset(
    {"facebook.com", "instagram.com", "twitter.com", "x.com", "t.me", "linktr.ee"}
    | {"gmail.com", "google.com", "sites.google.com", "wordpress.com", "blogspot.com"}
)


def statement_can_run(*, user: Any, statement: Statement) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if statement.campaign is None:
        return _is_superuser(user)
    return campaign_can_run(user=user, campaign=statement.campaign)


def statement_get_for_user(*, user: Any, slug: str, write: bool = False) -> Statement:
    """A statement of a visible campaign; drafts only to those who run it."""
    statement = (
        Statement.objects.select_related("campaign", "campaign__lead_organisation")
        .filter(Q(campaign__isnull=True) | Q(campaign__in=campaigns_visible_to(user)), slug=slug)
        .first()
    )
    if statement is None:
        raise Http404
    needs_run = write or statement.status == StatementStatus.DRAFT
    if needs_run and not statement_can_run(user=user, statement=statement):
        raise Http404 if statement.status == StatementStatus.DRAFT else PermissionDenied
    return statement


def cosign_can_act_for(*, user: Any, organisation: Organisation) -> bool:
    """True when ``user`` is an admin or organiser of ``organisation`` itself."""
    return bool(user_roles(user).get(organisation.pk, set()) & COSIGN_ROLES)


def cosign_organisations_for_user(user: Any) -> QuerySet[Organisation]:
    """Organisations in whose name ``user`` may co-sign."""
    ids = [org_id for org_id, held in user_roles(user).items() if held & COSIGN_ROLES]
    return Organisation.objects.filter(pk__in=ids).order_by("slug")


def cosignature_get_for_user(
    *, user: Any, statement: Statement, organisation_slug: str
) -> CoSignature:
    """A co-signature its organisation's admins or organisers may withdraw."""
    cosignature = (
        CoSignature.objects.select_related("organisation", "statement")
        .filter(statement=statement, organisation__slug=organisation_slug)
        .first()
    )
    if cosignature is None:
        raise Http404
    if not cosign_can_act_for(user=user, organisation=cosignature.organisation):
        raise PermissionDenied
    return cosignature


def organisation_domain(organisation: Organisation) -> str:
    host = (urlsplit(organisation.website or "").hostname or "").lower().rstrip(".")
    return host.removeprefix("www.")


def officer_email_is_known(*, organisation: Organisation, email: str) -> bool:
    """May this address speak for the organisation? At its own web domain (or a subdomain),
    or the sign-in address of one of its admins or organisers.

    Membership in the directory never makes someone an officer, and the answer is told only
    by mail to the address itself: the form says the same whatever it is.
    """
    email = normalise_email(email)
    got = email.rpartition("@")[2].rstrip(".")
    domain = organisation_domain(organisation)
    if domain and domain not in SHARED_HOSTS and (got == domain or got.endswith("." + domain)):
        return True
    return OrganisationRole.objects.filter(
        organisation=organisation,
        role__in=COSIGN_ROLES,
        user__is_active=True,
        user__email__iexact=email,
    ).exists()


# Links in emails: the signed link is the permission ---------------------------------


@dataclass(frozen=True)
class Link:
    pk: int | None = None
    digest: str = ""
    expired: bool = False


def email_digest(email: str) -> str:
    return hashlib.sha256(email.encode()).hexdigest()[:16]


def link_read(token: str, salt: str) -> Link:
    """What a link points at; nothing for a forged or mangled link, ``expired`` when too old."""
    opened = token_open(token, purpose=salt, max_age=settings.SPILKA_SIGNATURE_CONFIRM_HOURS * 3600)
    if opened.expired:
        return Link(expired=True)
    value = opened.value
    if (
        isinstance(value, list)
        and len(value) == 2
        and is_id(value[0])
        and isinstance(value[1], str)
    ):
        return Link(pk=value[0], digest=value[1])
    return Link()


def cosignature_for_link(link: Link) -> CoSignature | None:
    """The co-signature an officer's link confirms, while it still belongs to that address."""
    if link.pk is None:
        return None
    cosignature = (
        CoSignature.objects.select_related("statement", "organisation")
        .filter(pk=link.pk)
        .exclude(status=CoSignatureStatus.WITHDRAWN)
        .first()
    )
    if cosignature is None or email_digest(cosignature.officer_email) != link.digest:
        return None
    return cosignature


def individual_for_link(link: Link) -> IndividualSignatory | None:
    if link.pk is None:
        return None
    signatory = IndividualSignatory.objects.select_related("statement").filter(pk=link.pk).first()
    if signatory is None or email_digest(signatory.email) != link.digest:
        return None
    return signatory


def statement_evidence_organisations(user: Any) -> QuerySet[Organisation]:
    """Organisations an organiser may record a co-signature for or invite: the ones
    ``user`` may pick (network.selectors.organisations_pickable_for)."""
    return organisations_pickable_for(user=user, purpose="signatory").order_by("slug")
