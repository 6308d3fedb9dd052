"""A supporter double-clicks "sign", lands on the thank-you page (not an anti-spam error),
sees the address they used and how long the link lasts, asks for the link again and gets
the same neutral answer each time. In every language, found by data hooks only."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from playwright.sync_api import expect

from spilka.campaigns.models import Signature
from spilka.demo import load_all
from tests.demo_snapshot import load_demo_fresh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["en", "uk", "pl", "ru"])
def test_double_click_then_thanks_with_address_and_a_neutral_resend(
    page, live_server, settings, language
):
    settings.SPILKA_POW_MAX_NUMBER = 5000  # the same algorithm, less waiting
    settings.SPILKA_SIGNATURE_CONFIRM_HOURS = 72
    load_demo_fresh(load_all)
    base = live_server.url
    email = f"double-{language}@example.org"
    page.goto(f"{base}/{language}/petitions/iaea-zaporizhzhia/")
    page.fill("#id_full_name", "Ірина Шевчук")
    page.fill("#id_email", email)
    page.select_option("#id_country", "PL")
    button = page.locator("#sign-form button[type=submit]")
    expect(button).to_be_enabled(timeout=30000)
    mail.outbox.clear()
    # A person's double click: two clicks a few tens of milliseconds apart (Playwright's
    # dblclick fires both in one task, which the browser folds into one submission, and
    # its locator clicks wait for the first navigation).
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.click(x, y)
    page.wait_for_timeout(40)
    page.mouse.click(x, y)
    # The second click aborts the first navigation in the browser (not on the server).
    expect(page).to_have_url(re.compile(r"/thanks/$"), timeout=15000)
    sign_posts = [url for url in page.request_log.urls if url.endswith("/sign/")]
    assert len(sign_posts) == 2, sign_posts  # both clicks reached the server
    assert page.locator("html").get_attribute("lang") == language
    assert email not in page.url

    expect(page.locator("[data-signed-address]")).to_have_text(email)
    expect(page.locator("[data-link-lifetime]")).to_contain_text("3")  # 72 hours: 3 days
    expect(page.locator("[data-sign-again]")).to_be_visible()
    expect(page.locator("[data-share-url]")).to_have_value(
        f"{base}/{language}/petitions/iaea-zaporizhzhia/"
    )
    assert Signature.objects.filter(email=email).count() == 1
    assert [m.to for m in mail.outbox] == [[email]]

    page.locator("[data-resend]").click()
    answer = page.get_by_role("status")
    expect(answer).to_be_visible()
    first_answer = answer.inner_text()
    assert [m.to for m in mail.outbox] == [[email], [email]]  # sent again, to that address
    page.locator("[data-resend]").click()
    expect(page.get_by_role("status")).to_have_text(first_answer)
    assert len(mail.outbox) == 2  # not again within minutes, and the page does not say so
    page.screenshot(path=f"test-artifacts/petition-thanks-{language}.png", full_page=True)
    assert page.request_log.hosts() == {urlparse(base).netloc}
