"""An organiser records a body's adoption of the model resolution and verifies it; the public
page, in English and in Ukrainian, counts it."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from spilka.network.demo import DEMO_PASSWORD
from tests.browser.sign_in import sign_in
from tests.browser.watch import new_page
from tests.demo_snapshot import load_demo_fresh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "full-support-for-ukraine"


def _headline(page) -> tuple[int, int]:
    headline = page.locator("#headline")
    return int(headline.get_attribute("data-bodies")), int(headline.get_attribute("data-countries"))


def test_organiser_records_and_verifies_an_adoption_and_the_public_count_grows(
    page, live_server, browser
):
    from spilka.demo import load_all
    from spilka.network.models import Organisation

    load_demo_fresh(load_all)
    aslef = Organisation.objects.get(slug="aslef")
    own = urlparse(live_server.url).netloc
    resolution_url = f"{live_server.url}/en/resolutions/{SLUG}/"

    sign_in(page, live_server.url, "organiser@usc.example", DEMO_PASSWORD)
    page.wait_for_url("**/en/accounts/")

    page.goto(resolution_url)
    assert _headline(page) == (4, 2)

    # Record ASLEF's adoption from the resolution's page.
    page.get_by_role("link", name="Report a body's progress").click()
    page.wait_for_url(f"**/resolutions/{SLUG}/report/")
    page.select_option("#id_body", str(aslef.pk))
    page.select_option("#id_status", "adopted")
    page.fill("#id_meeting_date", "2023-09-12")
    page.fill("#id_evidence_url", "https://aslef.example/minutes/2023-09-12")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/resolutions/{SLUG}/#bodies")
    assert "Progress recorded for" in page.locator(".messages").inner_text()
    row = page.locator('tr[data-body="aslef"]')
    assert "reported, not yet verified" in row.inner_text()
    assert _headline(page) == (4, 2)  # not counted until verified

    # Verify it.
    row.get_by_role("button", name="Verify").click()
    page.wait_for_url(f"**/resolutions/{SLUG}/#adoption-*")
    assert "is verified" in page.locator(".messages").inner_text()
    assert "not yet verified" not in page.locator('tr[data-body="aslef"]').inner_text()
    assert _headline(page) == (5, 2)

    # An anonymous visitor, in a browser of their own, sees the new count.
    visitor = new_page(browser, locale="uk-UA")
    visited: list[str] = []
    visitor.on("request", lambda request: visited.append(request.url))
    try:
        visitor.goto(resolution_url)
        assert visitor.get_by_role("link", name="Sign in").count() == 1
        assert _headline(visitor) == (5, 2)
        assert "Adopted by 5 bodies in 2 countries" in visitor.locator("#headline").inner_text()
        assert visitor.locator("#timeline svg circle").count() == 5
        assert (
            visitor.locator('#by-country g[data-country="GB"]').get_attribute("data-adopted") == "4"
        )
        assert visitor.locator("#adoptions tbody tr").count() == 9
        assert visitor.locator('a[href*="/verify/"], form[action*="/verify/"]').count() == 0

        # The same page in Ukrainian: the same numbers (the wording is the translators').
        visitor.goto(f"{live_server.url}/uk/resolutions/{SLUG}/")
        assert visitor.locator("html").get_attribute("lang") == "uk"
        assert _headline(visitor) == (5, 2)
        headline = visitor.locator("#headline").inner_text()
        assert "5" in headline and "2" in headline
        assert visitor.locator("#current-text").get_attribute("lang") == "uk"
        assert visitor.locator("#timeline svg circle").count() == 5
        visitor.screenshot(path="test-artifacts/browser-resolution-uk.png", full_page=True)
    finally:
        visitor.context.close()

    # Nothing on any page came from another host.
    assert page.request_log.urls, "the browser made no requests at all"
    assert page.request_log.hosts() == {own}
    assert {urlparse(url).netloc for url in visited if url.startswith("http")} == {own}
