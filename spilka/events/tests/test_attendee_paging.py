"""The attendee and check-in lists of a big event: a page at a time, in the same queries."""

from __future__ import annotations

import pytest

from spilka.events.services import registrations as services
from spilka.events.views.manage import ATTENDEES_PER_PAGE

pytestmark = pytest.mark.django_db


def _register(event, start: int, count: int) -> None:
    question = event.questions.get()
    for n in range(start, start + count):
        services.event_register(
            event=event,
            full_name=f"Attendee {n:04d}",
            email=f"attendee{n:04d}@example.org",
            answers={question.pk: "Kyiv"},
        )


def _queries(client, django_assert_max_num_queries, url: str, limit: int) -> str:
    with django_assert_max_num_queries(limit):
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("page", ["attendees/", "checkin/"])
def test_the_organiser_of_a_big_event_gets_a_page_of_attendees_in_the_same_queries(
    client, forum, ussc_organiser, django_assert_max_num_queries, page
):
    client.force_login(ussc_organiser)
    url = f"/en/events/{forum.slug}/{page}"
    _register(forum, 0, 3)
    with django_assert_max_num_queries(50) as small:
        client.get(url)
    _register(forum, 3, ATTENDEES_PER_PAGE + 5)

    body = _queries(client, django_assert_max_num_queries, url, len(small.captured_queries))

    assert body.count("@example.org") == ATTENDEES_PER_PAGE
    assert "Page 1 of 2" in body
    second = client.get(url + "?page=2").content.decode()
    assert second.count("@example.org") == 3 + 5
    assert "attendee0000@example.org" in body  # sorted by name: the first names first
    assert "attendee0107@example.org" in second
