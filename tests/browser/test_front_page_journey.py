"""The front page (issue 16), done when: on a phone and on a desktop, in each interface
language, a visitor opens the front page, clicks a live campaign, clicks its petition and
sees the sign form's first field and its button without scrolling.

Everything is found by data-* hooks and ids, never by English text, so the same journey
runs under /en/, /uk/, /pl/ and /ru/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from spilka.demo import load_all
from tests.demo_snapshot import load_demo_fresh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["en", "uk", "pl", "ru"]
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
LOCALES = {"en": "en-GB", "uk": "uk-UA", "pl": "pl-PL", "ru": "ru-RU"}
# The sign form's fields as a person sees them (the honeypot is hidden from people).
FIRST_FIELD = "#sign-form .field :is(input, select, textarea)"


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("language", LANGUAGES)
def test_from_the_front_page_to_a_petitions_sign_form_in_two_clicks(
    browser, live_server, language, viewport
):
    load_demo_fresh(load_all)
    size = VIEWPORTS[viewport]
    context = browser.new_context(viewport=size, locale=LOCALES[language])
    page = context.new_page()
    page.set_default_timeout(15000)

    page.goto(f"{live_server.url}/{language}/")
    expect(page.locator("[data-front-page]")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == language
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
    Path("test-artifacts").mkdir(exist_ok=True)
    page.screenshot(path=f"test-artifacts/browser-front-{language}-{viewport}.png", full_page=True)

    # A live campaign that has a petition open for signatures.
    card = page.locator("[data-front-campaign]:has([data-front-petition])").first
    slug = card.get_attribute("data-front-campaign")
    petition = card.locator("[data-front-petition]").first.get_attribute("data-front-petition")
    with page.expect_navigation():
        card.locator("[data-front-link=campaign]").click()
    assert page.url.endswith(f"/{language}/campaigns/{slug}/")

    with page.expect_navigation():
        page.locator(f"[data-petition='{petition}'] [data-petition-link]").click()
    assert page.url.endswith(f"/{language}/petitions/{petition}/")

    # The sign form's first field and its button, both whole in the first screen.
    page.screenshot(path=f"test-artifacts/browser-front-petition-{language}-{viewport}.png")
    assert page.evaluate("window.scrollY") == 0
    first_field = page.locator(FIRST_FIELD).first
    submit = page.locator("#sign-form button[type=submit]")
    expect(first_field).to_be_visible()
    expect(first_field).to_be_in_viewport(ratio=1)
    expect(submit).to_be_visible()
    expect(submit).to_be_in_viewport(ratio=1)
    context.close()
