"""A visitor browses the directory in Ukrainian and finds the Durham–Pavlohrad twinning."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from spilka.network.demo import load_demo
from tests.demo_snapshot import load_demo_fresh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_switches_to_ukrainian_filters_by_country_and_sees_twinning(page, live_server):
    load_demo_fresh(load_demo)
    page.goto(f"{live_server.url}/en/")
    # From the front page, the main menu's link to the directory.
    page.click("#site-nav [data-nav=directory]")
    page.wait_for_url("**/en/organisations/")
    assert page.locator("h1").inner_text() == "Directory of organisations"

    # Switch language with the switcher (plain links: no JavaScript needed).
    page.click("#language-switcher a[lang=uk]")
    page.wait_for_url("**/uk/**")
    assert page.locator("html").get_attribute("lang") == "uk"

    # Filter by country: Ukraine.
    page.select_option("#id_country", "UA")
    page.wait_for_url("**country=UA**")
    cards = page.locator("#organisations .card")
    names = cards.all_inner_texts()
    assert any("Павлоград" in text for text in names)
    assert not any("Durham" in text or "Дарем" in text for text in names)

    # Open the Pavlohrad miners' page and see the twinning with Durham since 1990.
    page.get_by_role("link", name="Незалежна профспілка гірників України, Павлоград").click()
    page.wait_for_url("**/uk/org/npgu-pavlohrad/")
    row = page.locator("tr.relationship--twinned_with")
    assert row.count() == 1
    text = row.inner_text()
    assert "Національна профспілка гірників, район Дарем" in text
    assert "1990" in text
    page.screenshot(path="test-artifacts/browser-twinning-uk.png", full_page=True)

    # Nothing on any page came from another host.
    own = urlparse(live_server.url).netloc
    assert page.request_log.urls, "the browser made no requests at all"
    assert page.request_log.hosts() == {own}
