"""The recipient's link: signed for this purpose, bound to one handover, spent once used."""

import pytest
from django.core import signing

from spilka.aid.services import convoys as convoy_services
from spilka.aid.services.handovers import (
    TOKEN_MAX_AGE,
    TOKEN_SALT,
    ReceivedLine,
    TokenError,
    handover_confirm,
    handover_from_token,
    handover_token,
)


def test_a_fresh_token_opens_its_handover(loaded_convoy):
    handover = loaded_convoy.handovers.get()
    assert handover_from_token(pk=handover.pk, token=handover_token(handover)) == handover


def test_a_forged_token_is_refused(loaded_convoy):
    handover = loaded_convoy.handovers.get()
    forged = signing.dumps({"h": handover.pk, "n": handover.token_nonce}, salt="something-else")
    with pytest.raises(TokenError) as caught:
        handover_from_token(pk=handover.pk, token=forged)
    assert caught.value.reason == "invalid"


@pytest.mark.parametrize("token", ["", "nonsense", "a:b:c", "x" * 500, "..:::"])
def test_malformed_tokens_are_refused(loaded_convoy, token):
    handover = loaded_convoy.handovers.get()
    with pytest.raises(TokenError):
        handover_from_token(pk=handover.pk, token=token)


def test_a_token_for_another_handover_is_refused(loaded_convoy, donor_organiser, demo, items):
    first = loaded_convoy.handovers.get()
    other_convoy = convoy_services.convoy_create(
        by=donor_organiser, organisation=loaded_convoy.organisation, title="o"
    )
    other = convoy_services.handover_get_or_create(
        by=donor_organiser, convoy=other_convoy, recipient=demo["kvpu"]
    )
    with pytest.raises(TokenError) as caught:
        handover_from_token(pk=other.pk, token=handover_token(first))
    assert caught.value.reason == "other"


def test_an_expired_token_is_refused(loaded_convoy, monkeypatch):
    handover = loaded_convoy.handovers.get()
    token = handover_token(handover)
    import time

    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + TOKEN_MAX_AGE + 10)
    with pytest.raises(TokenError) as caught:
        handover_from_token(pk=handover.pk, token=token)
    assert caught.value.reason == "expired"


def test_a_used_token_cannot_be_used_again(loaded_convoy):
    handover = loaded_convoy.handovers.get()
    token = handover_token(handover)
    handover_confirm(
        handover=handover,
        lines=[ReceivedLine(line.pk, line.quantity) for line in handover.lines.all()],
        signer_name="Andrii",
    )
    with pytest.raises(TokenError) as caught:
        handover_from_token(pk=handover.pk, token=token)
    assert caught.value.reason == "used"


def test_the_salt_is_unique_to_handovers():
    assert "handover" in TOKEN_SALT
