"""A visitor who follows a dead link gets the site's own 404 page, styled, in their language,
and finds their way back to the directory from it; a visitor adds a public event to their
calendar from its page."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.demo_snapshot import load_demo_fresh

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


def test_a_visitor_adds_a_public_event_to_their_calendar_without_the_join_link(page, live_server):
    import icalendar

    from spilka.demo import load_all
    from spilka.events.models import Event

    load_demo_fresh(load_all)
    event = Event.objects.filter(is_public=True).order_by("pk").first()
    Event.objects.filter(pk=event.pk).update(join_url="https://meet.example.org/j/secret-room")
    page.goto(f"{live_server.url}{event.get_absolute_url()}")
    with page.expect_download() as download_info:
        page.locator("[data-add-to-calendar]").click()
    download = download_info.value
    body = Path(download.path()).read_text(encoding="utf-8")
    assert "secret-room" not in body
    entries = list(icalendar.Calendar.from_ical(body).walk("VEVENT"))
    assert len(entries) == 1
    assert str(entries[0]["url"]).endswith(event.get_absolute_url())
