"""Convoy status buttons: verbs, in process order, and a second step for what cannot be
undone (issue 14)."""

import re

import pytest

from spilka.aid.models import Convoy, ConvoyStatus
from spilka.aid.services import convoys as convoy_services
from spilka.lib.audit import AuditEntry


def _buttons(client, convoy) -> list[tuple[str, str]]:
    page = client.get(f"/en/aid/convoys/{convoy.pk}/").content.decode()
    return re.findall(r'data-transition="(\w+)"[^>]*>([^<]+)</button>', page)


@pytest.fixture
def planned_convoy(donor_org, donor_organiser):
    return convoy_services.convoy_create(by=donor_organiser, organisation=donor_org, title="T")


def test_transitions_come_in_the_order_of_the_process():
    order = list(ConvoyStatus)
    for status in ConvoyStatus:
        steps = convoy_services.transitions_from(status)
        assert steps == sorted(steps, key=order.index)
        assert set(steps) == set(convoy_services.TRANSITIONS[status])
        assert isinstance(convoy_services.TRANSITIONS[status], tuple)  # never a set again


def test_the_page_shows_the_steps_in_process_order(login, donor_organiser, planned_convoy):
    client = login(donor_organiser)
    assert [to for to, _label in _buttons(client, planned_convoy)] == ["loading", "cancelled"]
    convoy_services.convoy_transition(by=donor_organiser, convoy=planned_convoy, to="loading")
    assert [to for to, _label in _buttons(client, planned_convoy)] == [
        "planned",
        "departed",
        "cancelled",
    ]


def test_buttons_say_what_they_do_not_where_the_convoy_ends(login, donor_organiser, planned_convoy):
    convoy_services.convoy_transition(by=donor_organiser, convoy=planned_convoy, to="loading")
    labels = [label.strip(" …") for _to, label in _buttons(login(donor_organiser), planned_convoy)]
    assert labels == ["Move back to planning", "Mark as departed", "Cancel convoy"]
    state_names = {str(choice.label) for choice in ConvoyStatus}
    for label in map(str, convoy_services.ACTION_LABELS.values()):
        assert label not in state_names
        assert label.split()[0] in {"Start", "Move", "Mark", "Cancel"}


def test_cancelling_takes_a_confirmation(login, donor_organiser, planned_convoy):
    client = login(donor_organiser)
    url = f"/en/aid/convoys/{planned_convoy.pk}/status/"
    audit_before = AuditEntry.objects.count()

    # One click on the button only asks; it changes nothing.
    page = client.get(url, {"to": "cancelled"})
    assert page.status_code == 200
    html = page.content.decode()
    assert re.search(r'<input type="checkbox" name="understood" value="1"[^>]* required', html)
    assert "I understand this cannot be undone" in html

    # Posting without the tick is refused with the reason, and nothing is cancelled.
    refused = client.post(url, {"to": "cancelled"})
    assert refused.status_code == 400
    assert "cannot be undone" in refused.content.decode()
    planned_convoy.refresh_from_db()
    assert planned_convoy.status == "planned"
    assert AuditEntry.objects.count() == audit_before

    done = client.post(url, {"to": "cancelled", "understood": "1"})
    assert done.status_code == 302
    assert Convoy.objects.get(pk=planned_convoy.pk).status == "cancelled"


def test_a_reversible_step_needs_no_confirmation(login, donor_organiser, planned_convoy):
    client = login(donor_organiser)
    response = client.post(f"/en/aid/convoys/{planned_convoy.pk}/status/", {"to": "loading"})
    assert response.status_code == 302
    assert Convoy.objects.get(pk=planned_convoy.pk).status == "loading"


def test_the_service_refuses_an_unconfirmed_irreversible_step(donor_organiser, planned_convoy):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        convoy_services.convoy_transition(
            by=donor_organiser, convoy=planned_convoy, to="cancelled", understood=False
        )
    assert Convoy.objects.get(pk=planned_convoy.pk).status == "planned"


def test_a_stale_confirmation_page_cannot_move_a_convoy_twice(
    login, donor_organiser, planned_convoy
):
    client = login(donor_organiser)
    url = f"/en/aid/convoys/{planned_convoy.pk}/status/"
    client.post(url, {"to": "cancelled", "understood": "1"})
    response = client.post(url, {"to": "cancelled", "understood": "1"}, follow=True)
    assert response.status_code == 200
    assert "cannot go from" in response.content.decode()
