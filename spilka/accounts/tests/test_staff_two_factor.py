"""Staff and superusers verify a second factor before any page, and the sign-in steps hold.

Until verified, staff reach only signing in and out, the two-factor page, the language
switch and static files; an unverified superuser counts as an ordinary user everywhere.
The half-signed-in state between password and code gets a new session key and expires.
Rate limits count an attempt before checking it.
"""

from __future__ import annotations

import time

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from conftest import PASSWORD
from spilka.accounts import services, views
from spilka.accounts.tests.otp import enrol, token, verified_client, wrong_token
from spilka.network import access

pytestmark = pytest.mark.django_db

TWO_FACTOR_URL = "/en/accounts/two-factor/"
VERIFY_URL = "/en/accounts/login/verify/"
LOGIN_URL = "/en/accounts/login/"
TOO_MANY_EN = "Too many failed attempts. Wait a few minutes and try again."


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user(
        "staff@spilka.test", PASSWORD, display_name="Staff", is_staff=True
    )


@pytest.fixture
def superuser(demo):
    # A superuser without the staff flag must verify too.
    return get_user_model().objects.create_user(
        "root@spilka.test", PASSWORD, display_name="Root", is_superuser=True
    )


# --- Every page, not only /admin/ ----------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/en/",
        "/en/network/",
        "/en/org/ukraine-solidarity-campaign/",
        "/en/org/ukraine-solidarity-campaign/people/",
        "/en/accounts/",
        "/en/outbox/",
        "/admin/",
        "/admin/network/person/",
    ],
)
@pytest.mark.parametrize("persona", ["staff", "superuser"])
def test_unverified_staff_are_sent_to_the_two_factor_page_from_every_page(
    request, login, demo, persona, path
):
    response = login(request.getfixturevalue(persona), verified=False).get(path)
    assert response.status_code == 302
    assert response["Location"] == f"{TWO_FACTOR_URL}?next={path}"


def test_next_is_url_encoded(login, staff, demo):
    response = login(staff, verified=False).get("/en/organisations/", {"q": "a&b", "country": "GB"})
    assert (
        response["Location"]
        == f"{TWO_FACTOR_URL}?next=/en/organisations/%3Fq%3Da%2526b%26country%3DGB"
    )


def test_unverified_staff_still_reach_the_pages_that_lead_to_verifying(login, staff):
    client = login(staff, verified=False)
    assert client.get(TWO_FACTOR_URL).status_code == 200
    assert client.get(LOGIN_URL).status_code == 200
    switched = client.get("/language/", {"to": "uk", "next": TWO_FACTOR_URL})
    assert switched.status_code == 302
    assert switched["Location"] == TWO_FACTOR_URL.replace("/en/", "/uk/", 1)
    static = client.get("/static/spilka/spilka.css")
    assert not static.get("Location", "").startswith(TWO_FACTOR_URL)
    signed_out = client.post("/en/accounts/logout/")
    assert signed_out.status_code == 302
    assert signed_out["Location"] == "/en/"


def test_verified_staff_reach_every_page(staff, demo):
    client = verified_client(staff)
    assert client.get("/en/").status_code == 200
    assert client.get("/en/accounts/").status_code == 200
    assert client.get("/admin/").status_code == 200


def test_ordinary_users_are_not_asked_for_a_second_factor(login, razem_organiser):
    assert login(razem_organiser, verified=False).get("/en/accounts/").status_code == 200


def test_staff_enrol_right_after_signing_in(anon, staff):
    response = anon.post(LOGIN_URL, {"email": "staff@spilka.test", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == TWO_FACTOR_URL
    assert anon.session["_auth_user_id"] == str(staff.pk)


def test_staff_signing_in_keep_where_they_were_going(anon, staff):
    response = anon.post(
        LOGIN_URL, {"email": "staff@spilka.test", "password": PASSWORD, "next": "/en/network/"}
    )
    assert response["Location"] == f"{TWO_FACTOR_URL}?next=/en/network/"


def test_the_middleware_is_off_when_staff_2fa_is_off(login, staff, settings, demo):
    settings.SPILKA_STAFF_2FA = False
    assert login(staff, verified=False).get("/en/").status_code == 200


# --- An unverified superuser is an ordinary user -------------------------------------


def test_unverified_superuser_has_no_superuser_powers(superuser):
    superuser.is_verified = lambda: False
    assert not access.is_superuser(superuser)
    assert not access.people_visible_to(superuser).exists()
    assert not access.organisations_visible_to(superuser).filter(is_public=False).exists()


def test_verified_superuser_has_them(superuser):
    superuser.is_verified = lambda: True
    assert access.is_superuser(superuser)
    assert access.people_visible_to(superuser).exists()
    assert access.organisations_visible_to(superuser).filter(is_public=False).exists()


def test_a_superuser_loaded_outside_a_request_is_not_trusted(superuser):
    # No OTP middleware ran, so nothing says the second factor was checked.
    assert not access.is_superuser(superuser)


def test_verified_superuser_may_add_top_level_organisations(superuser):
    client = verified_client(superuser)
    assert client.get(reverse("network:organisation_create")).status_code == 200
    assert (
        reverse("network:organisation_create") in client.get("/en/organisations/").content.decode()
    )


# --- The two-factor page is never cached ---------------------------------------------


def test_the_enrolment_page_with_the_secret_is_not_cached(login, staff):
    response = login(staff, verified=False).get(TWO_FACTOR_URL)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_the_code_page_after_the_password_is_not_cached(anon, staff):
    enrol(staff)
    anon.post(LOGIN_URL, {"email": "staff@spilka.test", "password": PASSWORD})
    assert "no-store" in anon.get(VERIFY_URL)["Cache-Control"]


# --- The step between password and code ----------------------------------------------


def test_the_password_step_gets_a_new_session_key(anon, staff):
    enrol(staff)
    anon.get(LOGIN_URL)
    anon.session.save()
    before = anon.session.session_key
    anon.post(LOGIN_URL, {"email": "staff@spilka.test", "password": PASSWORD})
    assert anon.session.session_key != before
    assert anon.session[views.PENDING_KEY] == staff.pk


def test_the_password_step_expires_after_five_minutes(anon, staff):
    device = enrol(staff)
    anon.post(LOGIN_URL, {"email": "staff@spilka.test", "password": PASSWORD})
    session = anon.session
    session[views.PENDING_AT] = int(time.time()) - views.PENDING_SECONDS - 1
    session.save()

    response = anon.post(VERIFY_URL, {"token": token(device, device.last_t + 1)})

    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL
    assert "_auth_user_id" not in anon.session
    assert views.PENDING_KEY not in anon.session
    assert anon.get(VERIFY_URL)["Location"] == LOGIN_URL  # nothing left to finish


def test_the_password_step_works_within_five_minutes(anon, staff):
    device = enrol(staff)
    anon.post(LOGIN_URL, {"email": "staff@spilka.test", "password": PASSWORD})
    session = anon.session
    session[views.PENDING_AT] = int(time.time()) - views.PENDING_SECONDS + 30
    session.save()
    response = anon.post(VERIFY_URL, {"token": token(device, device.last_t + 1)})
    assert response.status_code == 302
    assert anon.session["_auth_user_id"] == str(staff.pk)


# --- Rate limits count first -----------------------------------------------------------


def test_an_attempt_over_the_limit_is_refused_before_the_password_is_checked(
    anon, usc_admin, settings, monkeypatch
):
    settings.SPILKA_LOGIN_ATTEMPTS = 2
    checked = []
    real_check = services.login_check
    monkeypatch.setattr(services, "login_check", lambda **kw: checked.append(1) or real_check(**kw))
    for _ in range(2):
        anon.post(LOGIN_URL, {"email": "admin@usc.test", "password": "wrong guess"})
    response = anon.post(LOGIN_URL, {"email": "admin@usc.test", "password": PASSWORD})
    assert response.status_code == 429
    assert len(checked) == 2


def test_the_limit_is_decided_by_the_count_hit_returns(anon, usc_admin, settings, monkeypatch):
    # Two requests at once both read 0 and pass a check made before counting; the count
    # returned by the atomic increment does not let the second one through.
    settings.SPILKA_LOGIN_ATTEMPTS = 1
    from spilka.lib import ratelimit

    monkeypatch.setattr(ratelimit, "count", lambda *a, **k: 0)  # what a racing reader saw
    monkeypatch.setattr(ratelimit, "is_limited", lambda *a, **k: False)
    anon.post(LOGIN_URL, {"email": "admin@usc.test", "password": "wrong guess"})
    response = anon.post(LOGIN_URL, {"email": "admin@usc.test", "password": PASSWORD})
    assert response.status_code == 429


def test_wrong_codes_are_limited_at_sign_in(anon, staff, settings):
    settings.SPILKA_LOGIN_ATTEMPTS = 2
    device = enrol(staff)
    anon.post(LOGIN_URL, {"email": "staff@spilka.test", "password": PASSWORD})
    for _ in range(2):
        assert anon.post(VERIFY_URL, {"token": wrong_token(device)}).status_code == 400
    response = anon.post(VERIFY_URL, {"token": token(device, device.last_t + 1)})
    assert response.status_code == 429
    assert TOO_MANY_EN in response.content.decode()
    assert "_auth_user_id" not in anon.session


def test_wrong_codes_are_limited_on_the_two_factor_page(login, staff, settings):
    settings.SPILKA_LOGIN_ATTEMPTS = 2
    device = enrol(staff)
    client = login(staff, verified=False)
    for _ in range(2):
        assert client.post(TWO_FACTOR_URL, {"token": wrong_token(device)}).status_code == 400
    response = client.post(TWO_FACTOR_URL, {"token": token(device, device.last_t + 1)})
    assert response.status_code == 429
    assert client.get("/en/").status_code == 302  # still not verified


def test_device_name_is_translated(staff):
    from django.utils import translation

    with translation.override("uk"):
        device = services.totp_device_start(user=staff)
        expected = translation.gettext("Authenticator app")
    assert device.name == expected
