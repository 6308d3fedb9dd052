import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(db):
    return get_user_model().objects.create_user("olena@usc.test", "old password 1234")


def _request_reset(client, email, capture):
    with capture(execute=True):
        return client.post("/en/accounts/password-reset/", {"email": email})


def test_reset_link_arrives_by_mail_and_sets_a_new_password(
    client, member, django_capture_on_commit_callbacks
):
    response = _request_reset(client, "olena@usc.test", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(
        r"http://testserver(/en/accounts/password-reset/\S+/)", mail.outbox[0].body
    ).group(1)

    # Django swaps the token for a session marker on the first GET, then shows the form.
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a much better passphrase", "new_password2": "a much better passphrase"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("a much better passphrase")


def test_unknown_address_gets_the_same_answer_and_no_mail(
    client, db, django_capture_on_commit_callbacks
):
    response = _request_reset(client, "nobody@usc.test", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/password-reset/sent/"
    assert mail.outbox == []


def test_reset_mail_is_in_the_readers_language(client, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/uk/accounts/password-reset/", {"email": "olena@usc.test"})
    assert "/uk/accounts/password-reset/" in mail.outbox[0].body


def test_reset_requests_are_limited_per_address(client, member, django_capture_on_commit_callbacks):
    for _ in range(8):
        _request_reset(client, "olena@usc.test", django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 5


def test_bad_email_is_explained_not_a_500(client, db):
    response = client.post("/en/accounts/password-reset/", {"email": "not an email" * 100})
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
