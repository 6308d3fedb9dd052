"""A visitor registers in Polish for a USSC forum and gets the join link privately; an
organiser checks them in; after the forum its recording appears in the archive.

The join link is the secret of this journey: it must show on the visitor's own page and in
their email (with a valid .ics), and never on a public page or in a feed.
"""

from __future__ import annotations

import datetime
import re
from urllib.parse import urlparse

import icalendar
import pytest
from playwright.sync_api import expect

from spilka.demo import load_all
from spilka.events.models import Event, Registration
from spilka.events.services.events import event_update
from spilka.lib.models import OutboxMessage
from spilka.network.demo import DEMO_PASSWORD
from tests.browser.sign_in import sign_in
from tests.demo_snapshot import load_demo_fresh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOIN = "https://meet.example.org/j/ussc-forum"


@pytest.fixture
def outbox_settings(settings):
    settings.EMAIL_BACKEND = "spilka.lib.mail.OutboxEmailBackend"
    settings.SPILKA_OUTBOX_ENABLED = True
    settings.SPILKA_POW_MAX_NUMBER = 2000


def _next_forum() -> Event:
    return (
        Event.objects.filter(
            series__slug="ussc-forums", starts_at__gt=datetime.datetime.now(datetime.UTC)
        )
        .order_by("starts_at")
        .first()
    )


def test_visitor_registers_in_polish_and_an_organiser_checks_them_in(
    page, live_server, outbox_settings
):
    load_demo_fresh(load_all)
    base = live_server.url
    host = urlparse(base).netloc
    forum = _next_forum()
    assert forum.join_url.startswith(JOIN)

    # The public page, in Polish, with the time zone labelled and no join link.
    page.goto(f"{base}/pl/events/{forum.slug}/?tz=Europe/Warsaw")
    assert page.locator("html").get_attribute("lang") == "pl"
    expect(page.locator("#event-start")).to_contain_text("Europe/Warsaw")
    assert JOIN not in page.content()

    page.fill("#id_full_name", "Zofia Wiśniewska")
    page.fill("#id_email", "zofia@example.org")
    button = page.locator("#register-form button[type=submit]")
    expect(button).to_be_enabled(timeout=30000)
    button.click()
    # The same page whoever typed the address: the private page's link comes by mail.
    page.wait_for_url(f"**/pl/events/{forum.slug}/register/")
    message = OutboxMessage.objects.get(to="zofia@example.org")
    private_page = re.search(r"https?://\S+/pl/events/r/\S+/", message.body).group(0)
    page.goto(private_page)
    expect(page.locator("#join-link")).to_have_attribute("href", forum.join_url)

    # The email in the outbox carries the join link and a calendar file that parses.
    message = OutboxMessage.objects.get(to="zofia@example.org")
    assert forum.join_url in message.body
    ics = next(a for a in message.attachments if a["filename"] == "event.ics")
    assert ics["mimetype"] == "text/calendar"
    cal = icalendar.Calendar.from_ical(ics["content"])
    (vevent,) = cal.walk("VEVENT")
    assert vevent.decoded("DTSTART") == forum.starts_at
    assert str(vevent["UID"]) == f"event-{forum.pk}@{host.split(':')[0]}"

    # Public page and feeds: never the join link.
    page.context.clear_cookies()
    for url in (
        f"{base}/pl/events/{forum.slug}/",
        f"{base}/pl/events/",
        f"{base}/pl/events/series/ussc-forums/",
    ):
        page.goto(url)
        assert JOIN not in page.content(), url
    for url in (
        f"{base}/pl/events/feed.ics",
        f"{base}/pl/events/series/ussc-forums/feed.ics",
        f"{base}/pl/events/org/ussc/feed.ics",
    ):
        text = page.request.get(url).text()
        assert JOIN not in text, url
        icalendar.Calendar.from_ical(text)
    assert page.request_log.hosts() == {host}

    # An organiser of USSC checks Zofia in from the check-in list.
    sign_in(page, base, "translator@ussc.example", DEMO_PASSWORD)
    page.wait_for_url("**/en/accounts/")
    page.goto(f"{base}/en/events/{forum.slug}/checkin/?q=zofia")
    page.get_by_role("button", name="Check in Zofia Wiśniewska").click()
    expect(page.locator("#checkin-count")).to_contain_text("1 of")
    assert Registration.objects.get(email="zofia@example.org").checked_in_at is not None

    # After the forum: the organiser adds the recording, and it appears in the archive.
    start = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=1)
    event_update(
        event=forum, by="test", starts_at=start, ends_at=start + datetime.timedelta(hours=2)
    )
    page.goto(f"{base}/en/events/{forum.slug}/manage/")
    page.fill("#id_recording-url", "https://peertube.example.org/w/ussc-unions-martial-law")
    page.fill("#id_recording-title", "Ukraine's unions under martial law")
    page.locator("input[name=form][value=recording] ~ button[type=submit]").click()
    page.context.clear_cookies()
    page.request_log.urls.clear()
    page.goto(f"{base}/pl/events/archive/?series=ussc-forums")
    card = page.locator(f'li.event-card:has(a[href="/pl/events/{forum.slug}/"])')
    expect(card.locator(".recording-link")).to_be_visible()
    card.locator(".recording-link").click()
    recording = page.locator("#recordings ~ .recording .recording__play").first
    expect(recording).to_have_attribute(
        "href", "https://peertube.example.org/w/ussc-unions-martial-law"
    )
    # Nothing came from the video site before the visitor asked for it.
    assert page.request_log.hosts() == {host}
    page.screenshot(path="test-artifacts/events-archive.png", full_page=True)

    # The private page no longer offers the join link once the forum is over.
    page.goto(private_page)
    assert JOIN not in page.content()
