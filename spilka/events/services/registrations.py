"""Registering for events, the waiting list, approval, cancelling and check-in.

Capacity is kept under a row lock on the event (PostgreSQL ``SELECT ... FOR UPDATE``): every
change that takes or frees a place locks the event first, counts, then writes, so two
people can never take the last place at once. Reminders are ``reminders``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from spilka.events.mail import registration_mail
from spilka.events.models import (
    Event,
    EventStatus,
    Question,
    QuestionKind,
    Registration,
    RegistrationConsent,
    RegistrationStatus,
)
from spilka.events.models.registrations import ACTIVE, HOLDS_PLACE

# Reminders queued before they had their own module are stored under this module's path.
from spilka.events.services.reminders import event_reminder  # noqa: F401
from spilka.events.zones import zone_name_clean
from spilka.lib import ratelimit
from spilka.lib.audit import audit_record
from spilka.lib.consents import ConsentChoice
from spilka.lib.supporters import SupporterAction, supporter_action_announce
from spilka.lib.tasks import enqueue_later
from spilka.network.normalise import normalise_email
from spilka.webhooks import payloads
from spilka.webhooks.services import webhook_emit

ANSWER_MAX_LENGTH = 2000


@dataclass(frozen=True)
class RegisterResult:
    registration: Registration
    created: bool  # False: this address was already registered (we mailed its links again)


def offer_hours() -> int:
    return int(getattr(settings, "SPILKA_EVENTS_OFFER_HOURS", 24))


def _lock_event(event: Event) -> Event:
    return (
        Event.objects.select_for_update(of=("self",)).select_related("organiser").get(pk=event.pk)
    )


def _lock_registration(registration_id: int) -> Registration | None:
    """A registration and its event, both locked: the event first, as registering does."""
    found = Registration.objects.filter(pk=registration_id).select_related("event").first()
    if found is None:
        return None
    event = _lock_event(found.event)
    registration = Registration.objects.select_for_update(of=("self",)).get(pk=registration_id)
    registration.event = event
    return registration


def places_taken(event: Event) -> int:
    return Registration.objects.filter(event=event, status__in=HOLDS_PLACE).count()


def clean_answers(questions: list[Question], answers: dict[Any, Any]) -> dict[str, str]:
    """Answers keyed by question id as text; ValidationError naming what is missing."""
    cleaned: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for question in questions:
        raw = answers.get(question.pk, answers.get(str(question.pk)))
        key = f"question_{question.pk}"
        if question.kind == QuestionKind.CHECKBOX:
            value = "yes" if raw in (True, "yes", "on", "true", "1") else ""
        else:
            value = str(raw or "").strip()
        if question.kind == QuestionKind.CHOICE and value and value not in question.choices:
            errors[key] = [_("Choose one of the options.")]
            continue
        if len(value) > ANSWER_MAX_LENGTH:
            errors[key] = [_("Please keep answers under 2000 characters.")]
            continue
        if question.required and not value:
            errors[key] = [_("This question needs an answer.")]
            continue
        if value:
            cleaned[str(question.pk)] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


def registration_refusal(event: Event, now: datetime.datetime | None = None) -> str | None:
    """Why nobody may register now, or None."""
    now = now or timezone.now()
    if event.status == EventStatus.CANCELLED:
        return _("This event has been cancelled.")
    if event.status == EventStatus.POSTPONED:
        return _("This event has been postponed; registration will open again with the new date.")
    if not event.registration_enabled:
        return _("This event takes no registrations.")
    if event.registration_opens_at and now < event.registration_opens_at:
        return _("Registration has not opened yet.")
    if not event.registration_open(now):
        return _("Registration for this event is closed.")
    return None


def event_register(
    *,
    event: Event,
    full_name: str,
    email: str,
    answers: dict[Any, Any] | None = None,
    consents: list[ConsentChoice] | None = None,
    language: str = "en",
    base_url: str = "",
    time_zone: str = "",
    now: datetime.datetime | None = None,
    actor: Any = "registrant",
) -> RegisterResult:
    """Register someone: confirmed, pending approval, or on the waiting list when full.

    ``actor`` is who the audit row names (an API key's actor when recorded through the API).
    """
    email = normalise_email(email)
    full_name = full_name.strip()
    if not full_name:
        raise ValidationError({"full_name": _("Please give your name.")})
    now = now or timezone.now()
    try:
        with transaction.atomic():
            event = _lock_event(event)
            refusal = registration_refusal(event, now)
            if refusal:
                raise ValidationError(refusal)
            cleaned = clean_answers(list(event.questions.all()), answers or {})
            existing = (
                Registration.objects.select_related("event", "event__organiser")
                .filter(event=event, email=email, status__in=ACTIVE)
                .first()
            )
            if existing is not None:
                # Never show another person's registration to whoever typed their address:
                # mail its links to the address instead (within the per-address mail limit).
                if ratelimit.address_mail_allowed(email):
                    registration_mail(existing, "again")
                return RegisterResult(existing, False)
            if event.requires_approval:
                status = RegistrationStatus.PENDING
            elif event.capacity is not None and places_taken(event) >= event.capacity:
                status = RegistrationStatus.WAITLISTED
            else:
                status = RegistrationStatus.CONFIRMED
            registration = Registration(
                event=event,
                full_name=full_name,
                email=email,
                language=language,
                answers=cleaned,
                status=status,
                base_url=base_url[:200],
                # Only a zone the database knows: the value comes from a cookie.
                time_zone=zone_name_clean(time_zone),
                confirmed_at=now if status == RegistrationStatus.CONFIRMED else None,
            )
            registration.full_clean()
            registration.save()
            # Kept with the registration; they take effect (the organisations hear of them)
            # only once the address owner confirms from the mail: ``registration_email_confirm``.
            for choice in consents or []:
                RegistrationConsent.objects.create(
                    registration=registration,
                    organisation=choice.organisation,
                    wording=choice.wording,
                    language=language,
                )
            audit_record(
                actor=actor,
                action="events.registration.created",
                obj=registration,
                organisation=event.organiser,
                after={"event": event.pk, "status": status},
            )
            webhook_emit(
                organisation=event.organiser_id,
                event="registration.created",
                data=payloads.registration(registration),
            )
            if ratelimit.address_mail_allowed(email):
                registration_mail(registration, str(status))
        return RegisterResult(registration, True)
    except IntegrityError:
        # The same address twice at the same moment: the first one won.
        existing = Registration.objects.get(event=event, email=email, status__in=ACTIVE)
        return RegisterResult(existing, False)


def _email_confirmed(registration: Registration, now: datetime.datetime) -> None:
    """The address owner pressed a button behind a link mailed to the address: the address is
    theirs. Their consents take effect now, and the join link may show."""
    registration.email_confirmed_at = now
    registration.save(update_fields=["email_confirmed_at"])
    event = registration.event
    for consent in registration.consents.all():
        supporter_action_announce(
            SupporterAction(
                organisation_id=consent.organisation_id,
                email=registration.email,
                name=registration.full_name,
                language=registration.language,
                country="",
                kind="event_registered",
                object_key=f"events.event:{event.pk}",
                object_label=str(event),
                occurred_at=now,
                consented_to_updates=True,
                consent_wording=consent.wording,
                confirmed_by_owner=True,
            )
        )
    audit_record(
        actor="registrant",
        action="events.registration.email_confirmed",
        obj=registration,
        organisation=event.organiser,
        after={"consents": sorted(c.organisation_id for c in registration.consents.all())},
    )


def registration_email_confirm(
    *, registration_id: int, now: datetime.datetime | None = None
) -> Registration | None:
    """Confirm the registrant's address (from the mailed link's button). Idempotent; None
    when the registration is gone or no longer active."""
    now = now or timezone.now()
    with transaction.atomic():
        registration = _lock_registration(registration_id)
        if registration is None or registration.status not in ACTIVE:
            return None
        if registration.email_confirmed_at is None:
            _email_confirmed(registration, now)
    return registration


def _offer_next(event: Event, now: datetime.datetime) -> Registration | None:
    """Offer a free place to the first on the waiting list. The event row is locked."""
    if event.capacity is not None and places_taken(event) >= event.capacity:
        return None
    if event.is_past(now) or event.is_cancelled:
        return None
    nxt = (
        Registration.objects.select_for_update(of=("self",))
        .filter(event=event, status=RegistrationStatus.WAITLISTED)
        .order_by("created_at", "pk")
        .first()
    )
    if nxt is None:
        return None
    nxt.event = event
    nxt.status = RegistrationStatus.OFFERED
    nxt.offer_expires_at = min(now + datetime.timedelta(hours=offer_hours()), event.starts_at)
    nxt.save(update_fields=["status", "offer_expires_at"])
    audit_record(
        actor="system",
        action="events.registration.offered",
        obj=nxt,
        organisation=event.organiser,
        before={"status": RegistrationStatus.WAITLISTED},
        after={"status": RegistrationStatus.OFFERED, "expires": nxt.offer_expires_at},
    )
    registration_mail(nxt, "offered")

    pk, when = nxt.pk, nxt.offer_expires_at
    transaction.on_commit(lambda: enqueue_later(offer_expire, when, registration_id=pk))
    return nxt


def registration_cancel(
    *, registration_id: int, by: Any = "registrant", now: datetime.datetime | None = None
) -> Registration | None:
    """Cancel a registration (idempotent) and offer a freed place to the waiting list."""
    now = now or timezone.now()
    with transaction.atomic():
        registration = _lock_registration(registration_id)
        if registration is None:
            return None
        event = registration.event
        if registration.status not in ACTIVE:
            return registration
        before = registration.status
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        registration.offer_expires_at = None
        registration.save(update_fields=["status", "cancelled_at", "offer_expires_at"])
        audit_record(
            actor=by,
            action="events.registration.cancelled",
            obj=registration,
            organisation=event.organiser,
            before={"status": before},
            after={"status": RegistrationStatus.CANCELLED},
        )
        webhook_emit(
            organisation=event.organiser_id,
            event="registration.cancelled",
            data=payloads.registration(registration),
        )
        registration_mail(registration, "cancelled")
        if before in HOLDS_PLACE:
            _offer_next(event, now)
    return registration


def offer_accept(
    *, registration_id: int, now: datetime.datetime | None = None
) -> Registration | None:
    """Take the offered place; None when the offer has lapsed or never existed."""
    now = now or timezone.now()
    with transaction.atomic():
        registration = _lock_registration(registration_id)
        if registration is None:
            return None
        event = registration.event
        if registration.status == RegistrationStatus.CONFIRMED:
            return registration
        if registration.status != RegistrationStatus.OFFERED or (
            registration.offer_expires_at and registration.offer_expires_at <= now
        ):
            return None
        registration.status = RegistrationStatus.CONFIRMED
        registration.confirmed_at = now
        registration.offer_expires_at = None
        registration.save(update_fields=["status", "confirmed_at", "offer_expires_at"])
        if registration.email_confirmed_at is None:
            _email_confirmed(registration, now)  # the offer link went to the address only
        audit_record(
            actor="registrant",
            action="events.registration.offer_accepted",
            obj=registration,
            organisation=event.organiser,
            before={"status": RegistrationStatus.OFFERED},
            after={"status": RegistrationStatus.CONFIRMED},
        )
        registration_mail(registration, "confirmed")
    return registration


def offer_expire_due(
    *, registration_id: int, now: datetime.datetime | None = None
) -> Registration | None:
    """If this offer has lapsed, release it and offer the place to the next person."""
    now = now or timezone.now()
    with transaction.atomic():
        registration = _lock_registration(registration_id)
        if registration is None:
            return None
        event = registration.event
        if registration.status != RegistrationStatus.OFFERED:
            return None
        if registration.offer_expires_at and registration.offer_expires_at > now:
            return None  # accepted late, or the offer was renewed: a later task will look
        registration.status = RegistrationStatus.EXPIRED
        registration.save(update_fields=["status"])
        audit_record(
            actor="system",
            action="events.registration.offer_expired",
            obj=registration,
            organisation=event.organiser,
            before={"status": RegistrationStatus.OFFERED},
            after={"status": RegistrationStatus.EXPIRED},
        )
        return _offer_next(event, now)


def registration_decide(
    *, registration: Registration, by: Any, approve: bool, now: datetime.datetime | None = None
) -> Registration:
    """An organiser approves (a place permitting) or declines a pending registration."""
    now = now or timezone.now()
    with transaction.atomic():
        event = _lock_event(registration.event)
        registration = Registration.objects.select_for_update(of=("self",)).get(pk=registration.pk)
        registration.event = event
        if registration.status != RegistrationStatus.PENDING:
            raise ValidationError(_("This registration is no longer waiting for a decision."))
        if approve and event.capacity is not None and places_taken(event) >= event.capacity:
            raise ValidationError(_("The event is full: free a place before approving."))
        registration.status = (
            RegistrationStatus.CONFIRMED if approve else RegistrationStatus.DECLINED
        )
        registration.confirmed_at = now if approve else None
        registration.save(update_fields=["status", "confirmed_at"])
        audit_record(
            actor=by,
            action="events.registration.approved" if approve else "events.registration.declined",
            obj=registration,
            organisation=event.organiser,
            before={"status": RegistrationStatus.PENDING},
            after={"status": registration.status},
        )
        registration_mail(registration, "confirmed" if approve else "declined")
    return registration


@transaction.atomic
def registration_check_in(
    *, registration: Registration, by: Any, checked_in: bool = True
) -> Registration:
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("event", "event__organiser")
        .get(pk=registration.pk)
    )
    if registration.status != RegistrationStatus.CONFIRMED:
        raise ValidationError(_("Only registered people can be checked in."))
    before = registration.checked_in_at
    if checked_in and before is None:
        registration.checked_in_at = timezone.now()
    elif not checked_in:
        registration.checked_in_at = None
    if registration.checked_in_at != before:
        registration.save(update_fields=["checked_in_at"])
        audit_record(
            actor=by,
            action="events.registration.checked_in"
            if checked_in
            else "events.registration.check_in_undone",
            obj=registration,
            organisation=registration.event.organiser,
            before={"checked_in_at": before},
            after={"checked_in_at": registration.checked_in_at},
        )
    return registration


# The background entry point beside the work it runs (spilka/events/tasks.py keeps the
# old paths for jobs already queued).
@task(queue_name="default")
def offer_expire(*, registration_id: int) -> bool:
    return offer_expire_due(registration_id=registration_id) is not None
