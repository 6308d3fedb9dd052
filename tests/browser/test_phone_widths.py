"""Phones (issue 16): no page is wider than a 360 px screen, the menu folds without
JavaScript, and the petition and event forms come right after the headline.

The pages are reversed from the demo network's own objects (``phone_pages.py``), in English
and in Ukrainian, whose words are longer. A data table may scroll sideways inside its own
box; the page itself may not.
"""

from __future__ import annotations

import pytest
from django.utils import translation
from playwright.sync_api import expect

from spilka.demo import load_all
from spilka.network.demo import DEMO_PASSWORD
from tests.browser.phone_pages import organiser_paths, public_paths, treasurer_paths
from tests.browser.sign_in import sign_in
from tests.browser.watch import new_page
from tests.demo_snapshot import load_demo_fresh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
LANGUAGES = ("en", "uk")

# What sticks out past the right edge of the screen, outside any box that scrolls: the
# names make a failure say which element to fix.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth, found = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1) continue;
    let inside = false;
    for (let p = el.parentElement; p; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === "auto" || o === "scroll" || o === "hidden" || o === "clip") { inside = true; break; }
    }
    if (!inside) found.push(`${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : ""} (right edge ${Math.round(box.right)} px)`);
  }
  return {scrollWidth: document.documentElement.scrollWidth, culprits: found.slice(0, 5)};
}"""


def _too_wide(page, base: str, paths: dict[str, str]) -> list[str]:
    wide = []
    for name, path in paths.items():
        response = page.goto(base + path)
        assert response is not None and response.ok, (
            f"{name}: {path} answered {response and response.status}"
        )
        seen = page.evaluate(OVERFLOW)
        if seen["scrollWidth"] > PHONE["width"]:
            wide.append(
                f"{name} {path}: {seen['scrollWidth']} px wide; {', '.join(seen['culprits'])}"
            )
    return wide


def _paths(language: str, which) -> dict[str, str]:
    with translation.override(language):
        return which()


@pytest.fixture
def demo_network(db):
    load_demo_fresh(load_all)


def test_every_public_page_fits_a_360_px_phone_in_english_and_ukrainian(
    browser, live_server, demo_network
):
    page = new_page(browser, locale="en-GB", viewport=PHONE)
    wide = []
    for language in LANGUAGES:
        wide += _too_wide(page, live_server.url, _paths(language, public_paths))
    assert not wide, "pages wider than the phone:\n" + "\n".join(wide)


def test_the_organisers_main_pages_fit_a_360_px_phone(browser, live_server, demo_network):
    organiser = new_page(browser, locale="en-GB", viewport=PHONE)
    sign_in(organiser, live_server.url, "organiser@usc.example", DEMO_PASSWORD)
    treasurer = new_page(browser, locale="en-GB", viewport=PHONE)
    sign_in(treasurer, live_server.url, "treasurer@num-durham.example", DEMO_PASSWORD)
    wide = []
    for language in LANGUAGES:
        wide += _too_wide(organiser, live_server.url, _paths(language, organiser_paths))
        wide += _too_wide(treasurer, live_server.url, _paths(language, treasurer_paths))
    assert not wide, "pages wider than the phone:\n" + "\n".join(wide)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_menu_folds_behind_a_button_on_a_phone_and_opens_without_javascript(
    browser, live_server, demo_network, language
):
    page = new_page(browser, locale="en-GB", viewport=PHONE)
    # The site's scripts answer empty: the menu must work with them off. (A context with
    # JavaScript disabled would also stop the harness's own checks.)
    page.route(
        "**/*.js",
        lambda route: route.fulfill(status=200, content_type="text/javascript", body=""),
    )
    page.goto(f"{live_server.url}/{language}/")
    menu = page.locator("nav#site-nav")
    expect(menu).to_be_hidden()
    page.locator("[data-menu-button]").click()
    expect(menu).to_be_visible()
    # A link in the opened menu is reachable and takes the visitor there.
    with page.expect_navigation():
        menu.locator(f"a[href='/{language}/events/']").click()
    assert page.url.endswith(f"/{language}/events/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # A wide screen shows the menu as before, with no button.
    wide = new_page(browser, locale="en-GB", viewport={"width": 1280, "height": 800})
    wide.goto(f"{live_server.url}/{language}/")
    expect(wide.locator("nav#site-nav")).to_be_visible()
    expect(wide.locator("[data-menu-button]")).to_be_hidden()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_sign_and_register_forms_come_first_on_a_phone_and_beside_the_text_on_a_desktop(
    browser, live_server, demo_network, language
):
    paths = _paths(language, public_paths)
    forms = {"petition": "#sign-form", "event": "#register-form"}
    phone = new_page(browser, locale="en-GB", viewport={"width": 390, "height": 844})
    desktop = new_page(browser, locale="en-GB", viewport={"width": 1280, "height": 900})
    for name, form in forms.items():
        phone.goto(live_server.url + paths[name])
        field = phone.locator(f"{form} input:visible, {form} select:visible").first
        box = field.bounding_box()
        assert box is not None and box["y"] < 844, (
            f"{name}: the first field starts at {box} on a phone"
        )
        if name == "petition":  # the whole first field is in view, not only its top edge
            assert box["y"] + box["height"] <= 844, f"{name}: {box}"
        # The full text follows the form on a phone.
        text = phone.locator(".action-layout__text").bounding_box()
        assert text["y"] > box["y"], f"{name}: the text comes before the form"

        desktop.goto(live_server.url + paths[name])
        form_box = desktop.locator(f"{form}").bounding_box()
        text_box = desktop.locator(".action-layout__text").bounding_box()
        # Beside the text: to its right, and starting above the text's end.
        assert form_box["x"] >= text_box["x"] + text_box["width"], (name, form_box, text_box)
        assert form_box["y"] < text_box["y"] + text_box["height"], (name, form_box, text_box)
        assert form_box["y"] < 900, (name, form_box)
