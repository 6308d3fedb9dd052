"""Staff enrol a TOTP device before the admin site; enrolled users verify at sign-in."""

from __future__ import annotations

import base64

import pytest
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from spilka.accounts.tests.otp import enrol, token, wrong_token
from spilka.lib.models import AuditEntry

pytestmark = pytest.mark.django_db

TWO_FACTOR_URL = "/en/accounts/two-factor/"
WRONG_CODE_EN = "This code is not right or has expired."


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user(
        "staff@spilka.test", PASSWORD, display_name="Staff", is_staff=True
    )


def test_staff_without_a_device_are_sent_from_the_admin_to_the_two_factor_page(staff, login):
    response = login(staff, verified=False).get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{TWO_FACTOR_URL}?next=/admin/"


def test_non_staff_users_are_not_redirected_by_the_two_factor_middleware(razem_organiser, login):
    response = login(razem_organiser, verified=False).get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_anonymous_visitors_must_sign_in_before_the_two_factor_page(anon):
    response = anon.get(TWO_FACTOR_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


def test_two_factor_page_shows_a_qr_code_and_the_key(staff, login):
    response = login(staff, verified=False).get(f"{TWO_FACTOR_URL}?next=/admin/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body
    device = TOTPDevice.objects.get(user=staff)
    assert device.confirmed is False
    secret = base64.b32encode(device.bin_key).decode()
    assert f'<code id="totp-secret">{secret}</code>' in body
    assert 'value="/admin/"' in body


def test_reloading_the_two_factor_page_keeps_the_same_key(staff, login):
    client = login(staff, verified=False)
    client.get(TWO_FACTOR_URL)
    client.get(TWO_FACTOR_URL)
    assert TOTPDevice.objects.filter(user=staff).count() == 1


def test_a_valid_code_confirms_the_device_and_opens_the_admin(staff, login):
    client = login(staff, verified=False)
    client.get(f"{TWO_FACTOR_URL}?next=/admin/")
    device = TOTPDevice.objects.get(user=staff)

    response = client.post(TWO_FACTOR_URL, {"token": token(device), "next": "/admin/"})

    # The recovery codes are shown once, with the way on to where the user was going.
    assert response.status_code == 200
    assert "Your recovery codes" in response.content.decode()
    assert 'href="/admin/"' in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed is True
    entry = AuditEntry.objects.get(action="accounts.two_factor.enabled")
    assert entry.actor == staff
    assert entry.object_type == "accounts.user"
    assert entry.object_id == str(staff.pk)
    assert entry.after == {"device": "Authenticator app"}
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_is_refused_with_a_message(staff, login):
    client = login(staff, verified=False)
    client.get(TWO_FACTOR_URL)
    device = TOTPDevice.objects.get(user=staff)

    response = client.post(TWO_FACTOR_URL, {"token": wrong_token(device), "next": "/admin/"})

    assert response.status_code == 400
    assert WRONG_CODE_EN in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed is False
    assert not AuditEntry.objects.filter(action="accounts.two_factor.enabled").exists()
    assert client.get("/admin/").status_code == 302


def test_a_code_that_is_not_six_digits_is_refused(staff, login):
    client = login(staff, verified=False)
    client.get(TWO_FACTOR_URL)
    response = client.post(TWO_FACTOR_URL, {"token": "abc"})
    assert response.status_code == 400
    assert "Enter the six-digit code." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=staff, confirmed=True).exists()


def test_an_enrolled_user_signing_in_must_enter_a_code_before_being_signed_in(anon, staff):
    device = enrol(staff)

    response = anon.post(
        "/en/accounts/login/", {"email": "staff@spilka.test", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/login/verify/"
    assert "_auth_user_id" not in anon.session
    assert anon.get("/en/accounts/").status_code == 302  # home still needs a sign-in
    assert anon.get("/en/accounts/login/verify/").status_code == 200

    # The next code the app shows; the one used to confirm cannot be replayed.
    response = anon.post("/en/accounts/login/verify/", {"token": token(device, device.last_t + 1)})

    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/"
    assert anon.session["_auth_user_id"] == str(staff.pk)
    assert anon.get("/admin/").status_code == 200  # verified in the same step


def test_an_enrolled_user_with_a_wrong_code_is_not_signed_in(anon, staff):
    device = enrol(staff)
    anon.post("/en/accounts/login/", {"email": "staff@spilka.test", "password": PASSWORD})

    response = anon.post("/en/accounts/login/verify/", {"token": wrong_token(device)})

    assert response.status_code == 400
    assert WRONG_CODE_EN in response.content.decode()
    assert "_auth_user_id" not in anon.session


def test_a_used_code_cannot_be_replayed_at_sign_in(anon, staff):
    device = enrol(staff)
    used = token(device, device.last_t)
    anon.post("/en/accounts/login/", {"email": "staff@spilka.test", "password": PASSWORD})

    response = anon.post("/en/accounts/login/verify/", {"token": used})

    assert response.status_code == 400
    assert "_auth_user_id" not in anon.session


def test_the_verify_page_without_a_password_step_goes_back_to_login(anon):
    response = anon.get("/en/accounts/login/verify/")
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/login/"


def test_an_enrolled_staff_member_returning_to_the_admin_verifies_the_device(staff, login):
    device = enrol(staff)
    client = login(staff, verified=False)  # signed in without the second factor
    assert client.get("/admin/").status_code == 302

    page = client.get(f"{TWO_FACTOR_URL}?next=/admin/")
    assert page.status_code == 200
    assert "<svg" not in page.content.decode()  # no new key for an enrolled user

    response = client.post(
        TWO_FACTOR_URL, {"token": token(device, device.last_t + 1), "next": "/admin/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
