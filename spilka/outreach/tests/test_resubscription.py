"""Nothing but the supporter's own confirmed opt-in puts an unsubscribed supporter back on
an organisation's mailing list: every path that can subscribe someone is walked here."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client
from django.utils import timezone

from spilka.campaigns.models import Petition
from spilka.campaigns.services import petitions as petition_services
from spilka.events.services import registrations as event_services
from spilka.events.tests.conftest import make_event
from spilka.funds.models import Fund
from spilka.funds.services.donations import donation_record
from spilka.lib.supporters import SupporterAction
from spilka.outreach.models import ImportStatus, SupporterConsent, SupporterStatus
from spilka.outreach.services import public as public_services
from spilka.outreach.services.merging import supporter_merge
from spilka.outreach.services.supporters import (
    supporter_record_action,
    supporter_unsubscribe,
)
from spilka.outreach.tests.test_imports import _run

pytestmark = pytest.mark.django_db

VICTIM = "olena@example.org"
UNSUBSCRIBED = SupporterStatus.UNSUBSCRIBED


def _unsubscribed_supporter(usc, announce):
    supporter = announce(usc, VICTIM, when=timezone.now() - datetime.timedelta(days=30))
    assert supporter.status == SupporterStatus.SUBSCRIBED
    supporter_unsubscribe(organisation_id=usc.pk, supporter_id=supporter.pk)
    return supporter


def _status(supporter) -> str:
    supporter.refresh_from_db()
    return supporter.status


def test_no_path_resubscribes_an_unsubscribed_supporter_without_their_own_confirmation(
    usc, usc_admin, demo, announce, settings, django_capture_on_commit_callbacks
):
    settings.SPILKA_BASE_URL = "http://testserver"
    supporter = _unsubscribed_supporter(usc, announce)
    granted_before = SupporterConsent.objects.filter(supporter=supporter, granted=True).count()

    # A petition signed with the address and the organisation's box ticked, not confirmed.
    petition = Petition.objects.get(slug="iaea-zaporizhzhia")
    with django_capture_on_commit_callbacks(execute=True):
        petition_services.petition_sign(
            petition_services.Signer(
                petition_id=petition.pk,
                full_name="Olena",
                email=VICTIM,
                country="UA",
                consents=[(usc.pk, "Updates from USC, please.")],
            )
        )
    assert _status(supporter) == UNSUBSCRIBED

    # An event registration (the organisation a co-organiser), not confirmed by mail.
    event = make_event(demo["ussc"], slug="resubscribe-forum")
    event.co_organisers.add(usc)
    with django_capture_on_commit_callbacks(execute=True):
        event_services.event_register(
            event=event,
            full_name="Olena",
            email=VICTIM,
            consents=[event_services.ConsentChoice(usc, "Updates from USC, please.")],
        )
    assert _status(supporter) == UNSUBSCRIBED

    # A donation an organiser records with "agreed to hear from us" ticked.
    fund = Fund.objects.filter(organisation=usc).first()
    with django_capture_on_commit_callbacks(execute=True):
        donation_record(
            fund=fund,
            amount=Decimal("10.00"),
            currency=fund.currency,
            occurred_on=timezone.localdate(),
            by=usc_admin,
            donor_name="Olena",
            donor_email=VICTIM,
            consented_updates=True,
        )
    assert _status(supporter) == UNSUBSCRIBED

    # An organiser's import that says everyone in the file consented.
    with django_capture_on_commit_callbacks(execute=True):
        upload = _run(usc, usc_admin, text=f"Email,First name\n{VICTIM},Olena\n")
    upload.refresh_from_db()
    assert upload.status == ImportStatus.DONE and upload.updated_count == 1
    assert _status(supporter) == UNSUBSCRIBED

    # The sign-up form, its mail not (yet) confirmed.
    with django_capture_on_commit_callbacks(execute=True):
        public_services.signup_request(
            organisation=usc,
            email=VICTIM,
            name="Olena",
            country="UA",
            language="en",
            wording="Updates from USC, please.",
            base_url="http://testserver",
        )
    assert _status(supporter) == UNSUBSCRIBED

    # An old confirmed consent replayed (a backfill of a signature from before the unsubscribe).
    with transaction.atomic():
        supporter_record_action(
            action=SupporterAction(
                organisation_id=usc.pk,
                email=VICTIM,
                name="Olena",
                language="en",
                country="UA",
                kind="petition_signed",
                object_key="campaigns.petition:999",
                object_label="An old petition",
                occurred_at=timezone.now() - datetime.timedelta(days=10),
                consented_to_updates=True,
                consent_wording="Updates from USC, please.",
                confirmed_by_owner=True,
            )
        )
    assert _status(supporter) == UNSUBSCRIBED

    # None of this recorded a consent nobody confirmed.
    assert (
        SupporterConsent.objects.filter(supporter=supporter, granted=True).count()
        == granted_before + 1  # the replayed one: confirmed, kept as history, no effect
    )

    # Merging with a subscribed duplicate: the stricter status wins.
    other = announce(usc, "olena.work@example.org")
    supporter = supporter_merge(
        keep=other, other=supporter, choices={"email": "other"}, by=usc_admin
    )
    assert supporter.status == UNSUBSCRIBED

    # Only the address owner's own confirmation brings them back.
    link = re.search(r"http://testserver(/en/join/confirm/[^\s]+/)", mail.outbox[-1].body)
    assert mail.outbox[-1].to == [VICTIM]
    assert Client().post(link.group(1)).status_code == 200
    assert _status(supporter) == SupporterStatus.SUBSCRIBED


def test_an_import_never_resubscribes_someone_who_unsubscribed(
    usc, usc_admin, announce, django_capture_on_commit_callbacks
):
    supporter = _unsubscribed_supporter(usc, announce)
    with django_capture_on_commit_callbacks(execute=True):
        upload = _run(usc, usc_admin, text=f"Email,First name\n{VICTIM},Olena\n")
    upload.refresh_from_db()
    assert upload.status == ImportStatus.DONE and upload.updated_count == 1
    assert _status(supporter) == UNSUBSCRIBED


def test_a_consent_nobody_confirmed_subscribes_no_one_and_asks_the_address_owner(
    usc, announce, settings, django_capture_on_commit_callbacks
):
    settings.SPILKA_BASE_URL = "http://testserver"
    with django_capture_on_commit_callbacks(execute=True):
        supporter = announce(usc, "new@example.org", kind="donated", confirmed=False)
    assert supporter.status == SupporterStatus.NO_CONSENT
    assert not SupporterConsent.objects.filter(supporter=supporter).exists()
    assert [m.to for m in mail.outbox] == [["new@example.org"]]
    link = re.search(r"http://testserver(/en/join/confirm/[^\s]+/)", mail.outbox[0].body)
    Client().post(link.group(1))
    assert _status(supporter) == SupporterStatus.SUBSCRIBED


def test_an_unsubscribed_supporter_is_not_mailed_to_confirm_someone_elses_consent(
    usc, announce, django_capture_on_commit_callbacks
):
    supporter = _unsubscribed_supporter(usc, announce)
    with django_capture_on_commit_callbacks(execute=True):
        announce(usc, VICTIM, kind="donated", confirmed=False)
    assert _status(supporter) == UNSUBSCRIBED
    assert mail.outbox == []
