"""A treasurer enrols an authenticator app at first sign-in by clicking the page's own
buttons, keeps the recovery codes, and later signs in with one of them instead of the app.

The QR code and the secret come from the site itself: no request leaves it.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from spilka.accounts import services
from spilka.accounts.models import User
from spilka.network.demo import DEMO_PASSWORD, load_demo
from tests.browser.sign_in import code_from_secret
from tests.demo_snapshot import load_demo_fresh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "treasurer@num-durham.example"


def _password_step(page, base: str) -> None:
    page.goto(f"{base}/en/accounts/login/")
    page.fill("#id_email", EMAIL)
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_treasurer_enrols_totp_then_signs_in_with_a_recovery_code(page, live_server):
    load_demo_fresh(load_demo)
    base = live_server.url

    # First sign-in: the role needs a second factor, so the enrolment page comes first.
    _password_step(page, base)
    page.wait_for_url("**/en/accounts/two-factor/**")
    expect(page.locator(".qr svg")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text()
    page.fill("#id_token", code_from_secret(secret))
    page.get_by_role("button", name="Verify").click()

    expect(page.locator("h1")).to_have_text("Your recovery codes")
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="I have kept them: continue").click()
    page.wait_for_url("**/en/accounts/")
    expect(page.get_by_role("link", name="People").first).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/en/")

    # Later, without the phone: the password, then a recovery code.
    _password_step(page, base)
    page.wait_for_url("**/en/accounts/login/verify/")
    page.fill("#id_token", codes[0])
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url("**/en/accounts/")
    expect(page.locator("main")).to_contain_text("Signed in as")

    user = User.objects.get(email=EMAIL)
    assert services.recovery_codes_left(user) == 9
    assert page.request_log.hosts() == {urlparse(base).netloc}
