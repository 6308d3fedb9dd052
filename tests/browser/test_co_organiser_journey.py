"""An organiser invites another organisation to co-organise a campaign; that organisation's
organiser accepts on its own page, and only then is it named on the public page."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from spilka.network.demo import DEMO_PASSWORD, load_demo
from tests.browser.sign_in import sign_in
from tests.browser.watch import new_page
from tests.demo_snapshot import load_demo_fresh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ENSU = "European Network for Solidarity with Ukraine"


def _sign_in(page, base: str, email: str) -> None:
    # Demo logins administer their organisation: the second factor is enrolled on the page.
    sign_in(page, base, email, DEMO_PASSWORD)


def test_a_co_organiser_is_named_only_after_its_organiser_accepts(page, browser, live_server):
    load_demo_fresh(load_demo)
    base = live_server.url

    # USC's organiser starts a campaign and ticks ENSU as a co-organiser.
    _sign_in(page, base, "organiser@usc.example")
    page.goto(f"{base}/en/campaigns/new/")
    page.fill("#id_slug", "winter-generators")
    page.fill("[name=title_en]", "Winter generators")
    page.select_option("#id_lead_organisation", label="Ukraine Solidarity Campaign")
    page.get_by_label(ENSU, exact=True).check()
    page.select_option("#id_status", "active")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/en/campaigns/winter-generators/")
    expect(page.locator("#pending-links")).to_contain_text(ENSU)

    # The public page does not name ENSU yet.
    visitor = new_page(browser, locale="en-GB")
    visitor.goto(f"{base}/en/campaigns/winter-generators/")
    expect(visitor.locator("main")).not_to_contain_text(ENSU)

    # ENSU's organiser finds the request on ENSU's page and accepts it.
    other = new_page(browser, locale="en-GB")
    _sign_in(other, base, "international@razem.example")
    other.goto(f"{base}/en/org/ensu/")
    requests = other.locator("#link-requests")
    expect(requests).to_contain_text("Winter generators")
    requests.get_by_role("button", name="Accept").click()
    other.wait_for_url("**/en/org/ensu/**")
    expect(other.locator(".messages")).to_contain_text("The request was accepted.")
    expect(other.locator("#link-requests")).to_have_count(0)

    # Only now is ENSU named as a co-organiser.
    visitor.goto(f"{base}/en/campaigns/winter-generators/")
    expect(visitor.get_by_role("link", name=ENSU)).to_be_visible()

    own = urlparse(base).netloc
    assert page.request_log.hosts() == {own}
