"""The inbound bounce webhooks: the generic signed JSON format, and what all formats share
(404 when not configured, size cap, rate limit, CSRF exemption, no oracle, replays).

Personas: Olena is a supporter of the Ukraine Solidarity Campaign (USC) and of Razem with the
same address; a stranger's address belongs to nobody; the sender is a mail relay holding the
shared secret; the forger has everything but the secret. Mailgun and Postmark have their own
file, test_bounce_webhooks_providers.py.
"""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
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


@pytest.fixture
def relay(settings):
    """A client as a mail relay is: no cookies, no CSRF token, but the secret."""
    p.configure(settings)
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def olena(usc, razem, announce):
    return [announce(usc, OLENA), announce(razem, OLENA)]


def post_generic(client, body: bytes, **headers):
    signed = p.generic_headers(body)
    signed.update(headers)
    return client.post(p.GENERIC_URL, body, content_type="application/json", **signed)


def statuses(email=OLENA):
    return sorted(Supporter.objects.filter(email=email).values_list("status", flat=True))


def test_a_signed_permanent_bounce_stops_mail_to_olena_in_every_organisation(relay, olena):
    body = p.generic_body(p.generic_bounce(OLENA, event_id="relay-1"))

    response = post_generic(relay, body)

    assert response.status_code == 200
    assert response.json() == {"ok": True, "events": 1}
    assert statuses() == [SupporterStatus.BOUNCED, SupporterStatus.BOUNCED]
    audit = AuditEntry.objects.filter(action="outreach.supporter.bounced")
    assert audit.count() == 2
    assert {entry.after["via"] for entry in audit} == {"generic"}
    assert {entry.actor_label for entry in audit} == {"mail server"}
    report = InboundMailEvent.objects.get()
    assert (report.provider, report.event_id, report.kind) == ("generic", "relay-1", "bounce")
    assert report.supporters_marked == 2
    # The address is never stored, in the report or in its reason.
    assert OLENA not in report.reason and "<address>" in report.reason
    assert OLENA not in report.address_hash


def test_a_soft_bounce_is_counted_but_olena_stays_subscribed(relay, olena):
    for number in (1, 2):
        body = p.generic_body(p.generic_bounce(OLENA, permanent=False, event_id=f"soft-{number}"))
        assert post_generic(relay, body).status_code == 200

    assert statuses() == [SupporterStatus.SUBSCRIBED, SupporterStatus.SUBSCRIBED]
    assert bounce_count(email=OLENA) == 2
    assert bounce_count(email=OLENA, kind="bounce") == 0


def test_a_complaint_marks_olena_as_complained(relay, olena):
    body = p.generic_body({"type": "complaint", "email": OLENA.upper(), "id": "c-1"})

    assert post_generic(relay, body).status_code == 200

    assert statuses() == [SupporterStatus.COMPLAINED, SupporterStatus.COMPLAINED]


def test_a_batch_carries_several_events_and_an_event_without_id_is_still_recognised_again(
    relay, olena
):
    events = [
        p.generic_bounce(OLENA),  # no id: its content is its id
        p.generic_bounce(STRANGER, permanent=False),
        {"type": "complaint", "email": "someone.else@example.com"},
    ]
    assert post_generic(relay, p.generic_body(*events)).json() == {"ok": True, "events": 3}
    assert InboundMailEvent.objects.count() == 3

    assert post_generic(relay, p.generic_body(*events)).json() == {"ok": True, "events": 3}
    assert InboundMailEvent.objects.count() == 3


def test_the_same_event_twice_in_one_batch_counts_once(relay, olena):
    soft = p.generic_bounce(OLENA, permanent=False, event_id="twice")

    assert post_generic(relay, p.generic_body(soft, soft)).json() == {"ok": True, "events": 2}

    assert bounce_count(email=OLENA) == 1


def test_a_replayed_event_changes_nothing_even_after_olena_subscribed_again(relay, olena):
    body = p.generic_body(p.generic_bounce(OLENA, event_id="relay-7"))
    assert post_generic(relay, body).status_code == 200
    # Olena fixed her mailbox and the organisations took her back.
    Supporter.objects.filter(email=OLENA).update(status=SupporterStatus.SUBSCRIBED)
    audit_before = AuditEntry.objects.count()

    again = post_generic(relay, body)

    assert again.status_code == 200
    assert statuses() == [SupporterStatus.SUBSCRIBED, SupporterStatus.SUBSCRIBED]
    assert AuditEntry.objects.count() == audit_before
    assert InboundMailEvent.objects.count() == 1


def test_the_answer_is_the_same_for_a_supporters_address_and_a_strangers(relay, olena):
    for kind in ("bounce", "complaint"):
        answers = []
        for email in (OLENA, STRANGER):
            event = (
                p.generic_bounce(email, event_id=f"{kind}-{email}")
                if kind == "bounce"
                else {"type": "complaint", "email": email, "id": f"{kind}-{email}"}
            )
            response = post_generic(relay, p.generic_body(event))
            answers.append((response.status_code, response.content, response["Content-Type"]))
        assert answers[0] == answers[1]
    assert Supporter.objects.filter(email=STRANGER).count() == 0


@pytest.mark.parametrize("email", [OLENA, STRANGER])
def test_the_forger_gets_the_same_401_whatever_the_body(relay, olena, email):
    bodies = [
        p.generic_body(p.generic_bounce(email)),
        b"not json at all",
        b"",
        json.dumps({"events": "nope"}).encode(),
    ]
    answers = set()
    for body in bodies:
        forged = p.generic_headers(body, secret="a-guess-at-the-secret-0123456789")
        response = relay.post(p.GENERIC_URL, body, content_type="application/json", **forged)
        answers.add((response.status_code, response.content))
        unsigned = relay.post(p.GENERIC_URL, body, content_type="application/json")
        answers.add((unsigned.status_code, unsigned.content))
    assert len(answers) == 1
    status, content = answers.pop()
    assert status == 401 and json.loads(content) == {"error": "Authentication failed."}
    assert statuses() == [SupporterStatus.SUBSCRIBED, SupporterStatus.SUBSCRIBED]


def test_a_signature_over_another_body_or_an_old_timestamp_is_refused(relay, olena):
    body = p.generic_body(p.generic_bounce(OLENA))
    other = p.generic_body(p.generic_bounce(STRANGER))
    swapped = relay.post(
        p.GENERIC_URL, body, content_type="application/json", **p.generic_headers(other)
    )
    import time

    stale = relay.post(
        p.GENERIC_URL,
        body,
        content_type="application/json",
        **p.generic_headers(body, timestamp=int(time.time()) - 301),
    )
    assert swapped.status_code == stale.status_code == 401
    assert statuses() == [SupporterStatus.SUBSCRIBED, SupporterStatus.SUBSCRIBED]


def test_a_rolled_over_key_may_sign_beside_the_old_one(relay, olena):
    body = p.generic_body(p.generic_bounce(OLENA))
    good = p.generic_headers(body)
    good["HTTP_SPILKA_WEBHOOK_SIGNATURE"] = (
        "v1=" + "0" * 64 + ", " + good["HTTP_SPILKA_WEBHOOK_SIGNATURE"]
    )
    assert (
        relay.post(p.GENERIC_URL, body, content_type="application/json", **good).status_code == 200
    )


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b"\xff\xfe not utf-8", "not valid JSON"),
        (b"{", "not valid JSON"),
        (b"[1, 2]", '"events"'),
        (json.dumps({"events": {"type": "bounce"}}).encode(), '"events"'),
        (p.generic_body("a string"), "events[0]"),  # type: ignore[arg-type]  # bad on purpose
        (p.generic_body({"type": "delivered", "email": OLENA}), '"type"'),
        (p.generic_body({"type": "bounce", "email": OLENA}), '"permanent"'),
        (
            p.generic_body({"type": "bounce", "email": "not-an-address", "permanent": True}),
            "not an email",
        ),
        (
            p.generic_body({"type": "complaint", "email": OLENA, "occurred_at": "yesterday"}),
            "not a time",
        ),
        (p.generic_body({"type": "complaint", "email": OLENA, "id": ["x"]}), "event id"),
        (p.generic_body(*[{"type": "complaint", "email": OLENA}] * 1001), "At most 1000"),
        (b"[" * 100_000, "not valid JSON"),
    ],
)
def test_a_signed_malformed_body_gets_a_400_that_says_what_is_wrong(relay, olena, body, says):
    response = post_generic(relay, body)

    assert response.status_code == 400
    assert says in response.json()["error"]
    assert statuses() == [SupporterStatus.SUBSCRIBED, SupporterStatus.SUBSCRIBED]
    assert not InboundMailEvent.objects.exists()


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)
_event = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(["bounce", "complaint", "other"]) | _json,
        "email": st.sampled_from([OLENA, STRANGER, "", "x@", "a@b.c"]) | _json,
        "permanent": st.booleans() | _json,
        "occurred_at": st.sampled_from(["2026-01-01T00:00:00Z", "2026-13-45T99:00Z"]) | _json,
        "id": st.text(max_size=250) | st.integers() | _json,
        "reason": _json,
    },
)


@hypothesis_settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    body=st.binary(max_size=200)
    | _json.map(lambda v: json.dumps(v).encode())
    | st.lists(_event | _json, max_size=3).map(lambda e: json.dumps({"events": e}).encode())
)
def test_no_signed_body_whatever_it_holds_gets_a_server_error(relay, olena, body):
    response = post_generic(relay, body)

    assert response.status_code in (200, 400)
    assert response["Content-Type"] == "application/json"


def test_a_provider_that_is_not_configured_answers_like_a_page_that_does_not_exist(settings, olena):
    client = Client()
    missing = client.post("/hooks/nothing-here/", b"{}", content_type="application/json")
    assert missing.status_code == 404
    body = p.generic_body(p.generic_bounce(OLENA))
    for url in (p.GENERIC_URL, p.MAILGUN_URL, p.POSTMARK_URL, "/hooks/mail/sendgrid/"):
        response = client.post(
            url, body, content_type="application/json", **p.generic_headers(body)
        )
        assert response.status_code == 404
        # The site's own 404 page, which names the path asked for and nothing else.
        assert response.content.replace(url.encode(), b"/hooks/nothing-here/") == missing.content
    assert statuses() == [SupporterStatus.SUBSCRIBED, SupporterStatus.SUBSCRIBED]


def test_only_post_is_answered(relay):
    assert relay.get(p.GENERIC_URL).status_code == 405


def test_a_body_over_the_cap_gets_413_before_anything_is_read(relay, settings, olena):
    settings.SPILKA_BOUNCE_WEBHOOK_MAX_BYTES = 2048
    events = [p.generic_bounce(OLENA, event_id=f"big-{n}") for n in range(40)]
    body = p.generic_body(*events)
    assert len(body) > 2048

    response = post_generic(relay, body)

    assert response.status_code == 413
    assert "too large" in response.json()["error"]
    assert statuses() == [SupporterStatus.SUBSCRIBED, SupporterStatus.SUBSCRIBED]


def test_past_the_rate_limit_the_relay_is_told_when_to_come_back(relay, settings, olena):
    settings.SPILKA_BOUNCE_WEBHOOK_RATE = 3
    body = p.generic_body(p.generic_bounce(STRANGER, permanent=False, event_id="s"))
    answers = [post_generic(relay, body).status_code for _ in range(3)]
    limited = post_generic(relay, p.generic_body(p.generic_bounce(OLENA, event_id="late")))

    assert answers == [200, 200, 200]
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert statuses() == [SupporterStatus.SUBSCRIBED, SupporterStatus.SUBSCRIBED]
    # Another client address has its own count.
    other = post_generic(relay, body, REMOTE_ADDR="198.51.100.7")
    assert other.status_code == 200


def test_the_shell_command_still_marks_addresses_as_a_fall_back(olena, capsys):
    call_command("outreach_bounce", OLENA, "not-an-address", kind="bounce")

    assert "marked: 2, not an address: 1" in capsys.readouterr().out
    assert statuses() == [SupporterStatus.BOUNCED, SupporterStatus.BOUNCED]


def test_olena_can_have_her_bounce_reports_erased_and_retention_drops_old_ones(relay, olena):
    import datetime

    from django.utils import timezone

    from spilka.outreach.personal_data import erase_bounce_reports, export_bounce_reports
    from spilka.outreach.services.retention import retention_run

    post_generic(relay, p.generic_body(p.generic_bounce(OLENA, permanent=False, event_id="a")))
    post_generic(relay, p.generic_body(p.generic_bounce(STRANGER, permanent=False, event_id="b")))
    assert [row["kind"] for row in export_bounce_reports(OLENA)] == ["soft_bounce"]

    assert erase_bounce_reports(OLENA) == 1
    assert bounce_count(email=OLENA) == 0 and bounce_count(email=STRANGER) == 1

    done = retention_run(now=timezone.now() + datetime.timedelta(days=181))
    assert done["bounce_reports"] == 1
    assert not InboundMailEvent.objects.exists()
