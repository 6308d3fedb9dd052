"""Reads for statement and bill pages: a fixed handful of queries, however many signed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, F, OuterRef, Q

from spilka.campaigns.access import cosign_organisations_for_user, statement_can_run
from spilka.campaigns.models import (
    Bill,
    Campaign,
    CampaignStatus,
    CoSignature,
    CoSignatureStatus,
    IndividualSignatory,
    Statement,
    StatementStatus,
)
from spilka.lib.paging import Excerpt, excerpt
from spilka.network.access import user_roles
from spilka.network.models import Organisation

__all__ = [
    "CountryGroup",
    "bill_stages",
    "statement_individuals",
    "statement_page",
    "statement_signatories",
    "statements_latest",
]


@dataclass
class CountryGroup:
    code: str
    name: str
    cosignatures: list[CoSignature] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.cosignatures)


def _may_see(user: Any, organisation: Organisation) -> bool:
    if organisation.is_public:
        return True
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return organisation.pk in user_roles(user)


def statement_cosignatures(statement: Statement) -> list[CoSignature]:
    """Every co-signature of the statement, whatever its status, with its organisation."""
    return list(
        CoSignature.objects.filter(statement=statement)
        .select_related("organisation")
        .only(
            "statement_id",
            "organisation",
            "status",
            "method",
            "evidence_url",
            "confirmed_at",
            "organisation__slug",
            "organisation__name",
            "organisation__original_language",
            "organisation__country",
            "organisation__is_public",
        )
    )


def statement_signatories(
    cosignatures: list[CoSignature], user: Any = None
) -> tuple[list[CountryGroup], int]:
    """Confirmed co-signers grouped by country (sorted by the country's name in the reader's
    language), and how many more confirmed ones are private organisations the reader may not see.
    """
    groups: dict[str, CountryGroup] = {}
    hidden = 0
    for cosignature in cosignatures:
        if cosignature.status != CoSignatureStatus.CONFIRMED:
            continue
        org = cosignature.organisation
        if not _may_see(user, org):
            hidden += 1
            continue
        code = str(org.country or "")
        group = groups.get(code)
        if group is None:
            # django-countries gives a Country; its field is a str to the Django plugin.
            name = str(org.country.name) if code else ""  # type: ignore[attr-defined]
            group = groups[code] = CountryGroup(code, name)
        group.cosignatures.append(cosignature)
    ordered = sorted(groups.values(), key=lambda g: (g.name == "", g.name.casefold()))
    for group in ordered:
        group.cosignatures.sort(key=lambda c: c.organisation.display_name.casefold())
    return ordered, hidden


def statement_individuals(statement: Statement) -> list[IndividualSignatory]:
    """Confirmed individual signatories: names, affiliations and countries, never emails."""
    return list(
        IndividualSignatory.objects.filter(statement=statement, confirmed_at__isnull=False)
        .order_by("full_name", "id")
        .only("full_name", "affiliation", "country")
    )


def statement_page(*, statement: Statement, user: Any) -> dict[str, Any]:
    """Everything the public statement page and its print view show."""
    cosignatures = statement_cosignatures(statement)
    groups, hidden = statement_signatories(cosignatures, user)
    mine: list[dict[str, Any]] = []
    can_run = False
    if getattr(user, "is_authenticated", False):
        by_org = {c.organisation_id: c for c in cosignatures}
        mine = [
            {"organisation": org, "cosignature": by_org.get(org.pk)}
            for org in cosign_organisations_for_user(user)
        ]
        can_run = statement_can_run(user=user, statement=statement)
    return {
        "statement": statement,
        "campaign": statement.campaign,
        "groups": groups,
        "organisation_count": sum(g.count for g in groups) + hidden,
        "hidden_count": hidden,
        "individuals": statement_individuals(statement) if statement.allow_individuals else [],
        "my_organisations": mine,
        "can_run": can_run,
    }


def bill_stages(bill: Bill) -> list[Any]:
    return list(bill.stages.order_by("date", "id"))


def statements_latest(
    *, organisation: Organisation | None = None, limit: int = 5
) -> Excerpt[Statement]:
    """The latest joint statements an anonymous visitor may read (never a draft, nor one of
    a draft or private campaign), newest first, for a front page.

    With ``organisation``: those of campaigns it leads or co-organises, and those it has
    co-signed (confirmed). Same for everyone, so it may be cached.
    """
    public_campaign = Q(campaign__is_public=True) & ~Q(campaign__status=CampaignStatus.DRAFT)
    qs = Statement.objects.exclude(status=StatementStatus.DRAFT).filter(
        Q(campaign__isnull=True) | public_campaign
    )
    if organisation is not None:
        co_organised = Campaign.co_organisers.through.objects.filter(
            campaign_id=OuterRef("campaign_id"), organisation_id=organisation.pk
        )
        cosigned = CoSignature.objects.filter(
            statement_id=OuterRef("pk"),
            organisation_id=organisation.pk,
            status=CoSignatureStatus.CONFIRMED,
        )
        qs = qs.filter(
            Q(campaign__lead_organisation=organisation) | Exists(co_organised) | Exists(cosigned)
        )
    return excerpt(
        qs.only("slug", "title", "original_language", "status", "published_on").order_by(
            F("published_on").desc(nulls_last=True), "-pk"
        ),
        limit,
    )
