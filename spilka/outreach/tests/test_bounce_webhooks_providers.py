"""Mailgun and Postmark posting to the bounce webhook, in their own formats and with their
own authentication (the shared behaviour is in test_bounce_webhooks.py).

Personas: Olena is a supporter of USC and Razem; a stranger's address belongs to nobody;
the forger has captured a genuine request but not the key.
"""

from __future__ import annotations

import json
import time

import pytest
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from spilka.lib.models import AuditEntry
from spilka.outreach.models import InboundMailEvent, Supporter, SupporterStatus
from spilka.outreach.services.bounces import bounce_count
from spilka.outreach.tests import bounce_payloads as p

OLENA = "olena.petrenko@example.org"
STRANGER = "nobody-here@example.net"
SUBSCRIBED = [SupporterStatus.SUBSCRIBED, SupporterStatus.SUBSCRIBED]


@pytest.fixture
def provider(settings):
    p.configure(settings)
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def olena(usc, razem, announce):
    return [announce(usc, OLENA), announce(razem, OLENA)]


def statuses(email=OLENA):
    return sorted(Supporter.objects.filter(email=email).values_list("status", flat=True))


def mailgun(client, body: bytes):
    return client.post(p.MAILGUN_URL, body, content_type="application/json")


def postmark(client, body: bytes, **auth):
    return client.post(
        p.POSTMARK_URL, body, content_type="application/json", **(auth or p.postmark_auth())
    )


# --- Mailgun ---------------------------------------------------------------------------


def test_a_mailgun_permanent_failure_marks_olena_as_bounced(provider, olena):
    response = mailgun(provider, p.mailgun_body(p.mailgun_failed(OLENA)))

    assert response.status_code == 200
    assert response.json() == {"ok": True, "events": 1}
    assert statuses() == [SupporterStatus.BOUNCED, SupporterStatus.BOUNCED]
    report = InboundMailEvent.objects.get()
    assert report.provider == "mailgun" and report.kind == "bounce"
    assert report.reason == "5.1.1 The email account that you tried to reach does not exist."
    assert report.occurred_at.year == 2025
    assert {
        e.after["via"] for e in AuditEntry.objects.filter(action="outreach.supporter.bounced")
    } == {"mailgun"}


def test_a_mailgun_temporary_failure_and_an_esp_block_are_only_counted(provider, olena):
    temporary = p.mailgun_failed(OLENA, severity="temporary", reason="generic", event_id="t-1")
    blocked = p.mailgun_failed(OLENA, reason="espblock", event_id="t-2")
    assert mailgun(provider, p.mailgun_body(temporary)).status_code == 200
    assert mailgun(provider, p.mailgun_body(blocked)).status_code == 200

    assert statuses() == SUBSCRIBED
    assert bounce_count(email=OLENA) == 2


def test_a_mailgun_complaint_marks_olena_as_complained(provider, olena):
    response = mailgun(provider, p.mailgun_body(p.mailgun_complained(OLENA)))

    assert response.status_code == 200
    assert statuses() == [SupporterStatus.COMPLAINED, SupporterStatus.COMPLAINED]


def test_mailgun_events_that_are_not_about_bounces_are_accepted_and_ignored(provider, olena):
    delivered = p.mailgun_failed(OLENA, event="delivered", severity=None, reason=None)
    unsubscribed = p.mailgun_failed(OLENA, reason="suppress-unsubscribe", event_id="u")

    for event in (delivered, unsubscribed):
        response = mailgun(provider, p.mailgun_body(event))
        assert response.json() == {"ok": True, "events": 0}
    assert statuses() == SUBSCRIBED
    assert not InboundMailEvent.objects.exists()


def test_a_mailgun_retry_of_the_same_request_changes_nothing(provider, olena):
    body = p.mailgun_body(p.mailgun_failed(OLENA))
    assert mailgun(provider, body).status_code == 200
    Supporter.objects.filter(email=OLENA).update(status=SupporterStatus.SUBSCRIBED)

    assert mailgun(provider, body).status_code == 200
    # Signed again (a new token), the same event is still the same event.
    assert mailgun(provider, p.mailgun_body(p.mailgun_failed(OLENA))).status_code == 200

    assert statuses() == SUBSCRIBED
    assert InboundMailEvent.objects.count() == 1


def test_the_forger_cannot_reuse_a_captured_mailgun_signature_for_another_address(provider, olena):
    captured = p.mailgun_signature()
    assert (
        mailgun(provider, p.mailgun_body(p.mailgun_failed(STRANGER), captured)).status_code == 200
    )

    # The signature covers only timestamp and token: the forger swaps the event data.
    forged = p.mailgun_failed(OLENA, event_id="forged-id")
    response = mailgun(provider, p.mailgun_body(forged, captured))

    assert response.status_code == 401
    assert statuses() == SUBSCRIBED


def test_a_mailgun_report_whose_token_cannot_be_checked_is_refused_for_a_later_retry(
    provider, olena, monkeypatch
):
    """Without the cache a signed token could carry any address: 503, Mailgun sends again."""
    from spilka.outreach.bounces import mailgun as mailgun_module

    def unreachable(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(mailgun_module.cache, "add", unreachable)
    response = mailgun(provider, p.mailgun_body(p.mailgun_failed(OLENA)))
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert SupporterStatus.BOUNCED not in statuses()
    assert not InboundMailEvent.objects.exists()


@pytest.mark.parametrize(
    "signature",
    [
        p.mailgun_signature(key="key-not-the-real-one-0123456789"),
        {**p.mailgun_signature(), "signature": "0" * 64},
        {**p.mailgun_signature(), "signature": "é" * 64},
        p.mailgun_signature(timestamp=int(time.time()) - 10 * 3600),
        p.mailgun_signature(timestamp=int(time.time()) + 3600),
        {"timestamp": 1, "token": None, "signature": []},
        None,
    ],
)
def test_a_mailgun_request_without_a_valid_signature_gets_the_same_401(provider, olena, signature):
    body = {"event-data": p.mailgun_failed(OLENA)}
    if signature is not None:
        body["signature"] = signature
    response = mailgun(provider, json.dumps(body).encode())
    garbage = mailgun(provider, b"\x00garbage")

    assert response.status_code == garbage.status_code == 401
    assert response.content == garbage.content
    assert statuses() == SUBSCRIBED


def test_an_old_but_genuine_mailgun_retry_within_nine_hours_is_accepted(provider, olena):
    signed_hours_ago = p.mailgun_signature(timestamp=int(time.time()) - 8 * 3600)
    body = p.mailgun_body(p.mailgun_failed(OLENA), signed_hours_ago)

    assert mailgun(provider, body).status_code == 200
    assert statuses() == [SupporterStatus.BOUNCED, SupporterStatus.BOUNCED]


@pytest.mark.parametrize(
    "event_data",
    [
        "a string",
        {**p.mailgun_failed(OLENA), "severity": "sometimes"},
        {**p.mailgun_failed(OLENA), "recipient": "nobody"},
        {**p.mailgun_failed(OLENA), "id": ""},
        {**p.mailgun_complained(OLENA), "timestamp": "not a time"},
    ],
)
def test_a_signed_but_malformed_mailgun_event_gets_a_400(provider, olena, event_data):
    response = mailgun(provider, p.mailgun_body(event_data))

    assert response.status_code == 400
    assert response.json()["error"]
    assert statuses() == SUBSCRIBED


def test_mailgun_answers_the_same_for_a_supporter_and_a_stranger(provider, olena):
    answers = [
        mailgun(provider, p.mailgun_body(p.mailgun_failed(email, event_id=f"id-{n}")))
        for n, email in enumerate((OLENA, STRANGER))
    ]
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].content == answers[1].content


# --- Postmark --------------------------------------------------------------------------


def test_a_postmark_hard_bounce_marks_olena_as_bounced(provider, olena):
    response = postmark(provider, p.postmark_bounce(OLENA))

    assert response.status_code == 200
    assert response.json() == {"ok": True, "events": 1}
    assert statuses() == [SupporterStatus.BOUNCED, SupporterStatus.BOUNCED]
    report = InboundMailEvent.objects.get()
    assert (report.event_id, report.kind) == ("Bounce:4323372036", "bounce")
    assert OLENA not in report.reason


def test_a_postmark_soft_bounce_is_counted_and_an_auto_reply_ignored(provider, olena):
    soft = postmark(provider, p.postmark_bounce(OLENA, bounce_type="SoftBounce", bounce_id=1))
    transient = postmark(provider, p.postmark_bounce(OLENA, bounce_type="Transient", bounce_id=2))
    auto = postmark(provider, p.postmark_bounce(OLENA, bounce_type="AutoResponder", bounce_id=3))

    assert [r.json()["events"] for r in (soft, transient, auto)] == [1, 1, 0]
    assert statuses() == SUBSCRIBED
    assert bounce_count(email=OLENA) == 2


def test_a_postmark_spam_complaint_marks_olena_as_complained(provider, olena):
    response = postmark(provider, p.postmark_spam_complaint(OLENA))

    assert response.status_code == 200
    assert statuses() == [SupporterStatus.COMPLAINED, SupporterStatus.COMPLAINED]


def test_a_postmark_retry_changes_nothing(provider, olena):
    assert postmark(provider, p.postmark_bounce(OLENA)).status_code == 200
    Supporter.objects.filter(email=OLENA).update(status=SupporterStatus.SUBSCRIBED)

    assert postmark(provider, p.postmark_bounce(OLENA)).status_code == 200

    assert statuses() == SUBSCRIBED
    assert InboundMailEvent.objects.count() == 1


def test_postmark_records_that_are_not_bounces_are_accepted_and_ignored(provider, olena):
    delivery = {"RecordType": "Delivery", "ID": 9, "Recipient": OLENA, "MessageStream": "outbound"}

    response = postmark(provider, json.dumps(delivery).encode())

    assert response.json() == {"ok": True, "events": 0}
    assert not InboundMailEvent.objects.exists()


@pytest.mark.parametrize(
    "auth",
    [
        {},
        p.postmark_auth(password="a-guess-at-the-password-0123"),
        p.postmark_auth(user="someone-else"),
        {"HTTP_AUTHORIZATION": "Basic !!!not-base64"},
        {"HTTP_AUTHORIZATION": "Bearer " + p.postmark_auth()["HTTP_AUTHORIZATION"][6:]},
    ],
)
def test_postmark_without_the_right_credentials_gets_401_and_a_challenge(provider, olena, auth):
    answers = {
        (r.status_code, r.content, r["WWW-Authenticate"])
        for r in (
            provider.post(p.POSTMARK_URL, body, content_type="application/json", **auth)
            for body in (p.postmark_bounce(OLENA), p.postmark_bounce(STRANGER), b"garbage")
        )
    }

    assert len(answers) == 1
    status, _content, challenge = answers.pop()
    assert status == 401 and challenge.startswith("Basic ")
    assert statuses() == SUBSCRIBED


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        json.dumps({"ID": 1, "Email": OLENA}).encode(),
        json.dumps({"RecordType": "Bounce", "ID": 1, "Email": OLENA}).encode(),
        json.dumps({"RecordType": "Bounce", "Type": "HardBounce", "Email": OLENA}).encode(),
        json.dumps({"RecordType": "SpamComplaint", "ID": 5, "Email": 7}).encode(),
    ],
)
def test_an_authenticated_malformed_postmark_body_gets_a_400(provider, olena, body):
    response = postmark(provider, body)

    assert response.status_code == 400
    assert response.json()["error"]
    assert statuses() == SUBSCRIBED


def test_postmark_answers_the_same_for_a_supporter_and_a_stranger(provider, olena):
    mine = postmark(provider, p.postmark_bounce(OLENA, bounce_id=10))
    theirs = postmark(provider, p.postmark_bounce(STRANGER, bounce_id=11))

    assert (mine.status_code, mine.content) == (theirs.status_code, theirs.content)


# --- Garbage under valid credentials -----------------------------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3)
    ),
    max_leaves=15,
)
_mailgun_event = st.fixed_dictionaries(
    {},
    optional={
        "event": st.sampled_from(["failed", "complained", "delivered"]) | _json,
        "severity": st.sampled_from(["permanent", "temporary"]) | _json,
        "reason": st.sampled_from(["bounce", "espblock", "suppress-complaint"]) | _json,
        "id": st.text(max_size=210) | _json,
        "timestamp": st.floats() | st.integers() | _json,
        "recipient": st.sampled_from([OLENA, STRANGER, "nope"]) | _json,
        "delivery-status": _json,
    },
)
_postmark_record = st.fixed_dictionaries(
    {},
    optional={
        "RecordType": st.sampled_from(["Bounce", "SpamComplaint", "Open"]) | _json,
        "Type": st.sampled_from(["HardBounce", "SoftBounce", "AutoResponder"]) | _json,
        "ID": st.integers() | st.text(max_size=210) | _json,
        "Email": st.sampled_from([OLENA, STRANGER, "nope"]) | _json,
        "BouncedAt": st.sampled_from(["2026-12-07T08:15:23.4516429Z", "soon"]) | _json,
        "Details": _json,
    },
)


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(event_data=_mailgun_event | _json, record=_postmark_record | _json)
def test_no_authenticated_provider_body_gets_a_server_error(provider, olena, event_data, record):
    signed = mailgun(provider, p.mailgun_body(event_data))
    basic = postmark(provider, json.dumps(record).encode())

    assert signed.status_code in (200, 400)
    assert basic.status_code in (200, 400)
