"""The event journey in each language, by clicking the pages' own forms and buttons.

An organiser creates an event (one place, join link only after email confirmation); a
visitor registers, confirms from the mailed link and cancels from their own page; a second
visitor, on the waiting list, takes the freed place from the offer page. The same journey
runs under /en/, /uk/, /pl/ and /ru/: elements are found by field names, ids and data-*
hooks, never by English text.

The cancel, confirm and offer pages are private (sent with ``Referrer-Policy:
same-origin``); with ``no-referrer`` chromium posts their buttons with ``Origin: null`` and
Django's CSRF check refuses them, so these clicks are what guards that.
"""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from spilka.events.models import Event, Registration, RegistrationStatus
from spilka.lib.models import OutboxMessage
from spilka.network.demo import DEMO_PASSWORD
from tests.browser.sign_in import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ORGANISER = "translator@ussc.example"  # administers USSC, which runs the forums
JOIN = "https://meet.example.org/j/language-journey"


@pytest.fixture
def outbox_settings(settings):
    settings.EMAIL_BACKEND = "spilka.lib.mail.OutboxEmailBackend"
    settings.SPILKA_OUTBOX_ENABLED = True
    settings.SPILKA_POW_MAX_NUMBER = 2000


def watch(page) -> list[str]:
    """What went wrong in the browser: console errors, script errors, failed responses."""
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(f"console: {message.text}") if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"script: {error}"))
    page.on(
        "response",
        lambda response: (
            problems.append(f"{response.status} {response.url}") if response.status >= 400 else None
        ),
    )
    return problems


def refused(page) -> None:
    """Fail plainly when the click met the CSRF failure page instead of doing its work."""
    assert page.locator("[data-csrf-failure]").count() == 0, f"CSRF refused: {page.url}"


def _link(email: str, kind: str, language: str) -> str:
    """The newest link of ``kind`` (r, cancel, confirm, offer) mailed to ``email``."""
    pattern = rf"https?://\S+/{language}/events/{kind}/[^/\s]+/"
    for message in OutboxMessage.objects.filter(to=email).order_by("-pk"):
        found = re.search(pattern, message.body)
        if found:
            return found.group(0)
    raise AssertionError(f"no {kind} link mailed to {email}")


def _register(browser, base: str, language: str, slug: str, name: str, email: str):
    visitor = browser.new_context(locale="en-GB").new_page()
    problems = watch(visitor)
    visitor.goto(f"{base}/{language}/events/{slug}/")
    assert visitor.locator("html").get_attribute("lang") == language
    visitor.fill("#register-form [name=full_name]", name)
    visitor.fill("#register-form [name=email]", email)
    button = visitor.locator("#register-form button[type=submit]")
    expect(button).to_be_enabled(timeout=30000)  # the proof-of-work is done
    button.click()
    visitor.wait_for_url(f"**/{language}/events/{slug}/register/")
    return visitor, problems


@pytest.mark.parametrize("language", ["en", "uk", "pl", "ru"])
def test_an_event_from_creation_to_a_taken_waiting_list_place(
    page, browser, live_server, outbox_settings, demo, language
):
    base = live_server.url
    slug = f"journey-{language}"
    organiser_problems = watch(page)

    # The organiser creates the event on the page's own form.
    sign_in(page, base, ORGANISER, DEMO_PASSWORD, language=language)
    page.goto(f"{base}/{language}/events/new/")
    form = page.locator("main form.form")
    form.locator("[name=slug]").fill(slug)
    form.locator("[name=kind]").select_option("online_forum")
    form.locator("[name=title_en]").fill(f"Language journey ({language})")
    form.locator("[name=original_language]").select_option("en")
    form.locator("[name=time_zone]").select_option("Europe/Kyiv")
    form.locator("[name=starts_at]").fill("2030-05-14T18:00")
    form.locator("[name=ends_at]").fill("2030-05-14T20:00")
    form.locator("[name=is_online]").check()
    form.locator("[name=join_url]").fill(JOIN)
    form.locator("[name=capacity]").fill("1")
    form.locator("[name=is_public]").check()
    form.locator("[name=registration_enabled]").check()
    form.locator("[name=join_after_email_confirmation]").select_option("true")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    page.wait_for_url(f"**/{language}/events/{slug}/manage/")
    event = Event.objects.get(slug=slug)
    assert event.organiser.slug == "ussc"
    assert event.capacity == 1
    assert event.starts_at == datetime.datetime(2030, 5, 14, 15, 0, tzinfo=datetime.UTC)
    assert organiser_problems == []

    # A visitor registers and confirms their address from the mailed link, by its button.
    first, first_problems = _register(
        browser, base, language, slug, "Olena K.", "olena@example.org"
    )
    registration = Registration.objects.get(event=event, email="olena@example.org")
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.language == language
    first.goto(_link("olena@example.org", "confirm", language))
    assert JOIN not in first.content()
    with first.expect_navigation():
        first.locator("#confirm-email").click()
    refused(first)
    first.wait_for_url(f"**/{language}/events/r/**")
    expect(first.locator("#join-link")).to_have_attribute("href", JOIN)
    registration.refresh_from_db()
    assert registration.email_confirmed_at is not None

    # The place is taken: a second visitor joins the waiting list.
    second, second_problems = _register(
        browser, base, language, slug, "Piotr W.", "piotr@example.org"
    )
    waiting = Registration.objects.get(event=event, email="piotr@example.org")
    assert waiting.status == RegistrationStatus.WAITLISTED

    # The first visitor cancels from the cancel page's own button.
    first.goto(_link("olena@example.org", "cancel", language))
    with first.expect_navigation():
        first.locator("[data-registration-cancel] button[type=submit]").click()
    refused(first)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED

    # The second takes the freed place from the offer page's own button.
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.OFFERED
    second.goto(_link("piotr@example.org", "offer", language))
    with second.expect_navigation():
        second.locator("[data-offer-accept] button[type=submit]").click()
    refused(second)
    second.wait_for_url(f"**/{language}/events/r/**")
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED

    assert first_problems == []
    assert second_problems == []
