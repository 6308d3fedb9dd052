"""An organisation's admin adds a webhook by clicking, sends a test event to a receiver
running on this machine, sees it delivered in the log, and presses "Resend".

The receiver checks every signature with the documented recipe and processes each delivery
id once, as docs/api.md ("Webhooks") tells receivers to.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from spilka.network.demo import DEMO_PASSWORD, load_demo
from spilka.webhooks.models import WebhookDelivery, WebhookEndpoint
from spilka.webhooks.tests.conftest import running_receiver
from tests.browser.sign_in import sign_in
from tests.demo_snapshot import load_demo_fresh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

USC = "ukraine-solidarity-campaign"


def _click_and_wait(page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).first.click()


def test_an_admin_adds_a_webhook_sends_a_test_event_and_resends_it(page, live_server, settings):
    settings.SPILKA_WEBHOOKS_ALLOW_PRIVATE = True  # the receiver listens on 127.0.0.1
    load_demo_fresh(load_demo)
    base = live_server.url
    with running_receiver() as receiver:
        sign_in(page, base, "organiser@usc.example", DEMO_PASSWORD)
        page.goto(f"{base}/en/org/{USC}/")
        _click_and_wait(page, "[data-webhooks-link]")
        _click_and_wait(page, "[data-webhook-add]")

        page.fill("#id_url", receiver.url)
        page.fill("#id_description", "Our CRM")
        page.locator('input[name="events"][value="pledge.made"]').check()
        page.locator('input[name="events"][value="donation.recorded"]').check()
        _click_and_wait(page, "[data-webhook-save]")

        endpoint = WebhookEndpoint.objects.get(organisation__slug=USC)
        assert endpoint.events == ["donation.recorded", "pledge.made"]
        page.get_by_text("Show the secret").click()
        secret = page.locator("[data-webhook-secret]").inner_text().strip()
        assert secret == endpoint.secret
        receiver.secret = secret

        _click_and_wait(page, "[data-webhook-test]")
        row = page.locator("[data-webhook-delivery]").first
        expect(row).to_have_attribute("data-status", "delivered")
        expect(row.locator("[data-webhook-attempts]")).to_contain_text("1")
        delivery = WebhookDelivery.objects.get(endpoint=endpoint)
        assert row.get_attribute("data-webhook-delivery") == str(delivery.id)

        _click_and_wait(page, "[data-webhook-resend]")
        row = page.locator(f'[data-webhook-delivery="{delivery.id}"]')
        expect(row).to_have_attribute("data-status", "delivered")
        expect(row.locator("[data-webhook-attempts]")).to_contain_text("2")

        assert len(receiver.requests) == 2 and receiver.bad_signatures == 0
        assert receiver.processed == [str(delivery.id)]  # the resend carried the same id
