"""Event personas and fixtures, built by calling services.

- ``ussc_organiser``: organiser of USSC, which runs the forums.
- ``ussc_viewer``: a viewer of USSC (sees members-only events, not attendees).
- ``forum``: an upcoming online forum of USSC with a private join link and a question.
"""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.utils import timezone

from spilka.events.services import events as event_services
from spilka.lib.testing import pow_solve_for_tests, user_with_roles

JOIN_URL = "https://meet.example.org/j/secret-forum-123"


@pytest.fixture(autouse=True)
def _easy_proof_of_work(settings):
    settings.SPILKA_POW_MAX_NUMBER = 500


@pytest.fixture
def ussc(demo):
    return demo["ussc"]


@pytest.fixture
def ussc_organiser(demo):
    return user_with_roles("organiser@ussc.test", [(demo["ussc"], "organiser")])


@pytest.fixture
def ussc_viewer(demo):
    return user_with_roles("viewer@ussc.test", [(demo["ussc"], "viewer")])


def make_event(organiser, slug="test-forum", **overrides):
    start = timezone.now() + datetime.timedelta(days=3)
    fields = {
        "kind": "online_forum",
        "title": {"en": "Test forum", "pl": "Forum testowe"},
        "description": {"en": "About the war."},
        "starts_at": start,
        "ends_at": start + datetime.timedelta(hours=2),
        "time_zone": "America/Los_Angeles",
        "is_online": True,
        "join_url": JOIN_URL,
        "join_details": "Passcode: 4242",
        "languages": ["en"],
        "topic": "labour",
    }
    fields.update(overrides)
    return event_services.event_create(by="test", organiser=organiser, slug=slug, **fields)


@pytest.fixture
def forum(ussc):
    event = make_event(ussc)
    event_services.question_add(
        event=event,
        by="test",
        label={"en": "Where are you joining from?"},
        kind="text",
        required=True,
    )
    return event


def register_data(client, event, language="en", **overrides):
    """What a browser posts: the form's fields plus a solved proof-of-work."""
    page = client.get(f"/{language}/events/{event.slug}/").content.decode()
    challenge = html.unescape(re.search(r'data-pow-challenge="([^"]+)"', page).group(1))
    data = {"full_name": "Ola Nowak", "email": "ola@example.org", "website": ""}
    for question in event.questions.all():
        data[f"question_{question.pk}"] = "Kraków"
    data["altcha"] = pow_solve_for_tests(challenge)
    data.update(overrides)
    return data


@pytest.fixture
def register(client, django_capture_on_commit_callbacks):
    def _register(event, language="en", **overrides):
        data = register_data(client, event, language, **overrides)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(f"/{language}/events/{event.slug}/register/", data)

    return _register
