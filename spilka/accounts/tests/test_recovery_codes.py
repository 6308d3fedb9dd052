"""Recovery codes: ten single-use codes shown once at enrolment, made anew on request; and
an enrolment secret that belongs to the session it was shown in and expires."""

from __future__ import annotations

import base64
import datetime
import re

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from spilka.accounts import services
from spilka.accounts.tests.otp import enrol, token, verified_client
from spilka.lib.models import AuditEntry

pytestmark = pytest.mark.django_db

TWO_FACTOR_URL = "/en/accounts/two-factor/"
LOGIN_URL = "/en/accounts/login/"
VERIFY_URL = "/en/accounts/login/verify/"
EMAIL = "organiser@razem.test"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _codes(response) -> list[str]:
    return re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())


def _secret(response) -> str:
    match = re.search(r'<code id="totp-secret">([A-Z2-7=]+)</code>', response.content.decode())
    assert match is not None
    return match[1]


def _pending(user) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=False)


def _enrol_through_the_page(client: Client, user) -> list[str]:
    client.get(TWO_FACTOR_URL)
    response = client.post(TWO_FACTOR_URL, {"token": token(_pending(user))})
    assert response.status_code == 200
    return _codes(response)


def _password_step(client: Client) -> None:
    response = client.post(LOGIN_URL, {"email": EMAIL, "password": PASSWORD})
    assert response["Location"] == VERIFY_URL


# --- Recovery codes --------------------------------------------------------------------


def test_any_user_may_enrol_and_is_shown_ten_recovery_codes_once(razem_organiser, login):
    client = login(razem_organiser, verified=False)

    codes = _enrol_through_the_page(client, razem_organiser)

    assert len(set(codes)) == 10
    assert services.recovery_codes_left(razem_organiser) == 10
    assert AuditEntry.objects.filter(action="accounts.two_factor.recovery_codes_made").exists()
    # Shown only then: the page afterwards says how many are left, not what they are.
    later = client.get(TWO_FACTOR_URL).content.decode()
    assert "10 unused recovery codes" in later
    assert not any(code in later for code in codes)


def test_a_recovery_code_signs_in_once(razem_organiser, login):
    codes = _enrol_through_the_page(login(razem_organiser, verified=False), razem_organiser)

    first = Client()
    _password_step(first)
    response = first.post(VERIFY_URL, {"token": codes[0].upper()})
    assert response.status_code == 302
    assert first.session["_auth_user_id"] == str(razem_organiser.pk)
    assert services.recovery_codes_left(razem_organiser) == 9
    assert AuditEntry.objects.filter(action="accounts.two_factor.recovery_code_used").exists()

    again = Client()
    _password_step(again)
    response = again.post(VERIFY_URL, {"token": codes[0]})
    assert response.status_code == 400
    assert "This code is not right or has expired." in response.content.decode()
    assert "_auth_user_id" not in again.session


def test_a_recovery_code_verifies_a_session_that_must_verify(usc_admin, login):
    enrol(usc_admin)
    codes = services.recovery_codes_make(user=usc_admin)
    client = login(usc_admin, verified=False)
    assert client.get("/en/accounts/").status_code == 302

    response = client.post(TWO_FACTOR_URL, {"token": codes[3], "next": "/en/accounts/"})

    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/"
    assert client.get("/en/accounts/").status_code == 200
    assert not StaticToken.objects.filter(token=codes[3]).exists()


def test_new_recovery_codes_replace_the_old_ones(razem_organiser, login):
    client = login(razem_organiser, verified=False)
    old = _enrol_through_the_page(client, razem_organiser)

    response = client.post("/en/accounts/two-factor/recovery-codes/")

    new = _codes(response)
    assert response.status_code == 200
    assert len(new) == 10
    assert not set(old) & set(new)
    assert services.recovery_codes_left(razem_organiser) == 10
    assert services.two_factor_check(user=razem_organiser, token=new[0]) is not None
    # (django-otp then slows down a wrong code on the device: checked last.)
    assert services.two_factor_check(user=razem_organiser, token=old[0]) is None


def test_recovery_codes_are_made_only_from_a_verified_session(usc_admin, login):
    enrol(usc_admin)
    response = login(usc_admin, verified=False).post("/en/accounts/two-factor/recovery-codes/")
    assert response.status_code == 302
    assert not StaticToken.objects.filter(device__user=usc_admin).exists()


def test_making_recovery_codes_by_get_is_not_allowed(usc_admin):
    assert (
        verified_client(usc_admin).get("/en/accounts/two-factor/recovery-codes/").status_code == 405
    )


def test_a_code_of_the_wrong_shape_is_explained(razem_organiser, login):
    enrol(razem_organiser)
    client = Client()
    _password_step(client)
    response = client.post(VERIFY_URL, {"token": "not-a-code!"})
    assert response.status_code == 400
    assert "Enter the six-digit code or an eight-character recovery code." in (
        response.content.decode()
    )


# --- The secret shown during enrolment -----------------------------------------------------


def test_a_new_session_gets_a_new_secret_and_the_old_one_stops_working(razem_organiser, login):
    first = login(razem_organiser, verified=False)
    first_secret = _secret(first.get(TWO_FACTOR_URL))
    first_device = _pending(razem_organiser)
    first_code = token(first_device)

    second = login(razem_organiser, verified=False)
    second_secret = _secret(second.get(TWO_FACTOR_URL))

    assert second_secret != first_secret
    assert TOTPDevice.objects.filter(user=razem_organiser, confirmed=False).count() == 1
    response = first.post(TWO_FACTOR_URL, {"token": first_code})
    assert response.status_code == 400
    assert not TOTPDevice.objects.filter(user=razem_organiser, confirmed=True).exists()
    assert _secret(response) not in (first_secret, second_secret)


def test_the_same_session_keeps_its_secret_on_reload(razem_organiser, login):
    client = login(razem_organiser, verified=False)
    assert _secret(client.get(TWO_FACTOR_URL)) == _secret(client.get(TWO_FACTOR_URL))


def test_a_pending_secret_expires(razem_organiser, login):
    client = login(razem_organiser, verified=False)
    secret = _secret(client.get(TWO_FACTOR_URL))
    device = _pending(razem_organiser)
    code = token(device)
    TOTPDevice.objects.filter(pk=device.pk).update(
        created_at=device.created_at - datetime.timedelta(seconds=services.ENROL_SECONDS + 1)
    )

    response = client.post(TWO_FACTOR_URL, {"token": code})

    assert response.status_code == 400
    assert _secret(response) != secret
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    assert base64.b32encode(_pending(razem_organiser).bin_key).decode() == _secret(response)
