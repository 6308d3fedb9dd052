"""Needs and pledges. Roll-ups live on NeedLine and change only under its row lock."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from spilka.aid.models import (
    Handover,
    Item,
    ManifestLine,
    Need,
    NeedLine,
    NeedStatus,
    Pledge,
    PledgeLine,
    PledgeStatus,
)
from spilka.aid.services.publication import manifest_public_from_refresh
from spilka.campaigns.selectors import campaign_check_pickable
from spilka.lib.audit import audit_record, snapshot
from spilka.lib.numbers import format_quantity
from spilka.network.models import Organisation
from spilka.webhooks import payloads
from spilka.webhooks.services import webhook_emit

ZERO = Decimal("0")


def _actor_user(by: Any) -> Any:
    return by if getattr(by, "is_authenticated", False) else None


def derive_status(lines: list[NeedLine]) -> Any:
    """open → partly pledged → pledged → partly delivered → delivered, from the lines."""
    if not lines:
        return NeedStatus.OPEN
    if all(line.received >= line.quantity for line in lines):
        return NeedStatus.DELIVERED
    if any(line.received > 0 for line in lines):
        return NeedStatus.PARTLY_DELIVERED
    if all(line.pledged >= line.quantity for line in lines):
        return NeedStatus.PLEDGED
    if any(line.pledged > 0 for line in lines):
        return NeedStatus.PARTLY_PLEDGED
    return NeedStatus.OPEN


def need_refresh_status(*, need: Need, by: Any) -> Need:
    """Recompute a need's derived status; closed and cancelled stay as set."""
    need = Need.objects.select_for_update(of=("self",)).get(pk=need.pk)
    if need.is_final:
        return need
    status = derive_status(list(need.lines.all()))
    if status != need.status:
        before = need.status
        need.status = status
        need.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=by,
            action="aid.need.status_changed",
            obj=need,
            organisation=need.organisation,
            before={"status": before},
            after={"status": status},
        )
    return need


@transaction.atomic
def need_create(
    *,
    by: Any,
    organisation: Organisation,
    title: dict[str, str],
    oblast: str,
    lines: list[tuple[Item, Decimal, str]] | list[tuple[Item, Decimal]],
    **fields: Any,
) -> Need:
    """A need with its lines: ``lines`` is a list of ``(item, quantity[, note])``."""
    if not lines:
        raise ValidationError(_("A need has at least one line."))
    # Only into a campaign the organisation runs: a need counts in the campaign's report.
    campaign_check_pickable(campaign=fields.get("campaign"), organisation=organisation)
    need = Need(
        organisation=organisation,
        title=title,
        oblast=oblast,
        created_by=_actor_user(by),
        **fields,
    )
    need.full_clean()
    need.save()
    errors = []
    for n, entry in enumerate(lines, start=1):
        item, quantity, *rest = cast(tuple[Any, ...], entry)
        try:
            item.check_quantity(quantity)
        except ValidationError as error:
            errors.append(
                ValidationError(
                    _("Line %(n)s: %(error)s"), params={"n": n, "error": " ".join(error.messages)}
                )
            )
            continue
        line = NeedLine(need=need, item=item, quantity=quantity, note=rest[0] if rest else "")
        line.full_clean()
        line.save()
    if errors:
        raise ValidationError(errors)
    audit_record(
        actor=by,
        action="aid.need.created",
        obj=need,
        organisation=organisation,
        after={**snapshot(need), "lines": [[i.pk, str(q)] for i, q, *_r in lines]},
    )
    return need


@transaction.atomic
def need_close(*, need: Need, by: Any, cancel: bool = False) -> Need:
    need = Need.objects.select_for_update(of=("self",)).get(pk=need.pk)
    if need.is_final:
        raise ValidationError(_("This need is already closed."))
    before = snapshot(need, ["status"])
    need.status = NeedStatus.CANCELLED if cancel else NeedStatus.CLOSED
    need.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=by,
        action="aid.need.cancelled" if cancel else "aid.need.closed",
        obj=need,
        organisation=need.organisation,
        before=before,
        after=snapshot(need, ["status"]),
    )
    return need


@transaction.atomic
def pledge_create(
    *,
    by: Any,
    lines: list[dict[str, Any]],
    need: Need | None = None,
    donor_organisation: Organisation | None = None,
    donor_person: Any = None,
    note: str = "",
) -> Pledge:
    """Offer quantities against need lines (``need_line``) or unsolicited ``item``s.

    Each line dict: ``quantity``, and ``need_line`` or ``item``; optionally
    ``over_pledge_reason`` (allows pledging past what is still needed, on record),
    ``estimated_value`` and ``currency``. Need lines are locked in id order so two
    donors at once cannot push a need past what is recorded.
    """
    if donor_organisation is None and donor_person is None:
        raise ValidationError(_("Say who is giving: an organisation or a person."))
    if not lines:
        raise ValidationError(_("A pledge has at least one line."))
    if need is not None and need.is_final:
        raise ValidationError(_("This need is closed: it takes no more pledges."))
    pledge = Pledge(
        need=need,
        donor_organisation=donor_organisation,
        donor_person=donor_person,
        note=note,
        created_by=_actor_user(by),
    )
    pledge.full_clean()
    pledge.save()
    line_ids = sorted(d["need_line"].pk for d in lines if d.get("need_line") is not None)
    locked = {
        nl.pk: nl
        for nl in NeedLine.objects.select_for_update()
        .select_related("item")
        .filter(pk__in=line_ids)
        .order_by("pk")
    }
    created = []
    for data in lines:
        quantity = data["quantity"]
        need_line = locked.get(data["need_line"].pk) if data.get("need_line") is not None else None
        if need_line is not None:
            if need is None or need_line.need_id != need.pk:
                raise ValidationError(_("That line belongs to another need."))
            item = need_line.item
        else:
            chosen = data.get("item")
            if not isinstance(chosen, Item):
                raise ValidationError(_("Unknown item."))
            item = chosen
        try:
            item.check_quantity(quantity)
        except ValidationError as error:
            raise ValidationError({"quantity": error.messages}) from None
        reason = (data.get("over_pledge_reason") or "").strip()
        if need_line is not None:
            remaining = need_line.quantity - need_line.pledged
            if quantity > remaining and not reason:
                raise ValidationError(
                    {
                        "quantity": _(
                            "Only %(remaining)s of %(item)s are still needed; pledge less, "
                            "or give a reason for pledging more."
                        )
                        % {"remaining": format_quantity(max(remaining, ZERO)), "item": item}
                    }
                )
            if quantity <= remaining:
                reason = ""
            need_line.pledged += quantity
            need_line.save(update_fields=["pledged"])
        line = PledgeLine(
            pledge=pledge,
            need_line=need_line,
            item=item,
            quantity=quantity,
            over_pledge_reason=reason,
            estimated_value=data.get("estimated_value"),
            currency=data.get("currency") or "",
        )
        line.full_clean()
        line.save()
        created.append(line)
    audit_record(
        actor=by,
        action="aid.pledge.created",
        obj=pledge,
        organisation=donor_organisation or (need.organisation if need else None),
        after={
            **snapshot(pledge),
            "lines": [
                {
                    "item": ln.item_id,
                    "need_line": ln.need_line_id,
                    "quantity": ln.quantity,
                    "over_pledge_reason": ln.over_pledge_reason,
                }
                for ln in created
            ],
        },
    )
    webhook_emit(
        organisation=need.organisation_id if need else donor_organisation,
        event="pledge.made",
        data=payloads.pledge(pledge),
    )
    if need is not None:
        need_refresh_status(need=need, by=by)
    return pledge


@transaction.atomic
def pledge_cancel(*, pledge: Pledge, by: Any) -> Pledge:
    """Withdraw a pledge: its quantities go back to what the need still needs.

    Refused once any of it is loaded on a convoy: the manifest and the waybill already list
    those goods. The convoy's organisers unload them first (cancelling the convoy, or
    returning it, gives the loaded quantities back to the pledge).
    """
    pledge = Pledge.objects.select_for_update(of=("self",)).get(pk=pledge.pk)
    if pledge.status == PledgeStatus.CANCELLED:
        raise ValidationError(_("This pledge is already cancelled."))
    lines = list(PledgeLine.objects.select_for_update().filter(pledge=pledge).order_by("pk"))
    if any(line.dispatched > 0 for line in lines):
        references = sorted(
            set(
                ManifestLine.objects.filter(pledge_line__pledge=pledge).values_list(
                    "convoy__reference", flat=True
                )
            )
        )
        raise ValidationError(
            _(
                "Part of this pledge is already loaded on a convoy (%(convoys)s), so it cannot "
                "be cancelled. Ask the convoy's organisers to take it off the convoy first."
            )
            % {"convoys": ", ".join(references)}
        )
    before = {**snapshot(pledge, ["status"]), "lines": [[ln.pk, ln.quantity] for ln in lines]}
    locked = {
        nl.pk: nl
        for nl in NeedLine.objects.select_for_update()
        .filter(pk__in=sorted(ln.need_line_id for ln in lines if ln.need_line_id))
        .order_by("pk")
    }
    for line in lines:
        if line.need_line_id:
            need_line = locked[line.need_line_id]
            # Never below zero, even if the roll-up was corrected by hand meanwhile.
            need_line.pledged = max(need_line.pledged - line.quantity, ZERO)
            need_line.save(update_fields=["pledged"])
    pledge.status = PledgeStatus.CANCELLED
    pledge.save(update_fields=["status"])
    audit_record(
        actor=by,
        action="aid.pledge.cancelled",
        obj=pledge,
        organisation=pledge.donor_organisation
        or (pledge.need.organisation if pledge.need else None),
        before=before,
        after={"status": pledge.status},
        also=[pledge.need.organisation] if pledge.need and pledge.donor_organisation else [],
    )
    if pledge.need is not None:
        need_refresh_status(need=pledge.need, by=by)
    return pledge


@transaction.atomic
def pledge_set_publish_after(*, pledge: Pledge, by: Any, publish_after: Any) -> Pledge:
    """Delay (or stop delaying) when what this pledge delivered may appear in public."""
    pledge = Pledge.objects.select_for_update(of=("self",)).get(pk=pledge.pk)
    if pledge.status == PledgeStatus.CANCELLED:
        raise ValidationError(_("This pledge is cancelled."))
    if pledge.publish_after == publish_after:
        return pledge
    before = snapshot(pledge, ["publish_after"])
    pledge.publish_after = publish_after
    pledge.full_clean()
    pledge.save(update_fields=["publish_after"])
    handovers = Handover.objects.filter(lines__pledge_line__pledge=pledge).distinct()
    for handover in handovers.order_by("pk"):
        manifest_public_from_refresh(handover=handover)
    audit_record(
        actor=by,
        action="aid.pledge.publish_after_set",
        obj=pledge,
        organisation=pledge.donor_organisation
        or (pledge.need.organisation if pledge.need else None),
        before=before,
        after=snapshot(pledge, ["publish_after"]),
    )
    return pledge
