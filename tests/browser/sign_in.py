"""Signing in through the page's own forms, second factor included.

Administrators and treasurers (and staff) must verify an authenticator app: a user who
has one types its current code; a user who has none enrols on the page, the way a person
with a phone would: the code is worked out from the secret the page shows (django-otp's
own TOTP function standing in for the app), then the recovery codes page is passed.
"""

from __future__ import annotations

import base64
import time

from django_otp.oath import hotp, totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def code_from_secret(secret: str) -> str:
    """What an authenticator app shows now for the base32 ``secret`` on the page."""
    return f"{totp(base64.b32decode(secret), step=30, t0=0, digits=6):06d}"


def code_for(email: str) -> str:
    """The code the user's confirmed device shows next (never one already used)."""
    device = TOTPDevice.objects.get(user__email=email, confirmed=True)
    now = (int(time.time()) - device.t0) // device.step
    step = max(now, (device.last_t or -1) + 1)
    if step > now + device.tolerance:  # the next unused code is not out yet
        time.sleep(device.step)
    return f"{hotp(device.bin_key, step, device.digits):0{device.digits}d}"


def submit(page) -> None:
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def sign_in(page, base: str, email: str, password: str, language: str = "en") -> None:
    """Sign in as ``email``; the page ends where the site sends a signed-in user."""
    page.goto(f"{base}/{language}/accounts/login/")
    page.fill("#id_email", email)
    page.fill("#id_password", password)
    submit(page)
    if "/accounts/login/verify/" in page.url:
        page.fill("#id_token", code_for(email))
        submit(page)
    elif "/accounts/two-factor/" in page.url:
        page.fill("#id_token", code_from_secret(page.locator("#totp-secret").inner_text()))
        submit(page)
        with page.expect_navigation():
            page.locator("#recovery-codes-continue").click()  # past the recovery codes
