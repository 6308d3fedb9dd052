"""Signed links (spilka.lib.signing) and the apps' token modules built on it.

The tokens "made the old way" below are what each app's own code called before the helpers
moved into lib (``signing.dumps`` with the same salt, the unsubscribe ``Signer``): links
already sitting in inboxes must keep opening.
"""

from __future__ import annotations

import time

import pytest
from django.core import signing

from spilka.campaigns import tokens as petition_tokens
from spilka.campaigns.access.statements import COSIGN_CONFIRM_SALT, email_digest, link_read
from spilka.events import tokens as event_tokens
from spilka.lib.signing import (
    MAX_LENGTH,
    id_read,
    id_token,
    ids_read,
    ids_sign,
    token_make,
    token_open,
)
from spilka.outreach import tokens as outreach_tokens


def _made_long_ago(monkeypatch, seconds: int, make):
    """A token signed ``seconds`` ago (the signature carries the time it was made)."""
    now = time.time()
    monkeypatch.setattr("django.core.signing.time.time", lambda: now - seconds)
    token = make()
    monkeypatch.setattr("django.core.signing.time.time", lambda: now)
    return token


def test_a_petition_link_mailed_by_the_old_code_still_opens():
    old = signing.dumps(41, salt=petition_tokens.CONFIRM_SALT, compress=False)
    assert petition_tokens.read_token(old, petition_tokens.CONFIRM_SALT) == 41


def test_a_petition_link_made_now_is_in_the_format_the_old_code_read():
    token = petition_tokens.make_token(41, petition_tokens.WITHDRAW_SALT)
    assert signing.loads(token, salt=petition_tokens.WITHDRAW_SALT) == 41


def test_a_confirmation_link_does_not_withdraw_a_signature():
    token = petition_tokens.make_token(41, petition_tokens.CONFIRM_SALT)
    assert petition_tokens.read_token(token, petition_tokens.WITHDRAW_SALT) is None


def test_a_registrants_old_cancel_link_still_opens_and_names_their_registration():
    old = signing.dumps(7, salt=event_tokens.CANCEL_SALT, compress=False)
    assert event_tokens.read_token(old, event_tokens.CANCEL_SALT) == 7
    assert event_tokens.read_token(old, event_tokens.OFFER_SALT) is None


def test_a_waiting_list_offer_link_lapses_after_its_hours(monkeypatch, settings):
    settings.SPILKA_EVENTS_OFFER_HOURS = 1
    fresh = event_tokens.make_token(7, event_tokens.OFFER_SALT)
    stale = _made_long_ago(
        monkeypatch, 3 * 24 * 3600, lambda: event_tokens.make_token(7, event_tokens.OFFER_SALT)
    )
    assert event_tokens.read_token(fresh, event_tokens.OFFER_SALT) == 7
    assert event_tokens.read_token(stale, event_tokens.OFFER_SALT) is None


def test_an_unsubscribe_link_is_byte_for_byte_what_the_old_signer_made():
    old_signer = signing.Signer(salt=outreach_tokens.UNSUBSCRIBE_SALT, sep=".")
    old = old_signer.sign("3-99-12")
    assert outreach_tokens.unsubscribe_token(3, 99, 12) == old
    assert outreach_tokens.unsubscribe_read(old) == (3, 99, 12)


def test_a_forger_cannot_bend_an_unsubscribe_link_to_another_supporter():
    token = outreach_tokens.unsubscribe_token(3, 99, 12)
    bent = token.replace("3-99-", "3-98-", 1)
    assert outreach_tokens.unsubscribe_read(bent) is None


def test_an_outreach_signup_link_from_the_old_code_still_opens():
    old = signing.dumps(5, salt=outreach_tokens.SIGNUP_SALT, compress=False)
    assert outreach_tokens.read_token(old, outreach_tokens.SIGNUP_SALT, max_age=3600) == 5


def test_an_officers_cosign_link_from_the_old_code_still_opens(settings):
    old = signing.dumps([12, email_digest("officer@ussc.example")], salt=COSIGN_CONFIRM_SALT)
    link = link_read(old, COSIGN_CONFIRM_SALT)
    assert (link.pk, link.digest, link.expired) == (12, email_digest("officer@ussc.example"), False)


def test_an_old_cosign_link_reads_as_expired_and_a_forged_one_never_does(monkeypatch, settings):
    settings.SPILKA_SIGNATURE_CONFIRM_HOURS = 1
    stale = _made_long_ago(
        monkeypatch, 2 * 3600, lambda: token_make([12, "abc"], purpose=COSIGN_CONFIRM_SALT)
    )
    assert link_read(stale, COSIGN_CONFIRM_SALT).expired
    forged = stale[:-2] + ("AA" if not stale.endswith("AA") else "BB")
    assert link_read(forged, COSIGN_CONFIRM_SALT).expired is False
    assert link_read(forged, COSIGN_CONFIRM_SALT).pk is None


def test_a_handover_link_from_the_old_code_still_opens():
    from spilka.aid.services.handovers import TOKEN_MAX_AGE, TOKEN_SALT

    old = signing.dumps({"h": 8, "n": "nonce"}, salt=TOKEN_SALT, compress=True)
    opened = token_open(old, purpose=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    assert opened.value == {"h": 8, "n": "nonce"}


@pytest.mark.parametrize(
    "garbage", ["", "x", "a" * (MAX_LENGTH + 1), "MQ:1tnQ:abc", "null", "<script>"]
)
def test_garbage_reads_as_nothing_and_never_as_expired(garbage):
    assert token_open(garbage, purpose="spilka.test", max_age=1).value is None
    assert token_open(garbage, purpose="spilka.test", max_age=1).expired is False
    assert id_read(garbage, purpose="spilka.test") is None
    assert ids_read(garbage, purpose="spilka.test", count=2) is None


def test_an_id_token_is_refused_for_another_purpose():
    assert id_read(id_token(3, purpose="spilka.a"), purpose="spilka.a") == 3
    assert id_read(id_token(3, purpose="spilka.a"), purpose="spilka.b") is None


def test_a_signed_value_that_is_not_an_id_is_no_id():
    for value in [True, "3", 3.0, [3], None]:
        assert id_read(token_make(value, purpose="spilka.a"), purpose="spilka.a") is None


def test_ids_must_be_as_many_as_asked_for():
    token = ids_sign((1, 2), purpose="spilka.a")
    assert ids_read(token, purpose="spilka.a", count=2) == (1, 2)
    assert ids_read(token, purpose="spilka.a", count=3) is None
