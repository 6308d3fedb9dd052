"""Withdrawing a petition signature ends the consent it gave: the signer is no longer a
subscribed supporter through it, with an audit row. A consent the person gave separately
(a newsletter sign-up they confirmed themselves) is their own decision and stays."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from spilka.campaigns.models import Signature, SignatureStatus
from spilka.campaigns.tests.conftest import link_from_mail
from spilka.lib.models import AuditEntry
from spilka.lib.supporters import SupporterAction, supporter_action_announce
from spilka.outreach.models import Supporter, SupporterConsent, SupporterStatus

pytestmark = pytest.mark.django_db

EMAIL = "withdraw.me@example.org"


def _sign_and_confirm(client, petition, sign, usc):
    sign(petition, email=EMAIL, **{f"consent_{usc.pk}": "on"})
    message = mail.outbox[-1]
    client.post(link_from_mail(message))
    return link_from_mail(message, "withdraw")


def _newsletter_signup(usc):
    with transaction.atomic():
        supporter_action_announce(
            SupporterAction(
                organisation_id=usc.pk,
                email=EMAIL,
                name="Withdraw Me",
                language="en",
                country="GB",
                kind="signed_up",
                object_key=f"outreach.signup:{usc.pk}",
                object_label="News sign-up",
                occurred_at=timezone.now() - datetime.timedelta(days=3),
                consented_to_updates=True,
                consent_wording="Send me the campaign's news.",
                confirmed_by_owner=True,  # confirmed from its own mailed link
            )
        )


def test_withdrawing_the_signature_ends_the_subscription_it_gave(client, petition, sign, demo):
    usc = demo["ukraine-solidarity-campaign"]
    withdraw = _sign_and_confirm(client, petition, sign, usc)
    supporter = Supporter.objects.get(organisation=usc, email=EMAIL)
    assert supporter.status == SupporterStatus.SUBSCRIBED

    client.post(withdraw)

    supporter.refresh_from_db()
    assert supporter.status == SupporterStatus.UNSUBSCRIBED  # the bug: it stayed subscribed
    key = f"petition_signed:campaigns.petition:{petition.pk}"
    ended = SupporterConsent.objects.get(supporter=supporter, granted=False)
    assert ended.source == f"withdrawn:{key}"
    entry = AuditEntry.objects.get(
        action="outreach.supporter.consent_withdrawn", object_id=str(supporter.pk)
    )
    assert entry.before == {"status": "subscribed"}
    assert entry.after["status"] == "unsubscribed" and entry.after["consent"] == key
    assert AuditEntry.objects.filter(action="campaigns.signature.withdrawn").exists()
    assert Signature.objects.get(petition=petition, status=SignatureStatus.WITHDRAWN)


def test_a_separately_confirmed_newsletter_signup_stays(client, petition, sign, demo):
    usc = demo["ukraine-solidarity-campaign"]
    _newsletter_signup(usc)
    withdraw = _sign_and_confirm(client, petition, sign, usc)

    client.post(withdraw)

    supporter = Supporter.objects.get(organisation=usc, email=EMAIL)
    assert supporter.status == SupporterStatus.SUBSCRIBED  # their own sign-up still stands
    assert SupporterConsent.objects.filter(
        supporter=supporter, granted=False, source__startswith="withdrawn:petition_signed"
    ).exists()
    entry = AuditEntry.objects.get(
        action="outreach.supporter.consent_withdrawn", object_id=str(supporter.pk)
    )
    assert entry.after["other_consents"] == 1


def test_withdrawing_twice_writes_nothing_more(client, petition, sign, demo):
    usc = demo["ukraine-solidarity-campaign"]
    withdraw = _sign_and_confirm(client, petition, sign, usc)
    client.post(withdraw)
    client.post(withdraw)
    supporter = Supporter.objects.get(organisation=usc, email=EMAIL)
    assert SupporterConsent.objects.filter(supporter=supporter, granted=False).count() == 1
    assert (
        AuditEntry.objects.filter(
            action="outreach.supporter.consent_withdrawn", object_id=str(supporter.pk)
        ).count()
        == 1
    )


def test_the_withdrawal_page_says_the_agreement_ends_and_what_is_erased(
    client, petition, sign, demo
):
    usc = demo["ukraine-solidarity-campaign"]
    withdraw = _sign_and_confirm(client, petition, sign, usc)
    page = client.get(withdraw).content.decode()
    assert "data-withdraw-consent" in page
    assert "that agreement ends too" in page
    assert "your name, email address, postcode and organisation are erased" in page
    done = client.post(withdraw).content.decode()
    assert "has ended" in done
