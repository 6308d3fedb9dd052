"""A visitor who follows a dead link gets the site's own 404 page, styled, in their language,
and finds their way back to the directory from it."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.expect_http_status(
    404, url_part="/no-such-page-here/", reason="the test opens a dead link on purpose"
)
@pytest.mark.parametrize("language", ["en", "uk", "pl", "ru"])
def test_the_404_page_is_styled_in_the_visitors_language_and_leads_home(
    page, live_server, language
):
    response = page.goto(f"{live_server.url}/{language}/no-such-page-here/")
    assert response.status == 404
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("[data-error-page='404']").count() == 1

    # The site stylesheet loaded and applies (the header gets its colour from it).
    sheets = page.evaluate("Array.from(document.styleSheets).map(s => s.href || '')")
    assert any(href.endswith("/static/spilka/spilka.css") for href in sheets)
    background = page.evaluate(
        "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
    )
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")

    page.locator("[data-error-page='404'] a").first.click()
    page.wait_for_url(f"**/{language}/")
    assert page.locator("html").get_attribute("lang") == language
