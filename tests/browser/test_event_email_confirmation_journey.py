"""A visitor registers for a forum whose join link waits for email confirmation: the page says
"check your email" instead of showing the link; the link arrives only behind the button of
the page the confirmation mail leads to."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from spilka.events.models import Registration
from spilka.events.services.events import event_create
from spilka.lib.models import OutboxMessage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOIN = "https://meet.example.org/j/confirm-first-4711"


@pytest.fixture
def outbox_settings(settings):
    settings.EMAIL_BACKEND = "spilka.lib.mail.OutboxEmailBackend"
    settings.SPILKA_OUTBOX_ENABLED = True
    settings.SPILKA_POW_MAX_NUMBER = 2000


def test_visitor_sees_the_join_link_only_after_confirming_their_address_from_the_mail(
    page, live_server, outbox_settings, demo
):
    start = timezone.now() + datetime.timedelta(days=5)
    event = event_create(
        by="test",
        organiser=demo["ussc"],
        slug="confirm-first-forum",
        kind="online_forum",
        title={"en": "Confirm-first forum"},
        description={"en": "A forum whose link waits for email confirmation."},
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        is_online=True,
        join_url=JOIN,
        languages=["en"],
        join_after_email_confirmation=True,
    )
    base = live_server.url

    page.goto(f"{base}/en/events/{event.slug}/")
    page.fill("#id_full_name", "Mykola Shevchenko")
    page.fill("#id_email", "mykola@example.org")
    button = page.locator("#register-form button[type=submit]")
    expect(button).to_be_enabled(timeout=30000)
    button.click()

    # "Check your email", and nothing of the join link.
    expect(page.locator("h1")).to_have_text("Check your email")
    assert JOIN not in page.content()
    registration = Registration.objects.get(event=event, email="mykola@example.org")
    assert registration.email_confirmed_at is None

    # The mail carries the confirmation link (and, before confirmation, no join link).
    message = OutboxMessage.objects.get(to="mykola@example.org")
    assert JOIN not in message.body
    confirm = re.search(r"https?://\S+/en/events/confirm/\S+/", message.body).group(0)

    # Opening the link changes nothing by itself (mail scanners open links) ...
    page.goto(confirm)
    expect(page.locator("#confirm-email")).to_be_visible()
    assert JOIN not in page.content()
    registration.refresh_from_db()
    assert registration.email_confirmed_at is None

    # ... the page's own button confirms, and the registration page shows the join link.
    page.locator("#confirm-email").click()
    page.wait_for_url("**/en/events/r/**")
    expect(page.locator("#join-link")).to_have_attribute("href", JOIN)
    registration.refresh_from_db()
    assert registration.email_confirmed_at is not None

    # Nothing was fetched from anywhere but this site.
    assert page.request_log.hosts() <= {live_server.url.split("//", 1)[1]}
