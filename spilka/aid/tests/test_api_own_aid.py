"""Needs, pledges, convoys and handovers in the API: never a route, crew, driver, plate or a
place finer than the oblast; pledges only to the organisations they concern.

Personas (see conftest): the recipient branch (NPGU Pavlohrad), the donor (NUM Durham),
an outsider organisation (Razem), and an anonymous client.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from spilka.aid.models import Pledge
from spilka.aid.services import convoys as convoy_services
from spilka.aid.services.handovers import ReceivedLine, handover_confirm
from spilka.api.testing import api_client, api_key
from spilka.lib.models import AuditEntry
from spilka.network.tests.api_own import (
    BASE,
    all_keys,
    anonymous,
    get_all,
    key_client,
    queries_for,
)

pytestmark = pytest.mark.django_db

# Words that must never be a key anywhere in an aid response.
FORBIDDEN_KEYS = {
    "route",
    "stops",
    "place",
    "crew",
    "drivers",
    "driver",
    "vehicles",
    "registration",
    "plate",
    "hromada",
    "settlement",
    "planned_departure",
    "departed_at",
    "time_zone",
    "signer_name",
    "photo",
    "recipient_note",
    "donor_person",
    "email",
}


@pytest.fixture
def on_the_road(loaded_convoy, donor_organiser):
    convoy_services.crew_add(
        by=donor_organiser, convoy=loaded_convoy, name="Dave Driver", email="dave@example.org"
    )
    convoy_services.route_stop_add(by=donor_organiser, convoy=loaded_convoy, place="Dover port")
    return loaded_convoy


@pytest.fixture
def delivered(on_the_road):
    handover = on_the_road.handovers.get()
    handover_confirm(
        handover=handover,
        lines=[ReceivedLine(ln.pk, ln.quantity) for ln in handover.lines.all()],
        signer_name="Olena Signer",
        note="All arrived",
    )
    return handover


def test_need_shows_the_oblast_and_nothing_finer(need):
    found = [row for row in get_all(anonymous(), "needs") if row["title"]["en"].startswith("Kits")]
    assert found
    assert found[0]["oblast"] == "dnipropetrovsk"
    text = str(found)
    assert "Pavlohradska" not in text and "Ternivka" not in text
    assert not (all_keys(found) & FORBIDDEN_KEYS)


def test_aid_json_has_no_route_crew_or_vehicle_fields(delivered, donor_org, recipient_org):
    for org in (donor_org, recipient_org):
        client = key_client(org, ["aid:read"])
        for collection in ("needs", "pledges", "convoys", "handovers"):
            records = get_all(client, collection)
            assert records, collection
            assert not (all_keys(records) & FORBIDDEN_KEYS), collection
            text = str(records)
            for secret in (
                "Dave Driver",
                "dave@example.org",
                "Dover",
                "nu22",
                "Olena",
                "Pavlohradska",
            ):
                assert secret not in text, (collection, secret)


def test_convoys_and_pledges_are_closed_to_anonymous_and_empty_for_outsiders(on_the_road, demo):
    assert anonymous().get(f"{BASE}convoys/").status_code == 401
    assert anonymous().get(f"{BASE}pledges/").status_code == 401
    outsider = key_client(demo["razem"], ["aid:read"])
    assert get_all(outsider, "convoys") == []
    assert get_all(outsider, "pledges") == []
    assert outsider.get(f"{BASE}convoys/{on_the_road.pk}/").status_code == 404


def test_public_handovers_show_the_month_but_details_only_to_the_convoy(delivered, demo, donor_org):
    public = [r for r in get_all(anonymous(), "handovers") if r["details"] is not None]
    assert public == []
    mine = get_all(key_client(donor_org, ["aid:read"]), "handovers")
    ours = [
        r for r in mine if r["details"] and r["details"]["convoy"] == delivered.convoy.reference
    ]
    assert ours and ours[0]["details"]["status"] == "confirmed"
    seen = [
        r for r in get_all(anonymous(), "handovers") if r["recipient"]["slug"] == "npgu-pavlohrad"
    ]
    assert seen and len(seen[0]["confirmed_month"]) == 7


def test_a_pending_handover_is_not_public_but_its_convoys_key_sees_it(on_the_road, donor_org):
    pending = f"spilka:{on_the_road.handovers.get().pk}"
    public = {r["identifiers"][0] for r in get_all(anonymous(), "handovers")}
    assert pending not in public
    own = {r["identifiers"][0] for r in get_all(key_client(donor_org, ["aid:read"]), "handovers")}
    assert pending in own


def test_a_key_pledges_to_an_open_need_with_an_audit_row(need, donor_org):
    key, secret = api_key(donor_org, ["aid:write"])
    client = api_client(secret)
    kits = need.lines.order_by("pk").first()
    response = client.post(
        f"{BASE}pledges/",
        {"need": need.pk, "lines": [{"need_line": kits.pk, "quantity": "3"}], "note": "From us"},
        format="json",
    )
    assert response.status_code == 201, response.content
    pledge = Pledge.objects.get(pk=response.json()["identifiers"][0].rsplit(":", 1)[-1])
    assert pledge.donor_organisation == donor_org
    assert pledge.lines.get().quantity == D(3)
    entry = AuditEntry.objects.get(action="aid.pledge.created", object_id=str(pledge.pk))
    assert key.prefix in entry.actor_label  # the row names the key that made it


def test_a_pledge_takes_a_decimal_comma_in_ukrainian(
    items, recipient_org, recipient_logistics, donor_org
):
    from spilka.aid.services import needs as need_services

    food = need_services.need_create(
        by=recipient_logistics,
        organisation=recipient_org,
        title={"en": "Food"},
        oblast="kharkiv",
        lines=[(items["canned-food"], D(100))],
    )
    line = food.lines.get()
    response = key_client(donor_org, ["aid:write"]).post(
        f"{BASE}pledges/",
        {"need": food.pk, "lines": [{"need_line": line.pk, "quantity": "2,5"}]},
        format="json",
        HTTP_ACCEPT_LANGUAGE="uk",
    )
    assert response.status_code == 201, response.content
    line.refresh_from_db()
    assert line.pledged == D("2.5")


def test_pledge_garbage_is_a_400_never_a_500(need, donor_org):
    client = key_client(donor_org, ["aid:write"])
    kits = need.lines.order_by("pk").first()
    for body in (
        {"need": "x", "lines": []},
        {"need": need.pk, "lines": [{"need_line": kits.pk, "quantity": "lots"}]},
        {"need": need.pk, "lines": [{"need_line": kits.pk, "quantity": "-4"}]},
        {"need": need.pk, "lines": [{"need_line": 999999, "quantity": "1"}]},
        {"need": need.pk, "lines": "many"},
        [],
    ):
        response = client.post(f"{BASE}pledges/", body, format="json")
        assert response.status_code == 400, (body, response.content)
        assert "json" in response["Content-Type"]


def test_a_read_key_cannot_pledge(need, donor_org):
    kits = need.lines.order_by("pk").first()
    response = key_client(donor_org, ["aid:read"]).post(
        f"{BASE}pledges/",
        {"need": need.pk, "lines": [{"need_line": kits.pk, "quantity": "1"}]},
        format="json",
    )
    assert response.status_code == 403


def test_aid_lists_cost_the_same_queries_for_any_page_size(delivered, forty_kits_convoy, donor_org):
    client = key_client(donor_org, ["aid:read"])
    for collection in ("needs", "pledges", "convoys", "handovers"):
        small = queries_for(client, f"{BASE}{collection}/", per_page=1)
        large = queries_for(client, f"{BASE}{collection}/", per_page=50)
        assert small == large, collection
