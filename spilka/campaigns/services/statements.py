"""Joint statements: writing them and inviting organisations to co-sign.

Co-signing in an organisation's name: ``cosignatures``; signing in one's own name:
``individual_signatories``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from spilka.campaigns.models import Campaign, CoSignatureStatus, Statement, StatementStatus
from spilka.campaigns.services.statement_mail import statement_mail_send, statement_url
from spilka.lib.audit import audit_record, snapshot
from spilka.network.models import Organisation, OrganisationRole, Role
from spilka.network.selectors import organisations_check_pickable


def statement_lead(statement: Statement) -> Organisation | None:
    campaign = statement.campaign
    return campaign.lead_organisation if campaign is not None else None


@transaction.atomic
def statement_create(
    *,
    by: Any,
    campaign: Campaign,
    slug: str,
    title: dict[str, str],
    text: dict[str, str],
    **fields: Any,
) -> Statement:
    statement = Statement(campaign=campaign, slug=slug, title=title, text=text, **fields)
    statement.full_clean()
    statement.save()
    audit_record(
        actor=by,
        action="campaigns.statement.created",
        obj=statement,
        organisation=campaign.lead_organisation,
        after=snapshot(statement),
    )
    return statement


@transaction.atomic
def statement_update(*, statement: Statement, by: Any, **fields: Any) -> Statement:
    statement = Statement.objects.select_for_update(of=("self",)).get(pk=statement.pk)
    before = snapshot(statement)
    for name, value in fields.items():
        setattr(statement, name, value)
    statement.full_clean()
    after = snapshot(statement)
    if before != after:
        statement.save()
        audit_record(
            actor=by,
            action="campaigns.statement.updated",
            obj=statement,
            organisation=statement_lead(statement),
            before=before,
            after=after,
        )
    return statement


def statement_require_open(statement: Statement) -> None:
    if statement.status != StatementStatus.OPEN:
        raise ValidationError(_("This statement is not open for co-signing."), code="closed")


@transaction.atomic
def statement_invite(
    *,
    statement: Statement,
    organisations: list[Organisation],
    by: Any,
    base_url: str = "",
    language: str = "en",
) -> dict[int, int]:
    """Email the admins and organisers of each organisation; ``{organisation id: recipients}``."""
    statement_require_open(statement)
    organisations_check_pickable(
        user=by, organisations=organisations, field="organisations", purpose="signatory"
    )
    signed = set(
        statement.cosignatures.filter(status=CoSignatureStatus.CONFIRMED).values_list(
            "organisation_id", flat=True
        )
    )
    targets = [org for org in organisations if org.pk not in signed]
    grants = OrganisationRole.objects.filter(
        organisation__in=targets, role__in=[Role.ADMIN, Role.ORGANISER], user__is_active=True
    ).values_list("organisation_id", "user__email")
    recipients: dict[int, set[str]] = {org.pk: set() for org in targets}
    for org_id, email in grants:
        recipients[org_id].add(email)
    page_url = statement_url(base_url, "campaigns:statement", language, slug=statement.slug)
    for org in targets:
        for email in sorted(recipients[org.pk]):
            statement_mail_send(
                to=email,
                template="cosign_invite",
                context={"statement": statement, "organisation": org, "page_url": page_url},
                language=language,
            )
    audit_record(
        actor=by,
        action="campaigns.statement.invited",
        obj=statement,
        organisation=statement_lead(statement),
        after={
            "organisations": [org.pk for org in targets],
            "recipients": sum(len(r) for r in recipients.values()),
        },
    )
    return {org_id: len(emails) for org_id, emails in recipients.items()}
