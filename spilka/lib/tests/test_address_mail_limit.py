"""Every public form that mails an address a visitor typed sends only a few mails to one
address per hour, all forms together, and answers the same whether or not it held one back:
a visitor can neither flood someone's inbox nor learn that somebody else is trying to."""

from __future__ import annotations

import html
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import Client

from spilka.campaigns.models import Campaign, Petition
from spilka.campaigns.services import cosignatures, individual_signatories
from spilka.campaigns.services import statements as statement_services
from spilka.campaigns.tests.conftest import sign_form_data
from spilka.events.tests.conftest import make_event, register_data
from spilka.lib import ratelimit
from spilka.lib.testing import pow_solve_for_tests

pytestmark = pytest.mark.django_db

TARGET = "target@example.org"


@pytest.fixture(autouse=True)
def _small_limits(settings):
    settings.SPILKA_POW_MAX_NUMBER = 500
    settings.SPILKA_MAILS_PER_ADDRESS_PER_HOUR = 2


def _solve(page: str) -> str:
    match = re.search(r'data-pow-challenge="([^"]+)"', page)
    assert match is not None
    challenge = html.unescape(match.group(1))
    return pow_solve_for_tests(challenge)


def _answer(response) -> tuple[int, tuple[str, ...], str]:
    """What the visitor sees: status, templates, and where a redirect leads (tokens aside)."""
    location = re.sub(r"/r/[^/]+/", "/r/TOKEN/", response.get("Location", ""))
    return (
        response.status_code,
        tuple(t.name for t in response.templates if "/email/" not in t.name),
        location,
    )


def _spend(email: str) -> None:
    for _ in range(2):
        assert ratelimit.address_mail_allowed(email)


def _mails_to(email: str) -> int:
    return sum(email in message.to for message in mail.outbox)


def _signup(client, organisation, email, capture):
    page = client.get(f"/en/join/{organisation.slug}/").content.decode()
    data = {"name": "A", "email": email, "country": "GB", "consent": "on", "website": ""}
    data["altcha"] = _solve(page)
    with capture(execute=True):
        return client.post(f"/en/join/{organisation.slug}/", data)


def _data_request(client, email, capture):
    page = client.get("/en/my-data/").content.decode()
    data = {"email": email, "kind": "export", "website": "", "altcha": _solve(page)}
    with capture(execute=True):
        return client.post("/en/my-data/", data)


def test_the_limit_counts_the_normalised_address_and_stores_only_a_salted_hash():
    assert ratelimit.address_mail_allowed(" Target@Example.org ")
    assert ratelimit.address_mail_allowed("target@example.org")
    assert not ratelimit.address_mail_allowed("TARGET@example.org")
    assert ratelimit.address_mail_allowed("someone.else@example.org")
    keys = list(cache._cache)  # the test cache is local memory
    assert keys and not [k for k in keys if "target" in k.lower() or "example" in k]


def test_the_sign_up_form_cannot_flood_an_address_and_answers_the_same(
    demo, django_capture_on_commit_callbacks
):
    usc = demo["ukraine-solidarity-campaign"]
    client = Client()
    answers = {
        _answer(_signup(client, usc, TARGET, django_capture_on_commit_callbacks)) for _ in range(4)
    }
    assert len(answers) == 1 and next(iter(answers))[0] == 200
    assert _mails_to(TARGET) == 2


def test_the_data_request_form_cannot_flood_an_address_and_answers_the_same(
    db, django_capture_on_commit_callbacks
):
    client = Client()
    answers = {
        _answer(_data_request(client, TARGET, django_capture_on_commit_callbacks)) for _ in range(4)
    }
    assert len(answers) == 1 and next(iter(answers))[0] == 200
    assert _mails_to(TARGET) == 2


def test_event_registrations_cannot_flood_an_address_and_answer_the_same(
    demo, django_capture_on_commit_callbacks
):
    client = Client()
    answers = set()
    for number in range(4):
        event = make_event(demo["ussc"], slug=f"flood-{number}")
        data = register_data(client, event, email=TARGET)
        with django_capture_on_commit_callbacks(execute=True):
            answers.add(_answer(client.post(f"/en/events/{event.slug}/register/", data)))
    assert len(answers) == 1
    assert _mails_to(TARGET) == 2
    # Registering the same address again mails its links again: within the same limit.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(
            f"/en/events/{event.slug}/register/", register_data(client, event, email=TARGET)
        )
    assert again.status_code == 200 and _mails_to(TARGET) == 2


def test_a_petition_sends_no_confirmation_to_an_address_that_had_its_share(
    demo, django_capture_on_commit_callbacks
):
    petition = Petition.objects.get(slug="iaea-zaporizhzhia")
    client = Client()
    url = f"/en/petitions/{petition.slug}/sign/"
    with django_capture_on_commit_callbacks(execute=True):
        fresh = client.post(url, sign_form_data(client, petition, email="fresh@example.org"))
    _spend(TARGET)
    with django_capture_on_commit_callbacks(execute=True):
        spent = client.post(url, sign_form_data(client, petition, email=TARGET))
    assert _answer(fresh) == _answer(spent)
    assert _mails_to("fresh@example.org") == 1 and _mails_to(TARGET) == 0


def test_statement_confirmations_are_not_sent_to_an_address_that_had_its_share(
    demo, razem_organiser, django_capture_on_commit_callbacks
):
    statement = statement_services.statement_create(
        by=razem_organiser,
        campaign=Campaign.objects.get(slug="warsaw-left-unity"),
        slug="flood-statement",
        title={"en": "Solidarity"},
        text={"en": "We stand with Ukraine's workers."},
        status="open",
        allow_individuals=True,
    )
    officer = "secretary@ukrainesolidaritycampaign.example"
    _spend(TARGET)
    _spend(officer)
    with django_capture_on_commit_callbacks(execute=True):
        _signatory, created = individual_signatories.individual_sign(
            statement=statement, full_name="Ann", email=TARGET, base_url="http://testserver"
        )
        cosignature = cosignatures.cosign_request_officer(
            statement=statement,
            organisation=demo["ukraine-solidarity-campaign"],
            officer_name="Sam",
            officer_email=officer,
            base_url="http://testserver",
        )
    assert created and cosignature.status == "pending"
    assert mail.outbox == []


def test_a_password_reset_is_not_mailed_to_an_address_that_had_its_share(
    db, django_capture_on_commit_callbacks
):
    get_user_model().objects.create_user(TARGET, "old password 1234")
    _spend(TARGET)
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post("/en/accounts/password-reset/", {"email": TARGET})
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/password-reset/sent/"
    assert mail.outbox == []


def test_the_limit_is_shared_by_every_form(demo, django_capture_on_commit_callbacks):
    client = Client()
    _signup(client, demo["ukraine-solidarity-campaign"], TARGET, django_capture_on_commit_callbacks)
    _data_request(client, TARGET, django_capture_on_commit_callbacks)
    event = make_event(demo["ussc"], slug="shared-limit")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/en/events/{event.slug}/register/", register_data(client, event, email=TARGET)
        )
    assert _mails_to(TARGET) == 2
