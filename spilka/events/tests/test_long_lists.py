"""Every message sent to an event's registered people stays reachable, page by page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from spilka.events.models import EventMessage

PER_PAGE = 20  # sent messages per page


def _sent(event, count, start=0):
    for i in range(start, start + count):
        EventMessage.objects.create(
            event=event, subject=f"Reminder {i:03d}", body="See you", sent_by="test"
        )


@pytest.mark.django_db
def test_the_first_message_sent_is_on_the_second_page(forum, ussc_organiser, login):
    _sent(forum, PER_PAGE + 1)
    url = f"/en/events/{forum.slug}/message/"
    client = login(ussc_organiser)
    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()
    assert "Reminder 000" not in first and "Reminder 020" in first
    assert "Reminder 000" in second and "Reminder 020" not in second
    for page in ("abc", "999"):
        assert client.get(url, {"page": page}).status_code == 200


@pytest.mark.django_db
def test_queries_do_not_grow_with_messages(
    forum, ussc_organiser, login, django_assert_max_num_queries
):
    url = f"/en/events/{forum.slug}/message/"
    client = login(ussc_organiser)
    _sent(forum, 2)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _sent(forum, PER_PAGE * 2, start=2)
    with django_assert_max_num_queries(len(few)):
        client.get(url + "?page=2")
