"""A supporter signs the Zaporizhzhia petition, confirms from the emailed link, sees the count rise.

The confirmation mail is read where a newcomer reads it in development: the outbox,
opened in the browser by a staff member (who signs in with a password and a TOTP code).
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from spilka.campaigns.models import Petition
from spilka.demo import load_all
from tests.demo_snapshot import load_demo_fresh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = {
    "en": {"sign": "Sign", "confirm": "Confirm my signature"},
    "uk": {"sign": "Підписати", "confirm": "Підтвердити мій підпис"},
}


@pytest.fixture
def outbox_settings(settings):
    settings.EMAIL_BACKEND = "spilka.lib.mail.OutboxEmailBackend"
    settings.SPILKA_OUTBOX_ENABLED = True


def _count(page) -> int:
    return int(
        "".join(ch for ch in page.locator("[data-count]").first.inner_text() if ch.isdigit())
    )


def _staff_reads_outbox(page, base: str, language: str) -> str:
    user = get_user_model().objects.create_user(
        "staff@spilka.test", "a long staff passphrase", is_staff=True
    )
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    page.goto(f"{base}/{language}/accounts/login/")
    page.fill("#id_email", "staff@spilka.test")
    page.fill("#id_password", "a long staff passphrase")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/accounts/**")
    if "/login/verify/" in page.url or "two-factor" in page.url:
        page.fill(
            "#id_token",
            f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}",
        )
        page.locator("main form button[type=submit]").click()
    page.goto(f"{base}/{language}/outbox/")
    page.locator("main table a").first.click()
    body = page.locator("pre.mail").inner_text()
    return next(word for word in body.split() if "/petitions/confirm/" in word)


@pytest.mark.parametrize("language", ["en", "uk"])
def test_supporter_signs_confirms_from_the_outbox_and_sees_the_count_rise(
    page, live_server, outbox_settings, language
):
    load_demo_fresh(load_all)
    base = live_server.url
    page.goto(f"{base}/{language}/petitions/iaea-zaporizhzhia/")
    before = _count(page)
    assert page.locator("html").get_attribute("lang") == language

    page.fill("#id_full_name", "Оксана Коваль" if language == "uk" else "Sian Evans")
    page.fill("#id_email", f"signer-{language}@example.org")
    page.select_option("#id_country", "UA" if language == "uk" else "GB")
    # Showing one's name is among the optional fields, folded under the required ones.
    page.click("#sign-form [data-form-more] > summary")
    page.check("#id_show_name")
    # The proof-of-work runs in the page; the button is enabled when it is done.
    button = page.get_by_role("button", name=TEXT[language]["sign"], exact=True)
    button.wait_for(state="visible")
    # expect() runs in Playwright's own world: a page-side function would be refused by
    # our Content-Security-Policy, which allows no eval.
    expect(button).to_be_enabled(timeout=30000)
    button.click()
    page.wait_for_url("**/thanks/")
    assert Petition.objects.get(slug="iaea-zaporizhzhia").confirmed_count == before  # not yet

    link = _staff_reads_outbox(page, base, language)
    assert f"/{language}/petitions/confirm/" in link
    page.context.clear_cookies()
    page.goto(link)
    # Opening the link confirms nothing: there is a button to press.
    assert Petition.objects.get(slug="iaea-zaporizhzhia").confirmed_count == before
    page.get_by_role("button", name=TEXT[language]["confirm"]).click()
    assert _count(page) == before + 1

    page.goto(f"{base}/{language}/petitions/iaea-zaporizhzhia/")
    assert _count(page) == before + 1
    assert ("Оксана Коваль" if language == "uk" else "Sian Evans") in page.locator(
        "#recent-signers"
    ).inner_text()
    page.screenshot(path=f"test-artifacts/petition-{language}.png", full_page=True)
    assert page.request_log.hosts() == {urlparse(base).netloc}
