"""Co-signing a joint statement in an organisation's name.

A co-signature counts only when it is confirmed, and it is confirmed in one of three ways:
by a person holding an admin or organiser role in the organisation (at once), by an
officer answering an email sent to an address at the organisation's own web domain (or the
sign-in address of one of its admins or organisers), or by
the campaign's organisers from public evidence (a link is required). Every change writes an
audit row in the organisation's log in the same transaction.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from spilka.campaigns.access import cosign_can_act_for
from spilka.campaigns.access.statements import (
    SHARED_HOSTS,
    email_digest,
    officer_email_is_known,
    organisation_domain,
)
from spilka.campaigns.models import CoSignature, CoSignatureMethod, CoSignatureStatus, Statement
from spilka.campaigns.services.statement_mail import (
    cosign_link_make,
    statement_mail_send,
    statement_url,
)
from spilka.campaigns.services.statements import statement_lead, statement_require_open
from spilka.lib import ratelimit
from spilka.lib.audit import audit_record, snapshot
from spilka.network.models import Organisation
from spilka.network.normalise import normalise_email
from spilka.network.selectors import organisations_check_pickable
from spilka.webhooks import payloads
from spilka.webhooks.services import webhook_emit


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
            organisation=statement_lead(cosignature.statement),
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
    statement_require_open(statement)
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
    statement_mail_send(
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
    statement_require_open(statement)
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
    statement_mail_send(
        to=email,
        template="cosign_confirm",
        context={
            "cosignature": cosignature,
            "statement": statement,
            "organisation": organisation,
            "confirm_url": statement_url(
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
