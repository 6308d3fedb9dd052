"""Public delivery pages and exports never name a private donor; the convoy list and
exports take a fixed number of queries; a vehicle's registration (its plate) has its own
translation context."""

from decimal import Decimal as D

import pytest

from spilka.aid.exports import _name
from spilka.aid.forms import VehicleForm
from spilka.aid.models import Vehicle
from spilka.aid.services import convoys as convoy_services
from spilka.aid.services.handovers import ReceivedLine, handover_confirm
from spilka.network.models import Organisation

pytestmark = pytest.mark.django_db


def _confirm(convoy):
    handover = convoy.handovers.get()
    handover_confirm(
        handover=handover,
        lines=[ReceivedLine(ln.pk, ln.quantity) for ln in handover.lines.all()],
        signer_name="Andrii Kovalenko",
    )
    return handover


def test_a_donor_that_is_not_public_is_never_named_on_public_aid_pages(
    anon, loaded_convoy, donor_org, recipient_org
):
    _confirm(loaded_convoy)
    name = _name(donor_org)
    Organisation.objects.filter(pk=donor_org.pk).update(is_public=False)
    exported = b"".join(anon.get("/en/aid/export/deliveries.csv").streaming_content).decode()
    assert "first-aid-kit" in exported  # the delivery itself still counts
    assert name not in exported
    report = anon.get(f"/en/aid/report/organisations/{recipient_org.slug}/").content.decode()
    assert name not in report
    assert "Andrii" not in exported + report
    index = anon.get("/en/aid/").content.decode()
    assert name not in index


def test_the_vehicle_registration_has_its_own_translation_context():
    # "Registration" of a van (its plate) must not share a msgid with event registration.
    label = VehicleForm.base_fields["registration"].label
    assert label._args == ("vehicle", "Registration")
    verbose = Vehicle._meta.get_field("registration").verbose_name
    assert verbose._args == ("vehicle", "registration")


def _more_deliveries(donor_organiser, donor_org, pledge_need, n):
    from spilka.aid.services import needs as need_services

    for _ in range(n):
        pledge = need_services.pledge_create(
            by=donor_organiser,
            need=pledge_need,
            donor_organisation=donor_org,
            lines=[{"need_line": pledge_need.lines.first(), "quantity": D(1)}],
        )
        convoy = convoy_services.convoy_create(
            by=donor_organiser, organisation=donor_org, title="x"
        )
        line = pledge.lines.get()
        convoy_services.manifest_line_add(
            by=donor_organiser, convoy=convoy, pledge_line=line, quantity=D(1)
        )
        convoy_services.convoy_transition(by=donor_organiser, convoy=convoy, to="loading")
        convoy_services.convoy_transition(by=donor_organiser, convoy=convoy, to="departed")
        _confirm(convoy)


@pytest.mark.parametrize(
    "url",
    ["/en/aid/convoys/", "/en/aid/export/deliveries.csv?hxl=1", "/en/aid/export/needs.csv?hxl=1"],
)
def test_convoy_list_and_exports_take_a_fixed_number_of_queries(
    login,
    loaded_convoy,
    donor_org,
    donor_organiser,
    items,
    recipient_org,
    recipient_logistics,
    django_assert_max_num_queries,
    url,
):
    from spilka.aid.services import needs as need_services

    _confirm(loaded_convoy)
    big = need_services.need_create(
        by=recipient_logistics,
        organisation=recipient_org,
        title={"en": "Radios"},
        oblast="donetsk",
        lines=[(items["radio"], D(100))],
    )
    client = login(donor_organiser)
    _read(client, url)
    with django_assert_max_num_queries(40) as few:
        assert _read(client, url)
    _more_deliveries(donor_organiser, donor_org, big, 6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert _read(client, url)


def _read(client, url) -> bytes:
    # An export is streamed: its rows are read (and its queries made) as the body is.
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content
