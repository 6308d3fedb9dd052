"""Supporters: recording what people do with an organisation, tags and lists, merging
duplicates, unsubscribes, bounces and complaints."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from spilka.campaigns.models import SignatureConsent, SignatureStatus
from spilka.lib.audit import audit_record
from spilka.lib.languages import CONTENT_LANGUAGES
from spilka.lib.supporters import ConsentWithdrawal
from spilka.lib.supporters import SupporterAction as ActionAnnouncement
from spilka.network.models import Organisation
from spilka.network.normalise import normalise_email
from spilka.outreach.models import (
    MailingRecipient,
    RecipientStatus,
    Supporter,
    SupporterAction,
    SupporterConsent,
    SupporterList,
    SupporterStatus,
    Tag,
)
from spilka.outreach.services.public import signup_request
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
    return supporter


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


# --- Tags and lists -------------------------------------------------------------------


@transaction.atomic
def tag_create(*, organisation: Organisation, name: str, by: Any) -> Tag:
    tag = Tag(organisation=organisation, name=name.strip())
    tag.full_clean()
    tag.save()
    audit_record(actor=by, action="outreach.tag.created", obj=tag, organisation=organisation)
    return tag


@transaction.atomic
def list_create(
    *, organisation: Organisation, name: str, description: str = "", by: Any
) -> SupporterList:
    supporter_list = SupporterList(
        organisation=organisation, name=name.strip(), description=description.strip()
    )
    supporter_list.full_clean()
    supporter_list.save()
    audit_record(
        actor=by, action="outreach.list.created", obj=supporter_list, organisation=organisation
    )
    return supporter_list


@transaction.atomic
def supporter_set_groups(
    *, supporter: Supporter, tags: list[Tag], lists: list[SupporterList], by: Any
) -> Supporter:
    """Replace a supporter's tags and lists (all must belong to the supporter's organisation)."""
    groups: list[Tag | SupporterList] = [*tags, *lists]
    for group in groups:
        if group.organisation_id != supporter.organisation_id:
            raise ValidationError(_("That tag or list belongs to another organisation."))
    before = {
        "tags": sorted(supporter.tags.values_list("pk", flat=True)),
        "lists": sorted(supporter.lists.values_list("pk", flat=True)),
    }
    supporter.tags.set(tags)
    supporter.lists.set(lists)
    after = {"tags": sorted(t.pk for t in tags), "lists": sorted(sl.pk for sl in lists)}
    if before != after:
        audit_record(
            actor=by,
            action="outreach.supporter.groups_changed",
            obj=supporter,
            organisation=supporter.organisation,
            before=before,
            after=after,
        )
    return supporter


# --- Merging duplicates ---------------------------------------------------------------

MERGE_FIELDS = ("email", "name", "phone", "language", "country")


@transaction.atomic
def supporter_merge(
    *, keep: Supporter, other: Supporter, choices: dict[str, str], by: Any
) -> Supporter:
    """Fold ``other`` into ``keep``: history, consents, tags, lists and mail receipts move;
    each field in ``choices`` ("keep"/"other") says whose value stays. ``other`` is deleted.

    The audit row names the two ids and which side each field came from, not the values.
    """
    if keep.pk == other.pk or keep.organisation_id != other.organisation_id:
        raise ValidationError(_("Choose two different supporters of the same organisation."))
    bad = {k: v for k, v in choices.items() if k not in MERGE_FIELDS or v not in {"keep", "other"}}
    if bad:
        raise ValidationError(_("Choose, for each field, which value to keep."))
    keep = Supporter.objects.select_for_update(of=("self",)).get(pk=keep.pk)
    other = Supporter.objects.select_for_update(of=("self",)).get(pk=other.pk)
    values = {
        field: getattr(other if choices.get(field) == "other" else keep, field)
        for field in MERGE_FIELDS
    }
    SupporterAction.objects.filter(supporter=other).update(supporter=keep)
    SupporterConsent.objects.filter(supporter=other).update(supporter=keep)
    keep.tags.add(*other.tags.all())
    keep.lists.add(*other.lists.all())
    already = MailingRecipient.objects.filter(supporter=keep).values("mailing_id")
    MailingRecipient.objects.filter(supporter=other).exclude(mailing_id__in=already).update(
        supporter=keep
    )
    # The stricter status wins: someone who unsubscribed under either address stays off.
    order = [
        SupporterStatus.COMPLAINED,
        SupporterStatus.BOUNCED,
        SupporterStatus.UNSUBSCRIBED,
        SupporterStatus.SUBSCRIBED,
        SupporterStatus.NO_CONSENT,
    ]
    status = min((keep.status, other.status), key=lambda s: order.index(s))
    if values["email"] == other.email and status == SupporterStatus.BOUNCED:
        status = other.status
    created_at = min(keep.created_at, other.created_at)
    last = [d for d in (keep.last_action_at, other.last_action_at) if d]
    other_id = other.pk
    other.delete()  # first: the unique email and phone are then free for ``keep``
    for field, value in values.items():
        setattr(keep, field, value)
    keep.status = status
    keep.created_at = created_at
    keep.last_action_at = max(last) if last else None
    keep.updated_at = timezone.now()
    keep.full_clean(exclude=["tags", "lists"])
    keep.save()
    audit_record(
        actor=by,
        action="outreach.supporter.merged",
        obj=keep,
        organisation=keep.organisation,
        before={"kept": keep.pk, "merged": other_id},
        after={"fields_from_merged": sorted(f for f, side in choices.items() if side == "other")},
    )
    return keep


# --- Unsubscribes, bounces, complaints ------------------------------------------------


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


@transaction.atomic
def address_mark_undeliverable(
    *, email: str, kind: str, organisation: Organisation | None = None, via: str = ""
) -> int:
    """A bounce ("bounce") or spam complaint ("complaint") for ``email``: every organisation's
    supporter row with it stops receiving mail (the address is what fails), and its latest
    receipt is marked. ``via`` names the webhook that reported it (for the audit row).
    Returns how many supporters changed."""
    if kind not in {"bounce", "complaint"}:
        raise ValueError("kind must be 'bounce' or 'complaint'")
    email = normalise_email(email)
    status = SupporterStatus.BOUNCED if kind == "bounce" else SupporterStatus.COMPLAINED
    receipt_status = RecipientStatus.BOUNCED if kind == "bounce" else RecipientStatus.COMPLAINED
    supporters = Supporter.objects.select_for_update(of=("self",)).filter(email=email)
    if organisation is not None:
        supporters = supporters.filter(organisation=organisation)
    changed = 0
    for supporter in supporters.select_related("organisation"):
        latest = (
            MailingRecipient.objects.filter(supporter=supporter, status=RecipientStatus.SENT)
            .order_by("-sent_at", "-id")
            .first()
        )
        if latest is not None:
            latest.status = receipt_status
            latest.save(update_fields=["status"])
        if supporter.status == status or (
            supporter.status == SupporterStatus.COMPLAINED and status == SupporterStatus.BOUNCED
        ):
            continue
        before = supporter.status
        supporter.status = status
        supporter.updated_at = timezone.now()
        supporter.save(update_fields=["status", "updated_at"])
        audit_record(
            actor="mail server",
            action=f"outreach.supporter.{status}",
            obj=supporter,
            organisation=supporter.organisation,
            before={"status": before},
            after={"status": status, "via": via} if via else {"status": status},
        )
        changed += 1
    return changed


# --- Backfill from petitions ----------------------------------------------------------


def supporters_backfill_from_signatures(*, since: datetime.datetime | None = None) -> int:
    """Supporters from confirmed petition signatures whose signers ticked an organisation's
    consent box: for data that existed before outreach listened. Idempotent (a signature
    already in a supporter's history is skipped)."""
    consents = (
        SignatureConsent.objects.filter(signature__status=SignatureStatus.CONFIRMED)
        .select_related("signature", "signature__petition")
        .order_by("pk")
    )
    if since is not None:
        consents = consents.filter(signature__confirmed_at__gte=since)
    recorded = 0
    for consent in consents.iterator(chunk_size=1000):
        signature = consent.signature
        key = f"campaigns.petition:{signature.petition_id}"
        if SupporterAction.objects.filter(
            supporter__organisation_id=consent.organisation_id,
            supporter__email=signature.email,
            object_key=key,
        ).exists():
            continue
        with transaction.atomic():
            supporter_record_action(action=signature_announcement(signature, consent))
        recorded += 1
    return recorded


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
