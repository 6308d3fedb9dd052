"""Supporters: recording what people do with an organisation (from the other apps, the
API and the petition backfill), consent withdrawn, unsubscribes, bounces and complaints.

Tags and lists are ``groups``; merging two records of one person is ``merging``."""

from __future__ import annotations

import datetime
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from spilka.campaigns.models import SignatureConsent, SignatureStatus
from spilka.lib.audit import audit_record
from spilka.lib.languages import CONTENT_LANGUAGES
from spilka.lib.paging import keyset_chunks
from spilka.lib.supporters import ConsentWithdrawal, supporter_action_announce
from spilka.lib.supporters import SupporterAction as ActionAnnouncement
from spilka.network.models import Organisation
from spilka.network.normalise import normalise_email
from spilka.outreach.models import (
    ActionObject,
    MailingRecipient,
    Supporter,
    SupporterAction,
    SupporterConsent,
    SupporterStatus,
)
from spilka.outreach.services.counts import supporter_counts_change
from spilka.outreach.services.groups import supporter_add_tag, tag_create
from spilka.outreach.services.public import signup_request, signup_wording
from spilka.webhooks import payloads
from spilka.webhooks.services import webhook_emit


def supporter_record_action(*, action: ActionAnnouncement) -> Supporter | None:
    """Upsert the organisation's supporter for ``action`` and append it to their history.

    Runs inside the announcing app's transaction (a rollback there takes this with it).
    A malformed address is ignored: the producing app has validated what it needed.

    Consent takes effect only when the address owner confirmed it by mail
    (``confirmed_by_owner``): then it is recorded and subscribes the supporter, unless they
    opted out after the moment of that consent (an old signature replayed by a backfill must
    not undo a later unsubscribe). A consent nobody confirmed (a donation an organiser typed
    in) subscribes no one: the address is mailed a sign-up confirmation instead.
    """
    try:
        email = normalise_email(action.email)
    except ValidationError:
        return None
    language = action.language if action.language in CONTENT_LANGUAGES else "en"
    with transaction.atomic():
        supporter, created = _supporter_upsert(
            organisation_id=action.organisation_id,
            email=email,
            defaults={
                "name": (action.name or "").strip()[:200],
                "language": language,
                "country": (action.country or "").upper()[:2],
                "source": action.kind[:30],
                "created_at": action.occurred_at,
            },
        )
        status_before = None if created else supporter.status
        fields = []
        if not created:
            if not supporter.name and action.name:
                supporter.name = action.name.strip()[:200]
                fields.append("name")
            if not supporter.country and action.country:
                supporter.country = action.country.upper()[:2]  # type: ignore[assignment]
                fields.append("country")
        if supporter.last_action_at is None or supporter.last_action_at < action.occurred_at:
            supporter.last_action_at = action.occurred_at
            fields.append("last_action_at")
        SupporterAction.objects.create(
            supporter=supporter,
            kind=action.kind[:30],
            object_key=action.object_key[:100],
            object_label=action.object_label[:300],
            occurred_at=action.occurred_at,
        )
        action_object_note(
            organisation_id=action.organisation_id,
            object_key=action.object_key[:100],
            object_label=action.object_label[:300],
        )
        if action.consented_to_updates and action.confirmed_by_owner:
            SupporterConsent.objects.create(
                supporter=supporter,
                granted=True,
                wording=action.consent_wording[:2000],
                language=language,
                source=consent_key(action.kind, action.object_key),
                recorded_at=action.occurred_at,
            )
            # Only a consent its owner confirmed subscribes anyone; an address that bounces or
            # complained stays off.
            if supporter.status == SupporterStatus.NO_CONSENT or (
                supporter.status == SupporterStatus.UNSUBSCRIBED
                and not _opted_out_since(supporter, action.occurred_at)
            ):
                if supporter.status == SupporterStatus.UNSUBSCRIBED:
                    audit_record(
                        actor="supporter",
                        action="outreach.supporter.resubscribed",
                        obj=supporter,
                        organisation=supporter.organisation,
                        before={"status": supporter.status},
                        after={"status": SupporterStatus.SUBSCRIBED, "via": action.kind},
                    )
                supporter.status = SupporterStatus.SUBSCRIBED
                fields.append("status")
                webhook_emit(
                    organisation=supporter.organisation_id,
                    event="supporter.subscribed",
                    data=payloads.supporter(supporter, via=action.kind),
                )
        elif action.consented_to_updates and supporter.status == SupporterStatus.NO_CONSENT:
            # Someone who unsubscribed (or whose address fails) is not asked again.
            _consent_confirmation_request(action=action, email=email, language=language)
        if fields:
            supporter.updated_at = timezone.now()
            supporter.save(update_fields=[*fields, "updated_at"])
        supporter_counts_change([(supporter.organisation_id, status_before, supporter.status)])
    return supporter


def action_object_note(*, organisation_id: int, object_key: str, object_label: str) -> None:
    """Add what an action was about to the organisation's list of things its supporters
    did (``ActionObject``), the first time."""
    if not object_key:
        return
    if ActionObject.objects.filter(organisation_id=organisation_id, object_key=object_key).exists():
        return
    ActionObject.objects.bulk_create(  # ON CONFLICT DO NOTHING: another action may add it first
        [
            ActionObject(
                organisation_id=organisation_id, object_key=object_key, object_label=object_label
            )
        ],
        ignore_conflicts=True,
    )


def _opted_out_since(supporter: Supporter, moment: Any) -> bool:
    """Did the supporter withdraw consent at or after ``moment``?"""
    return SupporterConsent.objects.filter(
        supporter=supporter, granted=False, recorded_at__gte=moment
    ).exists()


def _consent_confirmation_request(*, action: ActionAnnouncement, email: str, language: str) -> None:
    """Ask the address owner, by mail, to confirm the consent someone else recorded for them
    (the sign-up form's double opt-in; per-address mail limit applies)."""

    organisation = Organisation.objects.filter(pk=action.organisation_id).first()
    if organisation is None:
        return
    signup_request(
        organisation=organisation,
        email=email,
        name=action.name,
        country=(action.country or "").upper()[:2],
        language=language,
        wording=action.consent_wording,
        base_url=getattr(settings, "SPILKA_BASE_URL", ""),
    )


def _supporter_upsert(
    *, organisation_id: int, email: str, defaults: dict[str, Any]
) -> tuple[Supporter, bool]:
    qs = Supporter.objects.select_for_update(of=("self",))
    supporter = qs.filter(organisation_id=organisation_id, email=email).first()
    if supporter is not None:
        return supporter, False
    try:
        with transaction.atomic():  # a savepoint: another request may add the address first
            return Supporter.objects.create(
                organisation_id=organisation_id, email=email, **defaults
            ), True
    except IntegrityError:
        return qs.get(organisation_id=organisation_id, email=email), False


def on_supporter_action(sender: Any, action: ActionAnnouncement, **kwargs: Any) -> None:
    """The signal receiver (connected in ``OutreachConfig.ready``): cheap, no mail, no I/O."""
    supporter_record_action(action=action)


def consent_key(kind: str, object_key: str) -> str:
    """The ``source`` a consent from an announced action is recorded under."""
    return f"{kind}:{object_key}"[:200]


def _consents_in_force(supporter: Supporter) -> set[str]:
    """Sources whose latest decision is a grant, given after the last general unsubscribe."""
    in_force: dict[str, bool] = {}
    for source, granted in (
        SupporterConsent.objects.filter(supporter=supporter)
        .order_by("recorded_at", "id")
        .values_list("source", "granted")
    ):
        if source.startswith("withdrawn:"):
            in_force[source.removeprefix("withdrawn:")] = False
        elif not granted:  # an unsubscribe, a bounce: every earlier consent ends
            in_force = {}
        else:
            in_force[source] = True
    return {source for source, granted in in_force.items() if granted}


@transaction.atomic
def supporter_consent_withdraw(*, withdrawal: ConsentWithdrawal) -> Supporter | None:
    """End the consent that came from a withdrawn action (a petition signature).

    A ``granted=False`` row names the ended source. If no other consent stays in force (a
    separate sign-up the person confirmed), the supporter is unsubscribed: nobody is mailed
    on a consent they took back, and a later import cannot subscribe them again.
    """
    try:
        email = normalise_email(withdrawal.email)
    except ValidationError:
        return None
    supporter = (
        Supporter.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .filter(organisation_id=withdrawal.organisation_id, email=email)
        .first()
    )
    if supporter is None:
        return None
    key = consent_key(withdrawal.kind, withdrawal.object_key)
    if key not in _consents_in_force(supporter):
        return supporter  # nothing from it in force (already ended, or never given)
    SupporterConsent.objects.create(
        supporter=supporter,
        granted=False,
        wording="Withdrawn with the action that gave it.",
        source=f"withdrawn:{key}"[:200],
        recorded_at=withdrawal.occurred_at,
    )
    before = supporter.status
    remaining = _consents_in_force(supporter)
    if supporter.status == SupporterStatus.SUBSCRIBED and not remaining:
        supporter.status = SupporterStatus.UNSUBSCRIBED
        supporter.updated_at = timezone.now()
        supporter.save(update_fields=["status", "updated_at"])
        supporter_counts_change([(supporter.organisation_id, before, supporter.status)])
    audit_record(
        actor="supporter",
        action="outreach.supporter.consent_withdrawn",
        obj=supporter,
        organisation=supporter.organisation,
        before={"status": before},
        after={"status": supporter.status, "consent": key, "other_consents": len(remaining)},
    )
    return supporter


def on_consent_withdrawn(sender: Any, withdrawal: ConsentWithdrawal, **kwargs: Any) -> None:
    """The signal receiver (connected in ``OutreachConfig.ready``)."""
    supporter_consent_withdraw(withdrawal=withdrawal)


# --- Recorded through the API ---------------------------------------------------------


class PersonSignup(NamedTuple):
    supporter: Supporter
    created: bool  # False: the address was already the organisation's supporter


@transaction.atomic
def person_signup(
    *,
    organisation: Organisation,
    email: str,
    name: str,
    language: str,
    country: str,
    wants_updates: bool,
    tags: list[str],
    by: Any,
    via: str,
) -> PersonSignup:
    """Record (or match by address) the organisation's supporter from the API, tag them,
    and, if they want updates, ask them by mail to confirm.

    As the web records an organiser-entered action: a consent nobody confirmed subscribes
    no one. A new (or never-asked) address is mailed the sign-up confirmation
    (``signup_request``'s double opt-in); an address that unsubscribed, bounced or
    complained is not asked again, and nothing here changes its status.
    """
    before = Supporter.objects.filter(organisation=organisation, email=email).first()
    supporter_action_announce(
        ActionAnnouncement(
            organisation_id=organisation.pk,
            email=email,
            name=name,
            language=language,
            country=country,
            kind="signed_up",
            object_key=f"api.key:{via}"[:100],
            object_label="API",
            occurred_at=timezone.now(),
            consented_to_updates=wants_updates,
            consent_wording=signup_wording(organisation) if wants_updates else "",
            confirmed_by_owner=False,  # only the address owner's click confirms
        )
    )
    supporter = Supporter.objects.get(organisation=organisation, email=email)
    added = []
    for tag_name in tags:
        tag = tag_create(organisation=organisation, name=tag_name, by=by, reuse=True)
        if supporter_add_tag(supporter=supporter, tag=tag, by=by):
            added.append(tag.name)
    audit_record(
        actor=by,
        action="outreach.supporter.recorded_via_api",
        obj=supporter,
        organisation=organisation,
        before={"status": before.status} if before else None,
        after={
            "status": supporter.status,
            "new": before is None,
            "confirmation_asked": wants_updates and supporter.status == SupporterStatus.NO_CONSENT,
            "tags_added": added,
            "api_key": via,
        },
    )
    return PersonSignup(supporter=supporter, created=before is None)


# --- Unsubscribes (bounces and complaints: ``undeliverable``) ----------------------------


@transaction.atomic
def supporter_unsubscribe(
    *, organisation_id: int, supporter_id: int, mailing_id: int = 0, source: str = "link"
) -> Supporter | None:
    """Take the supporter off the organisation's mail. Idempotent; logged without the address."""
    supporter = (
        Supporter.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .filter(pk=supporter_id, organisation_id=organisation_id)
        .first()
    )
    if supporter is None:
        return None
    now = timezone.now()
    if mailing_id:
        MailingRecipient.objects.filter(
            mailing_id=mailing_id, supporter=supporter, unsubscribed_at__isnull=True
        ).update(unsubscribed_at=now)
    if supporter.status != SupporterStatus.SUBSCRIBED:
        return supporter
    before = supporter.status
    supporter.status = SupporterStatus.UNSUBSCRIBED
    supporter.updated_at = now
    supporter.save(update_fields=["status", "updated_at"])
    supporter_counts_change([(supporter.organisation_id, before, supporter.status)])
    SupporterConsent.objects.create(
        supporter=supporter,
        granted=False,
        wording="Unsubscribed",
        source=f"unsubscribe:{source}"[:200],
        recorded_at=now,
    )
    audit_record(
        actor="supporter",
        action="outreach.supporter.unsubscribed",
        obj=supporter,
        organisation=supporter.organisation,
        before={"status": before},
        after={"status": supporter.status, "mailing": mailing_id or None, "via": source},
    )
    webhook_emit(
        organisation=supporter.organisation_id,
        event="supporter.unsubscribed",
        data=payloads.supporter(supporter, via=source),
    )
    return supporter


# --- Backfill from petitions ----------------------------------------------------------


def supporters_backfill_from_signatures(*, since: datetime.datetime | None = None) -> int:
    """Supporters from confirmed petition signatures whose signers ticked an organisation's
    consent box: for data that existed before outreach listened. Idempotent (a signature
    already in a supporter's history is skipped)."""
    consents = SignatureConsent.objects.filter(
        signature__status=SignatureStatus.CONFIRMED
    ).select_related("signature", "signature__petition")
    if since is not None:
        consents = consents.filter(signature__confirmed_at__gte=since)
    recorded = 0
    for chunk in keyset_chunks(consents, field="pk", size=1000):
        done = _recorded_petition_actions(chunk)
        for consent in chunk:
            signature = consent.signature
            seen = (
                consent.organisation_id,
                signature.email,
                f"campaigns.petition:{signature.petition_id}",
            )
            if seen in done:
                continue
            with transaction.atomic():
                supporter_record_action(action=signature_announcement(signature, consent))
            done.add(seen)
            recorded += 1
    return recorded


def _recorded_petition_actions(consents: list[Any]) -> set[tuple[int, str, str]]:
    """Which of these consents' signatures are already in their supporter's history, as
    (organisation, email, object key): one query for a chunk, not one per consent."""
    return set(
        SupporterAction.objects.filter(
            supporter__organisation_id__in={c.organisation_id for c in consents},
            supporter__email__in={c.signature.email for c in consents},
            object_key__in={f"campaigns.petition:{c.signature.petition_id}" for c in consents},
        ).values_list("supporter__organisation_id", "supporter__email", "object_key")
    )


def signature_announcement(signature: Any, consent: Any) -> ActionAnnouncement:
    """What a confirmed signature tells one organisation its signer consented to."""
    return ActionAnnouncement(
        organisation_id=consent.organisation_id,
        email=signature.email,
        name=signature.full_name,
        language=signature.language,
        country=str(signature.country or ""),
        kind="petition_signed",
        object_key=f"campaigns.petition:{signature.petition_id}",
        object_label=str(signature.petition)[:300],
        occurred_at=signature.confirmed_at or timezone.now(),
        consented_to_updates=True,
        consent_wording=consent.wording,
        confirmed_by_owner=True,  # a confirmed signature: its owner pressed the mailed link
    )
