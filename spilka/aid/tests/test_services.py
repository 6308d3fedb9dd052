"""Needs, pledges, convoys and handovers through their services: roll-ups never drift."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from spilka.aid.models import ConvoyStatus, ManifestLine, NeedLine, NeedStatus, PledgeLine
from spilka.aid.services import convoys as convoy_services
from spilka.aid.services import needs as need_services
from spilka.aid.services.handovers import ReceivedLine, handover_confirm
from spilka.lib.models import AuditEntry


def assert_rollups_match_rows():
    for line in NeedLine.objects.all():
        pledged = PledgeLine.objects.filter(need_line=line).aggregate(s=Sum("quantity"))["s"] or 0
        dispatched = (
            ManifestLine.objects.filter(need_line=line).aggregate(s=Sum("quantity"))["s"] or 0
        )
        received = (
            ManifestLine.objects.filter(need_line=line).aggregate(s=Sum("received_quantity"))["s"]
            or 0
        )
        assert (line.pledged, line.dispatched, line.received) == (pledged, dispatched, received)


def test_a_new_need_is_open_and_audited(need):
    assert need.status == NeedStatus.OPEN
    assert AuditEntry.objects.filter(action="aid.need.created", object_id=str(need.pk)).exists()


def test_fractional_quantities_of_countable_items_are_refused(
    items, recipient_org, recipient_logistics
):
    with pytest.raises(ValidationError):
        need_services.need_create(
            by=recipient_logistics,
            organisation=recipient_org,
            title={"en": "x"},
            oblast="donetsk",
            lines=[(items["tourniquet"], D("2.5"))],
        )


def test_negative_quantities_are_refused_everywhere(need, donor_org, donor_organiser):
    with pytest.raises(ValidationError):
        need_services.pledge_create(
            by=donor_organiser,
            need=need,
            donor_organisation=donor_org,
            lines=[{"need_line": need.lines.first(), "quantity": D(-1)}],
        )
    assert not PledgeLine.objects.filter(need_line__need=need).exists()


def test_uncountable_items_take_fractions(items, recipient_org, recipient_logistics):
    need = need_services.need_create(
        by=recipient_logistics,
        organisation=recipient_org,
        title={"en": "Food"},
        oblast="donetsk",
        lines=[(items["canned-food"], D("12.5"))],
    )
    assert need.lines.get().quantity == D("12.5")


def test_partial_pledge_makes_the_need_partly_pledged(need, donor_org, donor_organiser):
    need_services.pledge_create(
        by=donor_organiser,
        need=need,
        donor_organisation=donor_org,
        lines=[{"need_line": need.lines.order_by("pk").first(), "quantity": D(4)}],
    )
    need.refresh_from_db()
    assert need.status == NeedStatus.PARTLY_PLEDGED


def test_over_pledging_is_refused_without_a_reason(pledge, need, donor_org, donor_organiser):
    with pytest.raises(ValidationError, match="still needed"):
        need_services.pledge_create(
            by=donor_organiser,
            need=need,
            donor_organisation=donor_org,
            lines=[{"need_line": need.lines.order_by("pk").first(), "quantity": D(1)}],
        )


def test_over_pledging_with_a_reason_is_flagged(pledge, need, donor_org, donor_organiser):
    extra = need_services.pledge_create(
        by=donor_organiser,
        need=need,
        donor_organisation=donor_org,
        lines=[
            {
                "need_line": need.lines.order_by("pk").first(),
                "quantity": D(5),
                "over_pledge_reason": "Spares for the next shift",
            }
        ],
    )
    assert extra.lines.get().over_pledge_reason == "Spares for the next shift"
    assert_rollups_match_rows()


def test_pledge_for_another_needs_line_is_refused(
    need, pledge, items, recipient_org, recipient_logistics, donor_org, donor_organiser
):
    other = need_services.need_create(
        by=recipient_logistics,
        organisation=recipient_org,
        title={"en": "Other"},
        oblast="donetsk",
        lines=[(items["radio"], D(3))],
    )
    with pytest.raises(ValidationError):
        need_services.pledge_create(
            by=donor_organiser,
            need=need,
            donor_organisation=donor_org,
            lines=[{"need_line": other.lines.get(), "quantity": D(1)}],
        )


def test_cancelling_a_pledge_gives_back_what_was_not_sent(pledge, need, donor_organiser):
    need_services.pledge_cancel(pledge=pledge, by=donor_organiser)
    need.refresh_from_db()
    assert need.status == NeedStatus.OPEN
    assert all(line.pledged == 0 for line in need.lines.all())


def test_loading_more_than_pledged_is_refused(pledge, donor_org, donor_organiser):
    convoy = convoy_services.convoy_create(by=donor_organiser, organisation=donor_org, title="t")
    line = pledge.lines.order_by("pk").last()  # generators, no lot tracking
    with pytest.raises(ValidationError, match="left to load"):
        convoy_services.manifest_line_add(
            by=donor_organiser, convoy=convoy, pledge_line=line, quantity=D(3)
        )
    assert not ManifestLine.objects.filter(convoy=convoy).exists()


def test_tracked_items_need_lot_and_expiry(pledge, donor_org, donor_organiser):
    convoy = convoy_services.convoy_create(by=donor_organiser, organisation=donor_org, title="t")
    kits = pledge.lines.order_by("pk").first()
    with pytest.raises(ValidationError, match="lot"):
        convoy_services.manifest_line_add(
            by=donor_organiser, convoy=convoy, pledge_line=kits, quantity=D(1)
        )


def test_value_follows_the_pledge_share(loaded_convoy):
    kits = loaded_convoy.manifest.get(item__code="first-aid-kit")
    assert (kits.estimated_value, kits.currency) == (D("250.00"), "GBP")


def test_convoy_status_chain_is_enforced_and_audited(loaded_convoy, donor_organiser):
    with pytest.raises(ValidationError):
        convoy_services.convoy_transition(by=donor_organiser, convoy=loaded_convoy, to="planned")
    convoy_services.convoy_transition(by=donor_organiser, convoy=loaded_convoy, to="arrived")
    actions = set(
        AuditEntry.objects.filter(
            object_id=str(loaded_convoy.pk), object_type="aid.convoy"
        ).values_list("action", flat=True)
    )
    assert {"aid.convoy.loading", "aid.convoy.departed", "aid.convoy.arrived"} <= actions


def test_nobody_sets_confirmed_by_hand(loaded_convoy, donor_organiser):
    with pytest.raises(ValidationError):
        convoy_services.convoy_transition(by=donor_organiser, convoy=loaded_convoy, to="confirmed")


def test_returned_convoy_gives_quantities_back(loaded_convoy, donor_organiser, need):
    convoy_services.convoy_transition(by=donor_organiser, convoy=loaded_convoy, to="returned")
    assert all(line.dispatched == 0 for line in need.lines.all())


def _confirm_all(handover, missing_kits=0):
    entries = []
    for line in handover.lines.all():
        if line.item.code == "first-aid-kit" and missing_kits:
            entries.append(
                ReceivedLine(
                    line.pk, line.quantity - missing_kits, "missing", "Box torn at the border"
                )
            )
        else:
            entries.append(ReceivedLine(line.pk, line.quantity))
    return handover_confirm(handover=handover, lines=entries, signer_name="Andrii")


def test_confirmation_rolls_received_up_and_confirms_the_convoy(loaded_convoy, need):
    handover = loaded_convoy.handovers.get()
    _confirm_all(handover, missing_kits=1)
    need.refresh_from_db()
    loaded_convoy.refresh_from_db()
    assert need.status == NeedStatus.PARTLY_DELIVERED
    assert loaded_convoy.status == ConvoyStatus.CONFIRMED
    handover.refresh_from_db()
    assert handover.has_discrepancy
    assert_rollups_match_rows()


def test_full_confirmation_delivers_the_need(loaded_convoy, need):
    _confirm_all(loaded_convoy.handovers.get())
    need.refresh_from_db()
    assert need.status == NeedStatus.DELIVERED


def test_receiving_more_than_dispatched_changes_nothing(loaded_convoy, need):
    handover = loaded_convoy.handovers.get()
    entries = [ReceivedLine(line.pk, line.quantity + 1) for line in handover.lines.all()]
    with pytest.raises(ValidationError, match="more than"):
        handover_confirm(handover=handover, lines=entries, signer_name="Andrii")
    handover.refresh_from_db()
    assert handover.status == "pending"
    assert all(line.received == 0 for line in need.lines.all())


def test_a_shortfall_needs_a_reason(loaded_convoy):
    handover = loaded_convoy.handovers.get()
    entries = [ReceivedLine(line.pk, D(0)) for line in handover.lines.all()]
    with pytest.raises(ValidationError, match="what happened"):
        handover_confirm(handover=handover, lines=entries, signer_name="Andrii")


def test_cannot_confirm_twice(loaded_convoy):
    handover = loaded_convoy.handovers.get()
    _confirm_all(handover)
    with pytest.raises(ValidationError, match="already"):
        _confirm_all(handover)
