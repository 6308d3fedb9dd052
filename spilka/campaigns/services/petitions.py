"""Confirming, withdrawing and mailing petition signatures (signing: ``signing.py``).

Counts stay exact because a signature's status and its petition's counter change in the
same transaction, under a row lock on the signature (PostgreSQL) or the database write
lock (SQLite).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from spilka.campaigns.models import Campaign, Petition, Signature, SignatureStatus
from spilka.campaigns.services.signature_mail import queue_signature_mail
from spilka.campaigns.services.signing import Signer, SignResult, petition_sign  # noqa: F401
from spilka.lib.audit import audit_record, snapshot
from spilka.lib.supporters import (
    ConsentWithdrawal,
    SupporterAction,
    supporter_action_announce,
    supporter_consent_withdraw_announce,
)
from spilka.network import services as network_services
from spilka.network.models import ConsentPurpose
from spilka.network.normalise import normalise_email
from spilka.network.selectors import person_find_for_organisation
from spilka.webhooks import payloads
from spilka.webhooks.services import webhook_emit


def _expiry() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(hours=settings.SPILKA_SIGNATURE_CONFIRM_HOURS)


RESEND_SECONDS = 300


def signature_resend(*, petition: Petition, email: str, base_url: str) -> None:
    """The thank-you page's "send the link again": to the address signed with, at most
    once per signature every five minutes, and only while the petition takes signatures
    (a pending signature's time is never stretched past the closing).

    Returns nothing on purpose: the page answers the same whatever happened. A confirmed
    address is told it has already signed; an unknown one (or one still in the sign
    intake, whose first mail is on its way) gets nothing.
    """
    if not petition.accepts_signatures():
        return
    with transaction.atomic():
        signature = (
            Signature.objects.select_for_update(of=("self",))
            .filter(petition=petition, email=normalise_email(email))
            .first()
        )
        if signature is None or not cache.add(f"resend:{signature.pk}", 1, timeout=RESEND_SECONDS):
            return
        if signature.status == SignatureStatus.PENDING:
            signature.expires_at = _expiry()
            signature.save(update_fields=["expires_at"])
            queue_signature_mail(signature, "confirm", base_url)
        elif signature.status == SignatureStatus.CONFIRMED:
            queue_signature_mail(signature, "already_signed", base_url)


@transaction.atomic
def signature_confirm(*, signature_id: int) -> Signature | None:
    """Count the signature. Idempotent; None when it no longer exists or has expired.

    Closing rule: a signature made while the petition took signatures may still be
    confirmed after it has closed (by its ``closes_at`` or by an organiser), for the rest of
    its link's lifetime (``expires_at``), and then counts like any other; the count of a
    closed petition can so still rise for up to SPILKA_SIGNATURE_CONFIRM_HOURS. Nothing
    new can be signed after closing (the sign view refuses it), and the link's lifetime is
    not stretched after closing (``signature_resend``).
    """
    signature = (
        Signature.objects.select_for_update(of=("self",))
        .select_related("petition", "petition__campaign")
        .filter(pk=signature_id)
        .first()
    )
    if signature is None or signature.status == SignatureStatus.WITHDRAWN:
        return None
    if signature.status == SignatureStatus.CONFIRMED:
        return signature
    if signature.expires_at <= timezone.now():
        signature.delete()
        return None
    signature.status = SignatureStatus.CONFIRMED
    signature.confirmed_at = timezone.now()
    signature.save(update_fields=["status", "confirmed_at"])
    Petition.objects.filter(pk=signature.petition_id).update(
        confirmed_count=F("confirmed_count") + 1
    )
    _consents_to_directory(signature)
    _announce_supporter(signature)
    webhook_emit(
        organisation=signature.petition.campaign.lead_organisation_id,
        event="signature.confirmed",
        data=payloads.signature(signature),
    )
    audit_record(
        actor="signer",
        action="campaigns.signature.confirmed",
        obj=signature,
        organisation=signature.petition.campaign.lead_organisation,
        before={"status": SignatureStatus.PENDING},
        after={"status": SignatureStatus.CONFIRMED},
    )
    return signature


def _consents_to_directory(signature: Signature) -> None:
    """Confirmed consent boxes become consents in each organisation's own records.

    Contact records are per organisation: the signer is matched (by email) only among the
    people that organisation already knows, and otherwise added to its records alone.
    """
    for choice in signature.consents.select_related("organisation"):
        person = person_find_for_organisation(
            email=signature.email, organisation=choice.organisation
        )
        if person is None:
            person = network_services.person_create(
                by="petition signer",
                full_name=signature.full_name,
                email=signature.email,
                country=str(signature.country or ""),
                preferred_language=signature.language
                if signature.language in {"en", "uk", "pl", "ru"}
                else "en",
            )
        network_services.consent_record(
            person=person,
            organisation=choice.organisation,
            purpose=ConsentPurpose.UPDATES,
            granted=True,
            wording=choice.wording,
            wording_language=choice.language,
            source=f"petition:{signature.petition.slug}",
        )


def _announce_supporter(signature: Signature) -> None:
    """Each organisation the signer consented to hears of them (outreach keeps its list)."""
    # In organisation order: outreach updates each organisation's supporter counts as it
    # goes, and two confirmations must take those row locks in the same order.
    for choice in signature.consents.order_by("organisation_id"):
        supporter_action_announce(
            SupporterAction(
                organisation_id=choice.organisation_id,
                email=signature.email,
                name=signature.full_name,
                language=signature.language,
                country=str(signature.country or ""),
                kind="petition_signed",
                object_key=f"campaigns.petition:{signature.petition_id}",
                object_label=str(signature.petition)[:300],
                occurred_at=signature.confirmed_at or timezone.now(),
                consented_to_updates=True,
                consent_wording=choice.wording,
                confirmed_by_owner=True,  # the signer pressed the button in the mailed link
            )
        )


@transaction.atomic
def signature_withdraw(*, signature_id: int) -> bool:
    """Withdraw a signature and erase the signer's details from it. Idempotent.

    Every consent the signature gave ends with it: in each organisation's people records
    (``Consent``) and in its supporter list (outreach unsubscribes the signer unless they
    gave that organisation a consent of their own elsewhere, such as a confirmed
    newsletter sign-up). The withdrawal page promises exactly this.
    """
    signature = (
        Signature.objects.select_for_update(of=("self",))
        .select_related("petition", "petition__campaign")
        .filter(pk=signature_id)
        .first()
    )
    if signature is None:
        return False
    if signature.status == SignatureStatus.WITHDRAWN:
        return True
    was_confirmed = signature.status == SignatureStatus.CONFIRMED
    # Updates this petition signed the signer up for end too, in each organisation's records.
    consents = signature.consents.select_related("organisation").order_by("organisation_id")
    for consent in consents if was_confirmed else []:
        person = person_find_for_organisation(
            email=signature.email, organisation=consent.organisation
        )
        if person is not None:
            network_services.consent_record(
                person=person,
                organisation=consent.organisation,
                purpose=ConsentPurpose.UPDATES,
                granted=False,
                wording="Withdrawn with the petition signature.",
                source=f"petition:{signature.petition.slug}",
            )
        supporter_consent_withdraw_announce(
            ConsentWithdrawal(
                organisation_id=consent.organisation_id,
                email=signature.email,
                kind="petition_signed",
                object_key=f"campaigns.petition:{signature.petition_id}",
                occurred_at=timezone.now(),
            )
        )
    signature.consents.all().delete()
    signature.status = SignatureStatus.WITHDRAWN
    signature.withdrawn_at = timezone.now()
    signature.full_name = ""
    signature.email = f"withdrawn-{signature.pk}@invalid.invalid"
    signature.postcode = ""
    signature.organisation_name = ""
    signature.show_name = False
    signature.save()
    if was_confirmed:
        Petition.objects.filter(pk=signature.petition_id).update(
            confirmed_count=F("confirmed_count") - 1
        )
    audit_record(
        actor="signer",
        action="campaigns.signature.withdrawn",
        obj=signature,
        organisation=signature.petition.campaign.lead_organisation,
        before={"status": SignatureStatus.CONFIRMED if was_confirmed else SignatureStatus.PENDING},
        after={"status": SignatureStatus.WITHDRAWN},
    )
    return True


@transaction.atomic
def signatures_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete unconfirmed signatures past their time (and the personal data in them)."""
    deleted, _ = Signature.objects.filter(
        status=SignatureStatus.PENDING, expires_at__lte=now or timezone.now()
    ).delete()
    return deleted


@transaction.atomic
def petition_create(
    *,
    by: Any,
    campaign: Campaign,
    slug: str,
    title: dict[str, str],
    target: dict[str, str],
    text: dict[str, str],
    **fields: Any,
) -> Petition:
    petition = Petition(
        campaign=campaign, slug=slug, title=title, target=target, text=text, **fields
    )
    petition.full_clean()
    petition.save()
    audit_record(
        actor=by,
        action="campaigns.petition.created",
        obj=petition,
        organisation=campaign.lead_organisation,
        after=snapshot(petition),
    )
    return petition


@transaction.atomic
def petition_update(*, petition: Petition, by: Any, **fields: Any) -> Petition:
    allowed = {"title", "original_language", "target", "text", "goal", "status", "closes_at"}
    if set(fields) - allowed:
        raise TypeError(f"Unknown petition fields: {sorted(set(fields) - allowed)}")
    petition = (
        Petition.objects.select_for_update(of=("self",))
        .select_related("campaign")
        .get(pk=petition.pk)
    )
    before = snapshot(petition)
    for name, value in fields.items():
        setattr(petition, name, value)
    petition.full_clean()
    after = snapshot(petition)
    if before != after:
        petition.save()
        audit_record(
            actor=by,
            action="campaigns.petition.updated",
            obj=petition,
            organisation=petition.campaign.lead_organisation,
            before=before,
            after=after,
        )
    return petition
