from __future__ import annotations

import pytest
from django.core import mail

from spilka.lib.models import AuditEntry
from spilka.outreach.models import MailingRecipient, MailingStatus, RecipientStatus
from spilka.outreach.selectors import mailing_recipient_count
from spilka.outreach.services import mailings
from spilka.outreach.services.supporters import supporter_unsubscribe
from spilka.outreach.tokens import unsubscribe_read, unsubscribe_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailing(usc, usc_admin):
    return mailings.mailing_create(
        organisation=usc,
        by=usc_admin,
        subject={"en": "News for {{ first_name|friend }}", "pl": "Wiadomości dla {{ first_name }}"},
        body={
            "en": "Dear {{ first_name|friend }}, thank you.",
            "pl": "Cześć {{ first_name }}, dziękujemy.",
        },
        original_language="en",
    )


def _send(mailing, usc_admin, capture):
    with capture(execute=True):
        mailings.mailing_queue(
            mailing=mailing,
            by=usc_admin,
            base_url="http://testserver",
            confirmed_count=mailing_recipient_count(mailing),
        )
    mailing.refresh_from_db()
    return mailing


def test_each_recipient_gets_their_language_or_the_original_with_one_click_unsubscribe(
    usc, usc_admin, announce, mailing, django_capture_on_commit_callbacks
):
    announce(usc, "pl@example.org", name="Marta Nowak", language="pl")
    announce(usc, "uk@example.org", name="", language="uk")
    mail.outbox.clear()
    mailing = _send(mailing, usc_admin, django_capture_on_commit_callbacks)
    assert mailing.status == MailingStatus.SENT
    sent = {m.to[0]: m for m in mail.outbox}
    assert sent["pl@example.org"].subject == "Wiadomości dla Marta"
    assert sent["uk@example.org"].subject == "News for friend"  # no Ukrainian text: original
    message = sent["pl@example.org"]
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url.startswith("http://testserver/pl/u/") and url in message.body
    assert unsubscribe_read(url.rsplit("/u/", 1)[1].strip("/"))[0] == usc.pk
    assert AuditEntry.objects.filter(action="outreach.mailing.sent").exists()


def test_only_subscribed_supporters_of_this_organisation_receive_it(
    usc, razem, usc_admin, announce, mailing, django_capture_on_commit_callbacks
):
    announce(usc, "yes@example.org")
    announce(usc, "noconsent@example.org", consented=False, kind="donated")
    gone = announce(usc, "gone@example.org")
    supporter_unsubscribe(organisation_id=usc.pk, supporter_id=gone.pk)
    announce(razem, "razem@example.org")
    mail.outbox.clear()
    _send(mailing, usc_admin, django_capture_on_commit_callbacks)
    recipients = {m.to[0] for m in mail.outbox}
    assert "yes@example.org" in recipients
    assert not recipients & {"noconsent@example.org", "gone@example.org", "razem@example.org"}


def test_someone_who_unsubscribes_during_the_send_is_skipped(
    usc, usc_admin, announce, mailing, django_capture_on_commit_callbacks
):
    first = announce(usc, "first@example.org")
    with django_capture_on_commit_callbacks(execute=False):
        mailings.mailing_queue(
            mailing=mailing,
            by=usc_admin,
            base_url="http://testserver",
            confirmed_count=mailing_recipient_count(mailing),
        )
    mailings._freeze_audience(mailing)
    supporter_unsubscribe(organisation_id=usc.pk, supporter_id=first.pk, mailing_id=mailing.pk)
    mail.outbox.clear()
    mailings.mailing_send_run(mailing_id=mailing.pk)
    assert "first@example.org" not in {m.to[0] for m in mail.outbox}
    receipt = MailingRecipient.objects.get(mailing=mailing, supporter=first)
    assert receipt.status == RecipientStatus.SKIPPED and receipt.unsubscribed_at


def test_a_refused_batch_is_retried_message_by_message(
    usc, usc_admin, announce, mailing, django_capture_on_commit_callbacks
):
    announce(usc, "ok@example.org")
    announce(usc, "refused@example.org")
    from django.core.mail.backends.locmem import EmailBackend

    class Picky(EmailBackend):
        def send_messages(self, messages):
            if any("refused" in m.to[0] for m in messages):
                raise OSError("550")
            return super().send_messages(messages)

    with django_capture_on_commit_callbacks(execute=False):
        mailings.mailing_queue(
            mailing=mailing,
            by=usc_admin,
            base_url="http://testserver",
            confirmed_count=mailing_recipient_count(mailing),
        )
    done = mailings.mailing_send_run(mailing_id=mailing.pk, connection_factory=Picky)
    statuses = dict(
        MailingRecipient.objects.filter(mailing=mailing).values_list("supporter__email", "status")
    )
    assert statuses["ok@example.org"] == RecipientStatus.SENT
    assert statuses["refused@example.org"] == RecipientStatus.FAILED
    assert done.status == MailingStatus.SENT


def test_a_scheduled_mailing_waits_for_its_time(
    usc, usc_admin, announce, mailing, django_capture_on_commit_callbacks
):
    import datetime

    from django.utils import timezone

    announce(usc, "later@example.org")
    with django_capture_on_commit_callbacks(execute=False):
        mailings.mailing_queue(
            mailing=mailing,
            by=usc_admin,
            base_url="http://testserver",
            confirmed_count=mailing_recipient_count(mailing),
            run_after=timezone.now() + datetime.timedelta(hours=2),
        )
    assert mailings.mailing_send_run(mailing_id=mailing.pk).status == MailingStatus.SCHEDULED


def test_unknown_merge_fields_are_refused(usc, usc_admin):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        mailings.mailing_create(
            organisation=usc,
            by=usc_admin,
            subject={"en": "Hi"},
            body={"en": "{{ password }} {{ request.user }}"},
            original_language="en",
        )


def test_merge_fields_never_run_template_code():
    from spilka.outreach.merge_fields import render

    text = "{% load x %}{{ first_name }} {{ name.__class__ }} {{ email|{{ }}"
    assert (
        render(text, {"first_name": "<b>Ola</b>"})
        == "{% load x %}<b>Ola</b> {{ name.__class__ }} {{ email|{{ }}"
    )


def test_an_unsubscribe_token_cannot_be_altered_for_another_supporter(usc):
    token = unsubscribe_token(usc.pk, 41, 0)
    assert unsubscribe_read(token) == (usc.pk, 41, 0)
    forged = token.replace(f"{usc.pk}-41-", f"{usc.pk}-42-")
    assert unsubscribe_read(forged) is None
    assert unsubscribe_read("garbage") is None


def test_unsubscribed_bounced_and_complained_are_never_mailed_again_even_after_an_import(
    usc, usc_admin, announce, mailing, django_capture_on_commit_callbacks
):
    from spilka.outreach.services import imports
    from spilka.outreach.services.undeliverable import address_mark_undeliverable

    announce(usc, "stays@example.org")
    gone = announce(usc, "gone@example.org")
    supporter_unsubscribe(organisation_id=usc.pk, supporter_id=gone.pk)
    announce(usc, "bounced@example.org")
    address_mark_undeliverable(email="bounced@example.org", kind="bounce")
    announce(usc, "complained@example.org")
    address_mark_undeliverable(email="complained@example.org", kind="complaint")
    with django_capture_on_commit_callbacks(execute=True):
        upload = imports.import_upload(
            organisation=usc,
            by=usc_admin,
            filename="again.csv",
            data=(
                b"email,name\ngone@example.org,Gone\nBOUNCED@example.org,B\n"
                b"complained@example.org,C\nfresh@example.org,Fresh\n"
            ),
            consent_given=True,
            consent_source="Old sign-up sheets",
        )
        imports.import_queue(supporter_import=upload, by=usc_admin)
    mail.outbox.clear()
    _send(mailing, usc_admin, django_capture_on_commit_callbacks)
    recipients = {m.to[0] for m in mail.outbox}
    assert {"stays@example.org", "fresh@example.org"} <= recipients
    assert not recipients & {"gone@example.org", "bounced@example.org", "complained@example.org"}
    for message in mail.outbox:  # every mass mail carries both RFC 8058 headers
        assert message.extra_headers["List-Unsubscribe"].startswith("<http://testserver/")
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
