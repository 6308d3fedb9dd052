"""Mail leaves only after commit; in development it lands in the outbox staff can read."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import transaction

from spilka.accounts.tests.otp import verified_client
from spilka.lib.mail import email_send_after_commit
from spilka.lib.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user(
        "staff@spilka.test", "unused password 123", is_staff=True
    )


@pytest.fixture
def outbox_backend(settings):
    settings.EMAIL_BACKEND = "spilka.lib.mail.OutboxEmailBackend"
    settings.SPILKA_OUTBOX_ENABLED = True


def _send_welcome(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        email_send_after_commit(
            to=["olena@example.org"],
            subject="Welcome to Spilka",
            body="Confirm your address: http://testserver/confirm/abc/",
            html_body="<p>Confirm your address</p>",
            headers={"X-Spilka": "welcome"},
        )


def test_mail_is_sent_only_after_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        email_send_after_commit(to=["olena@example.org"], subject="Hello", body="Text")
        assert mail.outbox == []
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["olena@example.org"]
    assert message.subject == "Hello"
    assert message.body == "Text"


def test_mail_is_not_sent_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        email_send_after_commit(to=["olena@example.org"], subject="Hello", body="Text")
        raise RuntimeError("the service failed after queueing the mail")
    assert callbacks == []
    assert mail.outbox == []


def test_mail_carries_the_html_alternative(django_capture_on_commit_callbacks):
    _send_welcome(django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert message.alternatives[0][0] == "<p>Confirm your address</p>"
    assert message.alternatives[0][1] == "text/html"
    assert message.extra_headers == {"X-Spilka": "welcome"}


def test_outbox_backend_stores_the_message(outbox_backend, django_capture_on_commit_callbacks):
    _send_welcome(django_capture_on_commit_callbacks)
    assert mail.outbox == []
    stored = OutboxMessage.objects.get()
    assert stored.subject == "Welcome to Spilka"
    assert stored.to == "olena@example.org"
    assert stored.body == "Confirm your address: http://testserver/confirm/abc/"
    assert stored.html_body == "<p>Confirm your address</p>"
    assert stored.headers == {"X-Spilka": "welcome"}
    assert stored.from_email  # DEFAULT_FROM_EMAIL


def test_staff_see_the_outbox_list_and_a_message(
    outbox_backend, django_capture_on_commit_callbacks, staff
):
    _send_welcome(django_capture_on_commit_callbacks)
    stored = OutboxMessage.objects.get()
    client = verified_client(staff)

    listing = client.get("/en/outbox/")
    assert listing.status_code == 200
    assert "Welcome to Spilka" in listing.content.decode()
    assert f"/en/outbox/{stored.pk}/" in listing.content.decode()

    detail = client.get(f"/en/outbox/{stored.pk}/")
    assert detail.status_code == 200
    body = detail.content.decode()
    assert "Welcome to Spilka" in body
    assert "olena@example.org" in body
    assert "Confirm your address" in body


def test_outbox_detail_of_a_missing_message_is_404(outbox_backend, staff):
    assert verified_client(staff).get("/en/outbox/999999/").status_code == 404


def test_staff_without_a_verified_second_factor_are_sent_to_verify_it(
    outbox_backend, django_capture_on_commit_callbacks, staff, login
):
    _send_welcome(django_capture_on_commit_callbacks)
    stored = OutboxMessage.objects.get()
    client = login(staff, verified=False)
    for url in ("/en/outbox/", f"/en/outbox/{stored.pk}/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/en/accounts/two-factor/?next={url}"
        assert "Welcome to Spilka" not in response.content.decode()


def test_the_outbox_view_itself_refuses_unverified_staff(outbox_backend, staff, settings):
    # Even without the middleware (say, a settings mistake), the view asks for the factor.
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.test import RequestFactory

    from spilka.lib.views import outbox_list

    request = RequestFactory().get("/en/outbox/")
    SessionMiddleware(lambda r: None).process_request(request)
    staff.is_verified = lambda: False
    request.user = staff
    response = outbox_list(request)
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/two-factor/")


def test_anonymous_visitors_are_sent_to_the_admin_login(
    outbox_backend, django_capture_on_commit_callbacks, anon
):
    _send_welcome(django_capture_on_commit_callbacks)
    stored = OutboxMessage.objects.get()
    for url in ("/en/outbox/", f"/en/outbox/{stored.pk}/"):
        response = anon.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
        assert "Welcome to Spilka" not in response.content.decode()


def test_non_staff_users_are_sent_to_the_admin_login(outbox_backend, login):
    user = get_user_model().objects.create_user("member@spilka.test", "unused password 123")
    response = login(user).get("/en/outbox/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_outbox_is_404_when_disabled(
    outbox_backend, settings, django_capture_on_commit_callbacks, staff
):
    _send_welcome(django_capture_on_commit_callbacks)
    stored = OutboxMessage.objects.get()
    settings.SPILKA_OUTBOX_ENABLED = False
    client = verified_client(staff)
    assert client.get("/en/outbox/").status_code == 404
    assert client.get(f"/en/outbox/{stored.pk}/").status_code == 404


def test_a_text_attachment_reaches_the_outbox_and_staff_can_download_it(
    outbox_backend, staff, django_capture_on_commit_callbacks
):
    invitation = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
    with django_capture_on_commit_callbacks(execute=True):
        email_send_after_commit(
            to=["olena@example.org"],
            subject="Your place at the forum",
            body="See the attached invitation.",
            attachments=[
                {"filename": "forum.ics", "content": invitation, "mimetype": "text/calendar"}
            ],
        )
    message = OutboxMessage.objects.get(subject="Your place at the forum")
    assert message.attachments == [
        {"filename": "forum.ics", "content": invitation, "mimetype": "text/calendar"}
    ]
    client = verified_client(staff)
    page = client.get(f"/en/outbox/{message.pk}/")
    assert b"forum.ics" in page.content
    download = client.get(f"/en/outbox/{message.pk}/attachments/0/")
    assert download.status_code == 200
    assert download["Content-Type"] == "text/calendar"
    assert download.content.decode() == invitation
    assert client.get(f"/en/outbox/{message.pk}/attachments/1/").status_code == 404
