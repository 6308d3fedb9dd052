"""Route times per stop, and a pledge's own page: publish delay and cancelling."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from spilka.aid.models import ManifestLine, NeedStatus, PledgeStatus
from spilka.aid.services import convoys as convoy_services
from spilka.aid.services import needs as need_services
from spilka.aid.services.route import route_times_set
from spilka.lib.models import AuditEntry

pytestmark = pytest.mark.django_db
WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")


@pytest.fixture
def convoy(donor_org, donor_organiser):
    convoy = convoy_services.convoy_create(
        by=donor_organiser, organisation=donor_org, title="Durham to Pavlohrad"
    )
    for place in ("Dover", "Przemyśl", "Pavlohrad"):
        convoy_services.route_stop_add(by=donor_organiser, convoy=convoy, place=place)
    return convoy


def _at(day, hour):
    return datetime.datetime(2026, 5, day, hour, 0, tzinfo=WARSAW)


# --- route times: service ---------------------------------------------------------------


def test_route_times_are_saved_with_their_zone_and_audited(convoy, donor_organiser):
    dover, przemysl, _ = convoy.stops.order_by("order")
    route_times_set(
        convoy=convoy,
        by=donor_organiser,
        time_zone="Europe/Warsaw",
        times={dover.pk: (_at(4, 8), _at(4, 10)), przemysl.pk: (_at(5, 18), None)},
    )
    dover.refresh_from_db()
    convoy.refresh_from_db()
    assert convoy.time_zone == "Europe/Warsaw"
    assert dover.planned_at == _at(4, 8) and dover.planned_departure == _at(4, 10)
    entry = AuditEntry.objects.get(action="aid.route.times_changed")
    assert entry.actor == donor_organiser
    assert entry.before["time_zone"] == "UTC"
    assert set(entry.after["stops"]) == {str(dover.pk), str(przemysl.pk)}


def test_departure_before_arrival_is_refused_and_nothing_saved(convoy, donor_organiser):
    dover, przemysl, _ = convoy.stops.order_by("order")
    with pytest.raises(ValidationError) as caught:
        route_times_set(
            convoy=convoy,
            by=donor_organiser,
            time_zone="Europe/Warsaw",
            times={dover.pk: (_at(4, 8), _at(4, 10)), przemysl.pk: (_at(5, 18), _at(5, 9))},
        )
    assert f"departure_{przemysl.pk}" in caught.value.message_dict
    dover.refresh_from_db()
    assert dover.planned_at is None
    assert not AuditEntry.objects.filter(action="aid.route.times_changed").exists()


def test_a_stop_of_another_convoy_is_refused(convoy, donor_org, donor_organiser):
    other = convoy_services.convoy_create(by=donor_organiser, organisation=donor_org, title="x")
    stop = convoy_services.route_stop_add(by=donor_organiser, convoy=other, place="Calais")
    with pytest.raises(ValidationError):
        route_times_set(
            convoy=convoy, by=donor_organiser, time_zone="UTC", times={stop.pk: (_at(4, 8), None)}
        )


# --- route times: page ------------------------------------------------------------------


def test_convoy_page_links_to_the_route_page(login, convoy, donor_organiser):
    page = login(donor_organiser).get(convoy.get_absolute_url()).content.decode()
    assert reverse("aid:convoy_route", kwargs={"pk": convoy.pk}) in page


def test_organiser_types_times_in_the_chosen_zone(login, convoy, donor_organiser):
    dover = convoy.stops.order_by("order").first()
    url = reverse("aid:convoy_route", kwargs={"pk": convoy.pk})
    response = login(donor_organiser).post(
        url,
        {
            "time_zone": "Europe/Kyiv",
            f"arrival_{dover.pk}": "2026-05-04T08:00",
            f"departure_{dover.pk}": "2026-05-04T10:30",
        },
    )
    assert response.status_code == 302
    dover.refresh_from_db()
    kyiv = zoneinfo.ZoneInfo("Europe/Kyiv")
    assert dover.planned_at == datetime.datetime(2026, 5, 4, 8, 0, tzinfo=kyiv)
    page = login(donor_organiser).get(convoy.get_absolute_url()).content.decode()
    assert "Europe/Kyiv" in page


def test_bad_times_come_back_with_a_message_and_what_was_typed(login, convoy, donor_organiser):
    dover = convoy.stops.order_by("order").first()
    url = reverse("aid:convoy_route", kwargs={"pk": convoy.pk})
    response = login(donor_organiser).post(
        url,
        {
            "time_zone": "Europe/Warsaw",
            f"arrival_{dover.pk}": "2026-05-04T10:00",
            f"departure_{dover.pk}": "2026-05-04T09:00",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "must come after the arrival" in body
    assert "2026-05-04T09:00" in body
    assert not AuditEntry.objects.filter(action="aid.route.times_changed").exists()


def test_another_organisations_organiser_cannot_open_the_route_page(login, convoy, razem_organiser):
    url = reverse("aid:convoy_route", kwargs={"pk": convoy.pk})
    assert login(razem_organiser).get(url).status_code == 404


def test_recipient_sees_the_convoy_but_may_not_change_its_route(
    login, loaded_convoy, recipient_logistics
):
    url = reverse("aid:convoy_route", kwargs={"pk": loaded_convoy.pk})
    assert login(recipient_logistics).get(url).status_code == 403


# --- pledges ----------------------------------------------------------------------------


def test_cancelling_a_pledge_gives_its_quantities_back_with_an_audit_row(
    pledge, need, recipient_logistics
):
    need_services.pledge_cancel(pledge=pledge, by=recipient_logistics)
    need.refresh_from_db()
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.CANCELLED
    assert need.status == NeedStatus.OPEN
    assert all(line.pledged == 0 for line in need.lines.all())
    entries = AuditEntry.objects.filter(action="aid.pledge.cancelled", object_id=str(pledge.pk))
    # Filed under the donor and under the need's organisation: both find it.
    assert entries.count() == 2
    entry = entries.first()
    assert entry.actor == recipient_logistics
    assert entry.before["status"] == "offered" and entry.after == {"status": "cancelled"}


def test_a_pledge_loaded_on_a_convoy_cannot_be_cancelled(loaded_convoy, pledge, donor_organiser):
    with pytest.raises(ValidationError, match=loaded_convoy.reference):
        need_services.pledge_cancel(pledge=pledge, by=donor_organiser)
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.OFFERED
    assert not AuditEntry.objects.filter(action="aid.pledge.cancelled").exists()


def test_publish_after_holds_the_donors_lines_back(loaded_convoy, pledge, donor_organiser):
    from spilka.aid.services.handovers import ReceivedLine, handover_confirm

    later = timezone.now() + datetime.timedelta(days=30)
    need_services.pledge_set_publish_after(pledge=pledge, by=donor_organiser, publish_after=later)
    handover = loaded_convoy.handovers.get()
    convoy_services.convoy_transition(by=donor_organiser, convoy=loaded_convoy, to="arrived")
    handover_confirm(
        handover=handover,
        signer_name="Oksana",
        lines=[ReceivedLine(ln.pk, ln.quantity) for ln in handover.lines.all()],
    )
    assert set(
        ManifestLine.objects.filter(handover=handover).values_list("public_from", flat=True)
    ) == {later}
    entry = AuditEntry.objects.get(action="aid.pledge.publish_after_set")
    assert entry.before == {"publish_after": None}


def test_pledge_page_is_linked_from_the_need_and_saves_publish_after(
    login, pledge, need, donor_organiser
):
    client = login(donor_organiser)
    url = reverse("aid:pledge", kwargs={"pk": pledge.pk})
    assert url in client.get(need.get_absolute_url()).content.decode()
    response = client.post(url, {"publish_after": "2026-09-01T12:00", "time_zone": "Europe/London"})
    assert response.status_code == 302
    pledge.refresh_from_db()
    assert pledge.publish_after == datetime.datetime(2026, 9, 1, 11, 0, tzinfo=datetime.UTC)


def test_pledge_cancel_asks_first_and_needs_the_box(login, pledge, donor_organiser):
    client = login(donor_organiser)
    url = reverse("aid:pledge_cancel", kwargs={"pk": pledge.pk})
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 400
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.OFFERED
    assert client.post(url, {"understood": "1"}).status_code == 302
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.CANCELLED


def test_cancelling_a_loaded_pledge_on_the_page_says_why(
    login, loaded_convoy, pledge, donor_organiser
):
    url = reverse("aid:pledge_cancel", kwargs={"pk": pledge.pk})
    response = login(donor_organiser).post(url, {"understood": "1"})
    assert response.status_code == 400
    assert loaded_convoy.reference in response.content.decode()


def test_another_organisations_organiser_gets_404_for_the_pledge(login, pledge, razem_organiser):
    for name in ("aid:pledge", "aid:pledge_cancel"):
        url = reverse(name, kwargs={"pk": pledge.pk})
        assert login(razem_organiser).get(url).status_code == 404
        assert login(razem_organiser).post(url, {"understood": "1"}).status_code == 404
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.OFFERED


def test_anonymous_visitor_is_sent_to_sign_in(anon, pledge):
    response = anon.get(reverse("aid:pledge", kwargs={"pk": pledge.pk}))
    assert response.status_code == 302 and "login" in response["Location"]
