"""Convoys: planning, loading the manifest from pledges, moving along the status chain."""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from spilka.aid.models import (
    Convoy,
    ConvoyStatus,
    CrewMember,
    Handover,
    HandoverStatus,
    Item,
    ManifestLine,
    Need,
    NeedLine,
    PledgeLine,
    PledgeStatus,
    RouteStop,
    Vehicle,
)
from spilka.aid.services.needs import _actor_user, need_refresh_status
from spilka.aid.services.publication import manifest_public_from_refresh
from spilka.campaigns.selectors import campaign_check_pickable
from spilka.lib.audit import audit_record, snapshot
from spilka.lib.numbers import format_quantity
from spilka.network.models import Organisation

S = ConvoyStatus
# The states in the order a convoy lives through them; buttons follow this order, so the
# page reads the same every time (a set came out in a different order in each process).
PROCESS_ORDER: tuple[Any, ...] = tuple(S)
# Who may move a convoy where, in process order. ``confirmed`` is reached only when every
# recipient has confirmed their handover (handover_confirm), never by hand.
TRANSITIONS: dict[Any, tuple[Any, ...]] = {
    S.PLANNED: (S.LOADING, S.CANCELLED),
    S.LOADING: (S.PLANNED, S.DEPARTED, S.CANCELLED),
    S.DEPARTED: (S.ARRIVED, S.RETURNED),
    S.ARRIVED: (S.HANDED_OVER, S.RETURNED),
    S.HANDED_OVER: (),
    S.CONFIRMED: (),
    S.CANCELLED: (),
    S.RETURNED: (),
}
# What the organiser does, as a verb: the button says what happens when pressed, not the
# state the convoy ends up in ("Cancelled" read like a filter, not an action).
ACTION_LABELS: dict[Any, Any] = {
    S.PLANNED: _lazy("Move back to planning"),
    S.LOADING: _lazy("Start loading"),
    S.DEPARTED: _lazy("Mark as departed"),
    S.ARRIVED: _lazy("Mark as arrived"),
    S.HANDED_OVER: _lazy("Mark as handed over"),
    S.CANCELLED: _lazy("Cancel convoy"),
    S.RETURNED: _lazy("Mark as returned"),
}
# What cannot be taken back, said on the confirmation page before the second click.
CONSEQUENCES: dict[Any, Any] = {
    S.DEPARTED: _lazy(
        "The manifest is frozen: nothing more can be loaded or removed, and the convoy "
        "cannot go back to loading."
    ),
    S.ARRIVED: _lazy(
        "The convoy's route and times become visible on public reports, and it cannot go "
        "back on the road."
    ),
    S.HANDED_OVER: _lazy(
        "The recipients are asked to confirm what arrived; the convoy cannot go back to arrived."
    ),
    S.CANCELLED: _lazy(
        "The convoy ends for good. Everything loaded goes back to its pledge, to be sent "
        "with another convoy."
    ),
    S.RETURNED: _lazy(
        "The convoy ends for good. Nothing counts as delivered: everything loaded goes back "
        "to its pledge."
    ),
}


def transitions_from(status: str) -> list[Any]:
    """Where a convoy in ``status`` may go by hand, in process order."""
    allowed = TRANSITIONS.get(status, ())
    return [state for state in PROCESS_ORDER if state in allowed]


def transition_check(*, convoy: Convoy, to: str) -> None:
    """ValidationError unless the convoy may be moved to ``to`` by hand."""
    if to not in TRANSITIONS.get(convoy.status, ()):
        raise ValidationError(
            _("A convoy cannot go from “%(from)s” to “%(to)s”.")
            % {
                "from": convoy.get_status_display(),
                "to": ConvoyStatus(to).label if to in S.values else to,
            }
        )


def is_irreversible(status: str, to: str) -> bool:
    """No step leads back: the organiser must confirm before it is taken."""
    return status not in TRANSITIONS.get(to, ())


EDITABLE = {S.PLANNED, S.LOADING}


def _convoy_locked(convoy: Convoy) -> Convoy:
    return Convoy.objects.select_for_update(of=("self",)).get(pk=convoy.pk)


def _require_editable(convoy: Convoy) -> None:
    if convoy.status not in EDITABLE:
        raise ValidationError(
            _("The manifest can change only while the convoy is planned or loading.")
        )


@transaction.atomic
def convoy_create(
    *, by: Any, organisation: Organisation, title: str, reference: str = "", **fields: Any
) -> Convoy:
    # Only into a campaign the organisation runs: a convoy counts in the campaign's report.
    campaign_check_pickable(campaign=fields.get("campaign"), organisation=organisation)
    convoy = Convoy(
        organisation=organisation,
        title=title,
        reference=reference or f"C-{timezone.now():%Y%m%d}-{secrets.token_hex(3).upper()}",
        created_by=_actor_user(by),
        **fields,
    )
    convoy.full_clean()
    convoy.save()
    audit_record(
        actor=by,
        action="aid.convoy.created",
        obj=convoy,
        organisation=organisation,
        after=snapshot(convoy),
    )
    return convoy


@transaction.atomic
def vehicle_add(*, by: Any, convoy: Convoy, make: str, registration: str, **fields: Any) -> Vehicle:
    convoy = _convoy_locked(convoy)
    _require_editable(convoy)
    vehicle = Vehicle(convoy=convoy, make=make, registration=registration.upper(), **fields)
    if vehicle.handover is not None and vehicle.handover.convoy_id != convoy.pk:
        raise ValidationError(_("That handover belongs to another convoy."))
    if vehicle.estimated_value is not None and not vehicle.currency:
        raise ValidationError({"currency": _("Give the currency of the value.")})
    vehicle.full_clean()
    vehicle.save()
    audit_record(
        actor=by,
        action="aid.vehicle.added",
        obj=vehicle,
        organisation=convoy.organisation,
        after=snapshot(vehicle),
    )
    return vehicle


@transaction.atomic
def crew_add(*, by: Any, convoy: Convoy, name: str, **fields: Any) -> CrewMember:
    member = CrewMember(convoy=convoy, name=name, **fields)
    member.full_clean()
    member.save()
    audit_record(
        actor=by,
        action="aid.crew.added",
        obj=member,
        organisation=convoy.organisation,
        after={"role": member.role},
    )
    return member


@transaction.atomic
def route_stop_add(*, by: Any, convoy: Convoy, place: str, planned_at: Any = None) -> RouteStop:
    order = convoy.stops.count() + 1
    stop = RouteStop(convoy=convoy, order=order, place=place, planned_at=planned_at)
    stop.full_clean()
    stop.save()
    audit_record(
        actor=by,
        action="aid.route_stop.added",
        obj=stop,
        organisation=convoy.organisation,
        after=snapshot(stop),
    )
    return stop


@transaction.atomic
def route_stop_reached(*, by: Any, stop: RouteStop, at: Any = None) -> RouteStop:
    stop.actual_at = at or timezone.now()
    stop.save(update_fields=["actual_at"])
    audit_record(
        actor=by,
        action="aid.route_stop.reached",
        obj=stop,
        organisation=stop.convoy.organisation,
        after={"actual_at": stop.actual_at},
    )
    return stop


def recipient_language(organisation: Organisation) -> str:
    """The interface language a recipient organisation reads: its own language, else the
    first of its working languages the interface speaks, else the site's default."""
    interface = {code for code, _name in settings.LANGUAGES}
    for code in [organisation.original_language, *(organisation.languages or [])]:
        if code in interface:
            return str(code)
    return str(settings.LANGUAGE_CODE)


def handover_language(handover: Handover) -> str:
    """The language of everything addressed to the recipient: the confirmation link, the
    QR code and the waybill, whatever language the organiser's own page is in."""
    interface = {code for code, _name in settings.LANGUAGES}
    if handover.language in interface:
        return handover.language
    return recipient_language(handover.recipient)


@transaction.atomic
def handover_get_or_create(
    *, by: Any, convoy: Convoy, recipient: Organisation, language: str = "", **fields: Any
) -> Handover:
    handover = Handover.objects.filter(convoy=convoy, recipient=recipient).first()
    if handover is not None:
        return handover
    handover = Handover(
        convoy=convoy,
        recipient=recipient,
        language=language or recipient_language(recipient),
        token_nonce=secrets.token_hex(8),
        **fields,
    )
    handover.full_clean()
    handover.save()
    audit_record(
        actor=by,
        action="aid.handover.created",
        obj=handover,
        organisation=convoy.organisation,
        after=snapshot(handover),
    )
    return handover


@transaction.atomic
def manifest_line_add(
    *,
    by: Any,
    convoy: Convoy,
    quantity: Decimal,
    pledge_line: PledgeLine | None = None,
    item: Item | None = None,
    recipient: Organisation | None = None,
    donor_organisation: Organisation | None = None,
    lot: str = "",
    expiry: Any = None,
    estimated_value: Decimal | None = None,
    currency: str = "",
    box_number: str = "",
) -> ManifestLine:
    """Load ``quantity`` onto the convoy, from a pledge line or as a free item.

    Dispatch counts against the pledge line and its need line under row locks (need line
    first, then pledge line, always in that order), so two organisers loading the same
    pledge at once cannot dispatch more than was pledged.
    """
    convoy = _convoy_locked(convoy)
    _require_editable(convoy)
    need_line = None
    if pledge_line is not None:
        if pledge_line.need_line_id:
            need_line = (
                NeedLine.objects.select_for_update()
                .select_related("need")
                .get(pk=pledge_line.need_line_id)
            )
        pledge_line = (
            PledgeLine.objects.select_for_update(of=("self",))
            .select_related("pledge", "item")
            .get(pk=pledge_line.pk)
        )
        if pledge_line.pledge.status == PledgeStatus.CANCELLED:
            raise ValidationError(_("That pledge was cancelled."))
        item = pledge_line.item
        donor_organisation = pledge_line.pledge.donor_organisation
        if recipient is None:
            if need_line is None:
                raise ValidationError({"recipient": _("Say who receives these unsolicited items.")})
            recipient = need_line.need.organisation
        if estimated_value is None and pledge_line.estimated_value is not None:
            share = quantity / pledge_line.quantity
            estimated_value = (pledge_line.estimated_value * share).quantize(Decimal("0.01"))
            currency = pledge_line.currency
    if not isinstance(item, Item):
        raise ValidationError({"item": _("Unknown item.")})
    if recipient is None:
        raise ValidationError({"recipient": _("Say who receives this.")})
    try:
        item.check_quantity(quantity)
    except ValidationError as error:
        raise ValidationError({"quantity": error.messages}) from None
    if item.tracks_lot_expiry and (not lot.strip() or expiry is None):
        raise ValidationError(
            {"lot": _("%(item)s needs its lot number and expiry date.") % {"item": item}}
        )
    if estimated_value is not None and estimated_value < 0:
        raise ValidationError({"estimated_value": _("A value cannot be negative.")})
    if estimated_value is not None and not currency:
        raise ValidationError({"currency": _("Give the currency of the value.")})
    if pledge_line is not None:
        left = pledge_line.quantity - pledge_line.dispatched
        if quantity > left:
            raise ValidationError(
                {
                    "quantity": _("Only %(left)s of this pledge are left to load.")
                    % {"left": format_quantity(max(left, Decimal(0)))}
                }
            )
        pledge_line.dispatched += quantity
        pledge_line.save(update_fields=["dispatched"])
    if need_line is not None:
        need_line.dispatched += quantity
        need_line.save(update_fields=["dispatched"])
    handover = handover_get_or_create(by=by, convoy=convoy, recipient=recipient)
    line = ManifestLine(
        convoy=convoy,
        handover=handover,
        item=item,
        quantity=quantity,
        lot=lot.strip(),
        expiry=expiry,
        donor_organisation=donor_organisation,
        pledge_line=pledge_line,
        need_line=need_line,
        estimated_value=estimated_value,
        currency=currency,
        box_number=box_number,
        recipient=recipient,
        convoy_organisation=convoy.organisation,
    )
    line.full_clean()
    line.save()
    audit_record(
        actor=by,
        action="aid.manifest.line_added",
        obj=line,
        organisation=convoy.organisation,
        after=snapshot(line),
    )
    return line


@transaction.atomic
def manifest_line_remove(*, by: Any, line: ManifestLine) -> None:
    convoy = _convoy_locked(line.convoy)
    _require_editable(convoy)
    _release(line)
    before = snapshot(line)
    audit_record(
        actor=by,
        action="aid.manifest.line_removed",
        obj=line,
        organisation=convoy.organisation,
        before=before,
    )
    line.delete()


def _release(line: ManifestLine) -> None:
    """Give a line's quantity back to its pledge and need (convoy cancelled or returned)."""
    if line.need_line_id:
        need_line = NeedLine.objects.select_for_update().get(pk=line.need_line_id)
        need_line.dispatched -= line.quantity
        need_line.save(update_fields=["dispatched"])
    if line.pledge_line_id:
        pledge_line = PledgeLine.objects.select_for_update().get(pk=line.pledge_line_id)
        pledge_line.dispatched -= line.quantity
        pledge_line.save(update_fields=["dispatched"])


@transaction.atomic
def convoy_transition(
    *, by: Any, convoy: Convoy, to: str, at: Any = None, understood: bool = True
) -> Convoy:
    """Move a convoy one step: audit ``aid.convoy.<status>``.

    Pages pass ``understood`` from the confirmation checkbox: an irreversible step
    (cancelling, departing...) is refused without it.
    """
    convoy = _convoy_locked(convoy)
    transition_check(convoy=convoy, to=to)
    if not understood and is_irreversible(convoy.status, to):
        raise ValidationError(
            _("This step cannot be undone: tick the box to confirm you understand.")
        )
    if to == S.DEPARTED and not convoy.manifest.exists():
        raise ValidationError(_("Load something before departing."))
    before = snapshot(convoy, ["status", "departed_at", "arrived_at"])
    now = at or timezone.now()
    if to == S.DEPARTED:
        convoy.departed_at = now
    elif to == S.ARRIVED:
        convoy.arrived_at = now
    elif to in (S.CANCELLED, S.RETURNED):
        # Nothing was delivered: the quantities go back to what is still to be sent.
        need_ids = set()
        for line in convoy.manifest.select_related("need_line").order_by("need_line_id", "pk"):
            _release(line)
            if line.need_line is not None:
                need_ids.add(line.need_line.need_id)
    convoy.status = to
    convoy.save()
    audit_record(
        actor=by,
        action=f"aid.convoy.{to}",
        obj=convoy,
        organisation=convoy.organisation,
        before=before,
        after=snapshot(convoy, ["status", "departed_at", "arrived_at"]),
    )
    return convoy


def convoy_confirm_if_complete(*, convoy: Convoy, by: Any) -> Convoy:
    """After a handover is confirmed: the convoy is confirmed once every recipient has."""
    convoy = _convoy_locked(convoy)
    if convoy.handovers.exclude(status=HandoverStatus.CONFIRMED).exists():
        if convoy.status in (S.DEPARTED, S.ARRIVED):
            before = convoy.status
            convoy.status = S.HANDED_OVER
            convoy.save(update_fields=["status", "updated_at"])
            audit_record(
                actor=by,
                action="aid.convoy.handed_over",
                obj=convoy,
                organisation=convoy.organisation,
                before={"status": before},
                after={"status": convoy.status},
            )
        return convoy
    before = convoy.status
    convoy.status = S.CONFIRMED
    if convoy.arrived_at is None:
        convoy.arrived_at = timezone.now()
    convoy.save(update_fields=["status", "arrived_at", "updated_at"])
    audit_record(
        actor=by,
        action="aid.convoy.confirmed",
        obj=convoy,
        organisation=convoy.organisation,
        before={"status": before},
        after={"status": convoy.status},
    )
    return convoy


def refresh_needs_of(lines: list[ManifestLine], by: Any) -> None:
    for need in Need.objects.filter(lines__manifest_lines__in=lines).distinct().order_by("pk"):
        need_refresh_status(need=need, by=by)


@transaction.atomic
def handover_set_publish_after(*, by: Any, handover: Handover, publish_after: Any) -> Handover:
    """Delay (or stop delaying) a delivery's appearance on public pages."""
    handover = Handover.objects.select_for_update(of=("self",)).get(pk=handover.pk)
    before = {"publish_after": handover.publish_after}
    handover.publish_after = publish_after
    handover.save(update_fields=["publish_after"])
    manifest_public_from_refresh(handover=handover)
    audit_record(
        actor=by,
        action="aid.handover.publish_after_set",
        obj=handover,
        organisation=handover.convoy.organisation,
        before=before,
        after={"publish_after": publish_after},
    )
    return handover
