"""Merging two supporter records that are one person."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from spilka.lib.audit import audit_record
from spilka.outreach.models import (
    MailingRecipient,
    Supporter,
    SupporterAction,
    SupporterConsent,
    SupporterStatus,
)
from spilka.outreach.services.counts import supporter_counts_change

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
    # Both rows in one query, in id order (docs/outreach.md, "Supporter counts").
    locked = {
        s.pk: s
        for s in Supporter.objects.select_for_update(of=("self",))
        .filter(pk__in=[keep.pk, other.pk])
        .order_by("pk")
    }
    if len(locked) != 2:  # merged or erased meanwhile
        raise Supporter.DoesNotExist
    keep, other = locked[keep.pk], locked[other.pk]
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
    status = min((keep.status, other.status), key=lambda s: order.index(SupporterStatus(s)))
    if values["email"] == other.email and status == SupporterStatus.BOUNCED:
        status = other.status
    created_at = min(keep.created_at, other.created_at)
    last = [d for d in (keep.last_action_at, other.last_action_at) if d]
    other_id, kept_status, merged_status = other.pk, keep.status, other.status
    other.delete()  # first: the unique email and phone are then free for ``keep``
    for field, value in values.items():
        setattr(keep, field, value)
    keep.status = status
    keep.created_at = created_at
    keep.last_action_at = max(last) if last else None
    keep.updated_at = timezone.now()
    keep.full_clean(exclude=["tags", "lists"])
    keep.save()
    supporter_counts_change(
        [
            (keep.organisation_id, merged_status, None),
            (keep.organisation_id, kept_status, keep.status),
        ]
    )
    audit_record(
        actor=by,
        action="outreach.supporter.merged",
        obj=keep,
        organisation=keep.organisation,
        before={"kept": keep.pk, "merged": other_id},
        after={"fields_from_merged": sorted(f for f, side in choices.items() if side == "other")},
    )
    return keep
