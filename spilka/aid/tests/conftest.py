"""Aid personas: a recipient branch's logistics volunteer, a donor's organiser, a convoy lead."""

from decimal import Decimal as D

import pytest

from spilka.aid.services import convoys as convoy_services
from spilka.aid.services import needs as need_services
from spilka.aid.services.catalogue import catalogue_ensure
from spilka.lib.testing import user_with_roles


@pytest.fixture
def items(demo):
    return catalogue_ensure(by="test")


@pytest.fixture
def recipient_org(demo):
    return demo["npgu-pavlohrad"]


@pytest.fixture
def donor_org(demo):
    return demo["num-durham"]


@pytest.fixture
def recipient_logistics(recipient_org):
    return user_with_roles("logistics@pavlohrad.test", [(recipient_org, "logistics")])


@pytest.fixture
def donor_organiser(donor_org):
    return user_with_roles("organiser@durham.test", [(donor_org, "organiser")])


@pytest.fixture
def outsider(demo):
    return user_with_roles("viewer@razem.test", [(demo["razem"], "viewer")])


@pytest.fixture
def need(items, recipient_org, recipient_logistics):
    return need_services.need_create(
        by=recipient_logistics,
        organisation=recipient_org,
        title={"en": "Kits for the mine rescue team", "uk": "Аптечки для гірничорятувальників"},
        oblast="dnipropetrovsk",
        hromada="Pavlohradska",
        settlement="Pavlohrad",
        lines=[(items["first-aid-kit"], D(10)), (items["generator"], D(2))],
    )


@pytest.fixture
def pledge(need, donor_org, donor_organiser):
    kits, generators = need.lines.order_by("pk")
    return need_services.pledge_create(
        by=donor_organiser,
        need=need,
        donor_organisation=donor_org,
        lines=[
            {
                "need_line": kits,
                "quantity": D(10),
                "estimated_value": D("250.00"),
                "currency": "GBP",
            },
            {"need_line": generators, "quantity": D(2)},
        ],
    )


@pytest.fixture
def loaded_convoy(pledge, donor_org, donor_organiser):
    """A convoy carrying the whole pledge, departed."""
    convoy = convoy_services.convoy_create(
        by=donor_organiser, organisation=donor_org, title="Durham to Pavlohrad"
    )
    convoy_services.vehicle_add(
        by=donor_organiser,
        convoy=convoy,
        make="Ford Transit",
        registration="nu22 abc",
        donated_stays=True,
    )
    for line in pledge.lines.order_by("pk"):
        lot = {"lot": "L-2201", "expiry": "2027-01-31"} if line.item.tracks_lot_expiry else {}
        convoy_services.manifest_line_add(
            by=donor_organiser,
            convoy=convoy,
            pledge_line=line,
            quantity=line.quantity,
            box_number="1",
            **lot,
        )
    convoy_services.convoy_transition(by=donor_organiser, convoy=convoy, to="loading")
    convoy_services.convoy_transition(by=donor_organiser, convoy=convoy, to="departed")
    convoy.refresh_from_db()
    return convoy


@pytest.fixture
def forty_kits_convoy(items, recipient_org, recipient_logistics, donor_org, donor_organiser):
    need = need_services.need_create(
        by=recipient_logistics,
        organisation=recipient_org,
        title={"en": "Kits", "uk": "Аптечки"},
        oblast="dnipropetrovsk",
        lines=[(items["first-aid-kit"], D("40.000"))],
    )
    pledge = need_services.pledge_create(
        by=donor_organiser,
        need=need,
        donor_organisation=donor_org,
        lines=[{"need_line": need.lines.get(), "quantity": D(40)}],
    )
    convoy = convoy_services.convoy_create(
        by=donor_organiser,
        organisation=donor_org,
        title="A convoy with a rather long title, to Pavlohrad and on to Ternivka",
    )
    convoy_services.manifest_line_add(
        by=donor_organiser,
        convoy=convoy,
        pledge_line=pledge.lines.get(),
        quantity=D("40.000"),
        box_number="1",
        lot="L-1",
        expiry="2027-01-31",
    )
    convoy_services.convoy_transition(by=donor_organiser, convoy=convoy, to="loading")
    convoy_services.convoy_transition(by=donor_organiser, convoy=convoy, to="departed")
    return convoy
