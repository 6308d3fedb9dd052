"""Joint statements: writing them, inviting co-signers, and the three ways to co-sign.

A co-signature counts only when it is confirmed, and it is confirmed in one of three ways:
by a person holding an admin or organiser role in the organisation (at once), by an
officer answering an email sent to an address at the organisation's own web domain (or the
sign-in address of one of its admins or organisers), or by
the campaign's organisers from public evidence (a link is required). Every change writes an
audit row in the organisation's log in the same transaction.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from spilka.campaigns.access import cosign_can_act_for
from spilka.campaigns.access.statements import (
    COSIGN_CONFIRM_SALT,
    INDIVIDUAL_CONFIRM_SALT,
    SHARED_HOSTS,
    email_digest,
    officer_email_is_known,
    organisation_domain,
)
from spilka.campaigns.models import (
    Campaign,
    CoSignature,
    CoSignatureMethod,
    CoSignatureStatus,
    IndividualSignatory,
    Statement,
    StatementStatus,
)
from spilka.lib import ratelimit
from spilka.lib.audit import audit_record, snapshot
from spilka.lib.mail import email_send_after_commit
from spilka.lib.signing import token_make
from spilka.network.models import Organisation, OrganisationRole, Role
from spilka.network.normalise import normalise_email
from spilka.network.selectors import organisations_check_pickable
from spilka.webhooks import payloads
from spilka.webhooks.services import webhook_emit

# Links in emails --------------------------------------------------------------------


def cosign_link_make(cosignature: CoSignature) -> str:
    # Bound to the officer's address: a later request for the same organisation by someone
    # else makes an older link useless.
    payload = [cosignature.pk, email_digest(cosignature.officer_email)]
    return token_make(payload, purpose=COSIGN_CONFIRM_SALT)


def individual_link_make(signatory: IndividualSignatory) -> str:
    payload = [signatory.pk, email_digest(signatory.email)]
    return token_make(payload, purpose=INDIVIDUAL_CONFIRM_SALT)


def _send(*, to: str, template: str, context: dict[str, Any], language: str) -> None:
    with translation.override(language):
        subject = " ".join(
            render_to_string(f"campaigns/email/{template}_subject.txt", context).split()
        )
        body = render_to_string(f"campaigns/email/{template}.txt", context)
    email_send_after_commit(to=[to], subject=subject, body=body)


def _url(base_url: str, name: str, language: str, **kwargs: Any) -> str:
    with translation.override(language):
        return base_url + reverse(name, kwargs=kwargs)


# Statements -------------------------------------------------------------------------


def _lead(statement: Statement) -> Organisation | None:
    return statement.campaign.lead_organisation if statement.campaign_id else None


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
            organisation=_lead(statement),
            before=before,
            after=after,
        )
    return statement


def _require_open(statement: Statement) -> None:
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
    _require_open(statement)
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
    page_url = _url(base_url, "campaigns:statement", language, slug=statement.slug)
    for org in targets:
        for email in sorted(recipients[org.pk]):
            _send(
                to=email,
                template="cosign_invite",
                context={"statement": statement, "organisation": org, "page_url": page_url},
                language=language,
            )
    audit_record(
        actor=by,
        action="campaigns.statement.invited",
        obj=statement,
        organisation=_lead(statement),
        after={
            "organisations": [org.pk for org in targets],
            "recipients": sum(len(r) for r in recipients.values()),
        },
    )
    return {org_id: len(emails) for org_id, emails in recipients.items()}


# Co-signatures ----------------------------------------------------------------------


def _state(cosignature: CoSignature | None) -> dict[str, Any] | None:
    if cosignature is None:
        return None
    return snapshot(
        cosignature,
        ["statement_id", "organisation_id", "method", "status", "signed_by_id", "evidence_url"],
    )


def _audit(cosignature: CoSignature, action: str, by: Any, before: Any, **extra: Any) -> None:
    audit_record(
        actor=by,
        action=f"campaigns.cosignature.{action}",
        obj=cosignature,
        organisation=cosignature.organisation,
        before=before,
        after={**(_state(cosignature) or {}), **extra},
    )
    if action in {"confirmed", "recorded"}:  # by a role holder, an officer, or evidence
        webhook_emit(
            organisation=_lead(cosignature.statement),
            event="cosignature.confirmed",
            data=payloads.cosignature(cosignature),
        )


def _already_signed(organisation: Organisation) -> ValidationError:
    return ValidationError(
        _("%(organisation)s has already co-signed this statement."),
        code="duplicate",
        params={"organisation": organisation.display_name},
    )


def _locked(statement: Statement, organisation: Organisation) -> CoSignature | None:
    return (
        CoSignature.objects.select_for_update(of=("self",))
        .filter(statement=statement, organisation=organisation)
        .first()
    )


def _save(cosignature: CoSignature, *, new: bool) -> None:
    cosignature.full_clean(validate_unique=False, validate_constraints=False)
    if not new:
        cosignature.save()
        return
    try:
        with transaction.atomic():
            cosignature.save()
    except IntegrityError:
        # Someone else's co-signature for the same organisation won the race.
        raise _already_signed(cosignature.organisation) from None


@transaction.atomic
def cosign_by_role_holder(
    *, statement: Statement, organisation: Organisation, user: Any
) -> CoSignature:
    """Co-sign in one click as an admin or organiser of ``organisation``; confirmed at once."""
    if not cosign_can_act_for(user=user, organisation=organisation):
        raise PermissionDenied
    _require_open(statement)
    existing = _locked(statement, organisation)
    if existing is not None and existing.status == CoSignatureStatus.CONFIRMED:
        raise _already_signed(organisation)
    before = _state(existing)
    # A pending request by email, or an earlier withdrawal, is replaced by this one.
    cosignature = existing or CoSignature(statement=statement, organisation=organisation)
    cosignature.method = CoSignatureMethod.ROLE_HOLDER
    cosignature.status = CoSignatureStatus.CONFIRMED
    cosignature.signed_by = user
    cosignature.officer_name = ""
    cosignature.officer_email = ""
    cosignature.evidence_url = ""
    cosignature.confirmed_at = timezone.now()
    _save(cosignature, new=existing is None)
    _audit(cosignature, "confirmed", user, before)
    return cosignature


def _refusal_mail(
    *, statement: Statement, organisation: Organisation, email: str, language: str, name: str
) -> None:
    """Tell the address itself, and no one else, that it cannot commit the organisation."""
    domain = organisation_domain(organisation)
    _send(
        to=email,
        template="cosign_refused",
        context={
            "statement": statement,
            "organisation": organisation,
            "officer_name": name,
            "domain": domain if domain and domain not in SHARED_HOSTS else "",
        },
        language=language,
    )


@transaction.atomic
def cosign_request_officer(
    *,
    statement: Statement,
    organisation: Organisation,
    officer_name: str,
    officer_email: str,
    language: str = "en",
    base_url: str = "",
) -> CoSignature | None:
    """A co-signature waiting for the officer to confirm it from their email.

    Whether the address may commit the organisation is told only by mail to the address:
    one that may gets a link to confirm, one that may not gets a mail saying why, and the
    caller answers the same either way. Both do the same work (lock, one mail), so the time
    taken tells nothing either. None when nothing was recorded.
    """
    _require_open(statement)
    email = normalise_email(officer_email)
    name = officer_name.strip()
    allowed = officer_email_is_known(organisation=organisation, email=email)
    existing = _locked(statement, organisation)
    if existing is not None and existing.status == CoSignatureStatus.CONFIRMED:
        # Public already: the statement's page lists who has co-signed.
        raise _already_signed(organisation)
    # Asking again must not become a way to flood an inbox, known to us or not.
    # The request and one reminder per ten minutes, known address or not.
    throttle = f"cosign-mail:{statement.pk}:{organisation.pk}:{email_digest(email)}"
    cache.add(throttle, 0, timeout=600)
    if cache.incr(throttle) > 2:
        if (
            allowed
            and existing is not None
            and existing.status == CoSignatureStatus.PENDING
            and existing.officer_email == email
        ):
            return existing
        return None
    if not allowed:
        _refusal_mail(
            statement=statement,
            organisation=organisation,
            email=email,
            language=language,
            name=name,
        )
        return None
    before = _state(existing)
    cosignature = existing or CoSignature(statement=statement, organisation=organisation)
    cosignature.method = CoSignatureMethod.OFFICER_EMAIL
    cosignature.status = CoSignatureStatus.PENDING
    cosignature.signed_by = None
    cosignature.officer_name = name
    cosignature.officer_email = email
    cosignature.evidence_url = ""
    cosignature.confirmed_at = None
    _save(cosignature, new=existing is None)
    _audit(cosignature, "requested", f"officer {email}", before)
    if not ratelimit.address_mail_allowed(email):
        return cosignature  # the address has had its share of mail this hour: same answer
    _send(
        to=email,
        template="cosign_confirm",
        context={
            "cosignature": cosignature,
            "statement": statement,
            "organisation": organisation,
            "confirm_url": _url(
                base_url,
                "campaigns:cosignature_confirm",
                language,
                token=cosign_link_make(cosignature),
            ),
            "hours": settings.SPILKA_SIGNATURE_CONFIRM_HOURS,
        },
        language=language,
    )
    return cosignature


@transaction.atomic
def cosign_confirm_officer(*, cosignature_id: int, digest: str) -> CoSignature | None:
    """Confirm from the emailed link. Idempotent; None when the link no longer applies."""
    cosignature = (
        CoSignature.objects.select_for_update(of=("self",))
        .select_related("statement", "organisation")
        .filter(pk=cosignature_id, method=CoSignatureMethod.OFFICER_EMAIL)
        .first()
    )
    if cosignature is None or email_digest(cosignature.officer_email) != digest:
        return None
    if cosignature.status == CoSignatureStatus.CONFIRMED:
        return cosignature
    if cosignature.status != CoSignatureStatus.PENDING:
        return None
    before = _state(cosignature)
    cosignature.status = CoSignatureStatus.CONFIRMED
    cosignature.confirmed_at = timezone.now()
    cosignature.save(update_fields=["status", "confirmed_at"])
    _audit(cosignature, "confirmed", f"officer {cosignature.officer_email}", before)
    return cosignature


@transaction.atomic
def cosign_record_evidence(
    *,
    statement: Statement,
    organisation: Organisation,
    evidence_url: str,
    by: Any,
    note: str = "",
) -> CoSignature:
    """Organisers record a co-signature given elsewhere, with a link to where it was given."""
    organisations_check_pickable(
        user=by, organisations=[organisation], field="organisation", purpose="signatory"
    )
    if not (evidence_url or "").strip():
        raise ValidationError(
            {
                "evidence_url": _(
                    "Give a link to the evidence: the organisation's own statement, minutes "
                    "or a public post."
                )
            },
            code="required",
        )
    existing = _locked(statement, organisation)
    if existing is not None and existing.status == CoSignatureStatus.CONFIRMED:
        raise _already_signed(organisation)
    if existing is not None and existing.status == CoSignatureStatus.WITHDRAWN:
        raise ValidationError(
            _(
                "%(organisation)s withdrew its co-signature. Only its own admins or organisers "
                "can sign again."
            ),
            code="withdrawn",
            params={"organisation": organisation.display_name},
        )
    before = _state(existing)
    cosignature = existing or CoSignature(statement=statement, organisation=organisation)
    cosignature.method = CoSignatureMethod.EVIDENCE
    cosignature.status = CoSignatureStatus.CONFIRMED
    cosignature.signed_by = None
    cosignature.officer_name = ""
    cosignature.officer_email = ""
    cosignature.evidence_url = evidence_url.strip()
    cosignature.confirmed_at = timezone.now()
    _save(cosignature, new=existing is None)
    _audit(cosignature, "recorded", by, before, note=note.strip()[:500])
    return cosignature


@transaction.atomic
def cosignature_withdraw(*, cosignature: CoSignature, by: Any) -> CoSignature:
    """Withdraw an organisation's co-signature, by its own admins or organisers. Idempotent."""
    cosignature = (
        CoSignature.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=cosignature.pk)
    )
    if not cosign_can_act_for(user=by, organisation=cosignature.organisation):
        raise PermissionDenied
    if cosignature.status == CoSignatureStatus.WITHDRAWN:
        return cosignature
    before = _state(cosignature)
    cosignature.status = CoSignatureStatus.WITHDRAWN
    cosignature.save(update_fields=["status"])
    _audit(cosignature, "withdrawn", by, before)
    return cosignature


# Individual signatories -------------------------------------------------------------


def _send_individual_confirmation(
    signatory: IndividualSignatory, language: str, base_url: str
) -> None:
    if not ratelimit.address_mail_allowed(signatory.email):
        return  # the address has had its share of mail this hour: same answer, no mail
    _send(
        to=signatory.email,
        template="cosign_individual_confirm",
        context={
            "signatory": signatory,
            "statement": signatory.statement,
            "confirm_url": _url(
                base_url,
                "campaigns:individual_confirm",
                language,
                token=individual_link_make(signatory),
            ),
            "hours": settings.SPILKA_SIGNATURE_CONFIRM_HOURS,
        },
        language=language,
    )


def individual_sign(
    *,
    statement: Statement,
    full_name: str,
    email: str,
    affiliation: str = "",
    country: str = "",
    language: str = "en",
    base_url: str = "",
) -> tuple[IndividualSignatory, bool]:
    """Sign in one's own name, waiting for email confirmation; ``(signatory, created)``."""
    if not statement.allow_individuals:
        raise ValidationError(_("This statement is signed by organisations only."), code="closed")
    _require_open(statement)
    email = normalise_email(email)
    try:
        with transaction.atomic():
            signatory = IndividualSignatory(
                statement=statement,
                full_name=full_name.strip(),
                email=email,
                affiliation=affiliation.strip(),
                country=country,
            )
            signatory.full_clean(validate_unique=False, validate_constraints=False)
            signatory.save()
            audit_record(
                actor="signer",
                action="campaigns.individual_signatory.created",
                obj=signatory,
                organisation=_lead(statement),
                after={"statement": statement.pk, "confirmed": False},
            )
            _send_individual_confirmation(signatory, language, base_url)
            # From now on this address is answered like one that signed before: a second
            # try within the window sends nothing either way.
            cache.add(f"individual-resend:{signatory.pk}", 1, timeout=600)
        return signatory, True
    except IntegrityError:
        pass
    # Signed before: the page says the same, and the address gets one mail as a new signer
    # would: a fresh link if unconfirmed, else a note that it is already listed.
    with transaction.atomic():
        signatory = IndividualSignatory.objects.select_for_update(of=("self",)).get(
            statement=statement, email=email
        )
        if cache.add(f"individual-resend:{signatory.pk}", 1, timeout=600):
            if signatory.confirmed_at is None:
                _send_individual_confirmation(signatory, language, base_url)
            else:
                _send(
                    to=signatory.email,
                    template="individual_already_signed",
                    context={"statement": statement},
                    language=language,
                )
    return signatory, False


@transaction.atomic
def individual_confirm(*, signatory_id: int, digest: str) -> IndividualSignatory | None:
    signatory = (
        IndividualSignatory.objects.select_for_update(of=("self",))
        .select_related("statement", "statement__campaign")
        .filter(pk=signatory_id)
        .first()
    )
    if signatory is None or email_digest(signatory.email) != digest:
        return None
    if signatory.confirmed_at is not None:
        return signatory
    signatory.confirmed_at = timezone.now()
    signatory.save(update_fields=["confirmed_at"])
    audit_record(
        actor="signer",
        action="campaigns.individual_signatory.confirmed",
        obj=signatory,
        organisation=_lead(signatory.statement),
        before={"confirmed": False},
        after={"confirmed": True},
    )
    return signatory


@transaction.atomic
def individuals_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete unconfirmed individual signatures (and the personal data in them) past their time."""
    deleted, _count = IndividualSignatory.objects.filter(
        confirmed_at__isnull=True,
        created_at__lte=(now or timezone.now())
        - datetime.timedelta(hours=settings.SPILKA_SIGNATURE_CONFIRM_HOURS),
    ).delete()
    return deleted
