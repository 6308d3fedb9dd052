"""Registrant links live only as long as their purpose allows; the check-in search
redirects back safely; attendee lists take a fixed number of queries."""

from __future__ import annotations

import time
from unittest import mock

import pytest

from spilka.events import tokens
from spilka.events.models import Registration, RegistrationStatus
from spilka.events.services import registrations as services
from spilka.events.tests.conftest import JOIN_URL, make_event
from spilka.exports.testing import export_body, export_through_pages

pytestmark = pytest.mark.django_db


def _token_made_ago(registration_id, salt, seconds):
    with mock.patch("django.core.signing.time.time", return_value=time.time() - seconds):
        return tokens.make_token(registration_id, salt)


@pytest.fixture
def registered(forum):
    return services.event_register(
        event=forum, full_name="A", email="a@example.org", answers={forum.questions.get().pk: "x"}
    ).registration


def test_a_confirmation_link_older_than_its_lifetime_no_longer_shows_the_join_link(
    client, registered
):
    old = _token_made_ago(registered.pk, tokens.REGISTRATION_SALT, tokens.LONG_LIVED + 60)
    response = client.get(f"/en/events/r/{old}/")
    assert response.status_code == 404
    assert JOIN_URL not in response.content.decode()
    assert client.get(f"/en/events/r/{old}/event.ics").status_code == 404
    fresh = _token_made_ago(registered.pk, tokens.REGISTRATION_SALT, 60)
    assert JOIN_URL in client.get(f"/en/events/r/{fresh}/").content.decode()


def test_an_expired_cancel_link_cancels_nothing(client, registered):
    old = _token_made_ago(registered.pk, tokens.CANCEL_SALT, tokens.LONG_LIVED + 60)
    assert client.post(f"/en/events/cancel/{old}/").status_code == 404
    registered.refresh_from_db()
    assert registered.status == RegistrationStatus.CONFIRMED


def test_an_offer_link_lives_only_as_long_as_an_offer(client, ussc, settings):
    settings.SPILKA_EVENTS_OFFER_HOURS = 24
    event = make_event(ussc, capacity=1)
    first = services.event_register(event=event, full_name="A", email="a@example.org")
    second = services.event_register(event=event, full_name="B", email="b@example.org")
    services.registration_cancel(registration_id=first.registration.pk)
    old = _token_made_ago(second.registration.pk, tokens.OFFER_SALT, 3 * tokens.DAY)
    assert client.get(f"/en/events/offer/{old}/").status_code == 404
    assert client.post(f"/en/events/offer/{old}/").status_code == 404
    assert Registration.objects.get(pk=second.registration.pk).status == RegistrationStatus.OFFERED


def test_a_token_carrying_something_other_than_an_id_is_refused():
    from django.core import signing

    assert (
        tokens.read_token(signing.dumps(True, salt=tokens.CANCEL_SALT), tokens.CANCEL_SALT) is None
    )
    assert (
        tokens.read_token(signing.dumps("1", salt=tokens.CANCEL_SALT), tokens.CANCEL_SALT) is None
    )


@pytest.mark.parametrize("search", ["a\nb", "a\r\nLocation: //evil", "x&undo=1", "<b>"])
def test_a_check_in_with_any_search_text_redirects_back_safely(
    client, forum, registered, ussc_organiser, search
):
    client.force_login(ussc_organiser)
    response = client.post(f"/en/events/{forum.slug}/checkin/{registered.pk}/", {"q": search})
    assert response.status_code == 302
    assert response["Location"].startswith(f"/en/events/{forum.slug}/checkin/?q=")
    assert "\n" not in response["Location"] and "&undo" not in response["Location"]
    registered.refresh_from_db()
    assert registered.checked_in_at is not None


@pytest.mark.parametrize("page", ["attendees/", "checkin/"])
def test_attendee_lists_take_a_fixed_number_of_queries(
    client, forum, ussc_organiser, django_assert_max_num_queries, page
):
    client.force_login(ussc_organiser)
    question = forum.questions.get()

    def add(n, start):
        for i in range(start, start + n):
            services.event_register(
                event=forum,
                full_name=f"P{i}",
                email=f"p{i}@example.org",
                answers={question.pk: "x"},
            )

    add(2, 0)
    client.get(f"/en/events/{forum.slug}/{page}")  # warm caches (roles, session)
    with django_assert_max_num_queries(40) as few:
        client.get(f"/en/events/{forum.slug}/{page}")
    add(15, 100)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(f"/en/events/{forum.slug}/{page}").status_code == 200


def test_the_attendee_export_takes_a_fixed_number_of_queries(
    client, forum, ussc_organiser, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    """The request, the task writing the file, its mail, the status page and the download."""
    client.force_login(ussc_organiser)
    question = forum.questions.get()

    def add(n, start):
        for i in range(start, start + n):
            services.event_register(
                event=forum,
                full_name=f"P{i}",
                email=f"p{i}@example.org",
                answers={question.pk: "x"},
            )

    def export():
        _export, response = export_through_pages(
            client,
            f"/en/events/{forum.slug}/attendees.csv",
            capture=django_capture_on_commit_callbacks,
        )
        return export_body(response).decode("utf-8-sig").count("\r\n")

    add(2, 0)
    with django_assert_max_num_queries(60) as few:
        small = export()
    add(15, 100)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert export() == small + 15
