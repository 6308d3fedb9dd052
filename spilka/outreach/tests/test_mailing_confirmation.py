"""A mass mailing goes out only from the final step that says how many people will get it
("This will be sent to N people"), on an explicit "Send to N people" click."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from spilka.lib.models import AuditEntry
from spilka.outreach.models import Mailing, MailingStatus, Supporter, SupporterStatus
from spilka.outreach.selectors import mailing_audience, mailing_recipient_count
from spilka.outreach.services import mailings
from spilka.outreach.services.supporters import supporter_unsubscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailing(usc, usc_admin):
    return mailings.mailing_create(
        organisation=usc,
        by=usc_admin,
        subject={"en": "News"},
        body={"en": "Dear {{ first_name|friend }}, thank you."},
        original_language="en",
    )


@pytest.fixture
def audience(usc, announce):
    announce(usc, "one@example.org")
    announce(usc, "two@example.org")
    gone = announce(usc, "gone@example.org")
    supporter_unsubscribe(organisation_id=usc.pk, supporter_id=gone.pk)
    bounced = announce(usc, "bounced@example.org")
    Supporter.objects.filter(pk=bounced.pk).update(status=SupporterStatus.BOUNCED)


def _urls(usc, mailing):
    kwargs = {"slug": usc.slug, "pk": mailing.pk}
    return reverse("outreach:mailing_send", kwargs=kwargs), reverse(
        "outreach:mailing", kwargs=kwargs
    )


def test_the_count_is_the_sends_own_audience_without_unsubscribed_or_bounced(
    usc, mailing, audience
):
    count = mailing_recipient_count(mailing)
    assert count == mailing_audience(mailing).count()
    emails = set(mailing_audience(mailing).values_list("email", flat=True))
    assert {"one@example.org", "two@example.org"} <= emails
    assert not {"gone@example.org", "bounced@example.org"} & emails


def test_the_service_refuses_a_send_without_a_confirmed_count(usc_admin, mailing, audience):
    with pytest.raises(ValidationError):
        mailings.mailing_queue(
            mailing=mailing, by=usc_admin, base_url="http://testserver", confirmed_count=None
        )
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.DRAFT
    assert not AuditEntry.objects.filter(
        action="outreach.mailing.scheduled", object_id=str(mailing.pk)
    ).exists()


def test_the_service_asks_again_when_the_audience_changed_since_the_confirmation(
    usc, usc_admin, mailing, audience, announce
):
    shown = mailing_recipient_count(mailing)
    announce(usc, "late-signup@example.org")
    with pytest.raises(ValidationError) as error:
        mailings.mailing_queue(
            mailing=mailing, by=usc_admin, base_url="http://testserver", confirmed_count=shown
        )
    assert str(shown + 1) in error.value.messages[0]
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.DRAFT


def test_the_confirmed_count_is_audited(usc_admin, mailing, audience):
    count = mailing_recipient_count(mailing)
    mailings.mailing_queue(
        mailing=mailing, by=usc_admin, base_url="http://testserver", confirmed_count=count
    )
    entry = AuditEntry.objects.get(action="outreach.mailing.scheduled", object_id=str(mailing.pk))
    assert entry.after["recipients"] == count


def test_the_final_step_shows_the_number_and_a_send_to_n_people_button(
    login, usc, usc_admin, mailing, audience
):
    send_url, detail_url = _urls(usc, mailing)
    client = login(usc_admin)
    detail = client.get(detail_url).content.decode()
    assert f'action="{send_url}"' in detail and 'method="get"' in detail  # a step, not a send
    count = mailing_recipient_count(mailing)
    page = client.get(send_url)
    assert page.status_code == 200
    body = page.content.decode()
    assert f'data-confirm-count="{count}"' in body
    assert f'data-send-confirm="{count}"' in body
    assert f'name="confirm_count" value="{count}"' in body
    assert Mailing.objects.get(pk=mailing.pk).status == MailingStatus.DRAFT  # GET sends nothing


def test_a_post_without_the_confirmation_step_is_refused(login, usc, usc_admin, mailing, audience):
    send_url, _detail = _urls(usc, mailing)
    response = login(usc_admin).post(send_url, {"run_after": ""})
    assert response.status_code == 400
    assert Mailing.objects.get(pk=mailing.pk).status == MailingStatus.DRAFT


def test_the_confirmed_click_sends(
    login, usc, usc_admin, mailing, audience, django_capture_on_commit_callbacks
):
    send_url, detail_url = _urls(usc, mailing)
    count = mailing_recipient_count(mailing)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(usc_admin).post(send_url, {"run_after": "", "confirm_count": str(count)})
    assert response.status_code == 302 and response["Location"] == detail_url
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.SENT
    assert mailing.recipient_count == count


def test_the_wording_uses_plural_forms():
    template = (
        Path(__file__).resolve().parents[1] / "templates/outreach/mailing_confirm.html"
    ).read_text()
    assert "{% blocktranslate count count=count" in template
    assert "This will be sent to {{ shown }} people." in template
    assert "Send to {{ shown }} people" in template


def test_a_scheduled_send_carries_its_time_through_the_final_step(
    login, usc, usc_admin, mailing, audience, django_capture_on_commit_callbacks
):
    import datetime

    from django.utils import timezone

    send_url, _detail = _urls(usc, mailing)
    client = login(usc_admin)
    when = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    page = client.get(send_url, {"run_after": when}).content.decode()
    assert f'name="run_after" value="{when}"' in page
    count = mailing_recipient_count(mailing)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(send_url, {"run_after": when, "confirm_count": str(count)})
    assert response.status_code == 302
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.SCHEDULED
    assert timezone.localtime(mailing.run_after).strftime("%Y-%m-%dT%H:%M") == when
