"""An organiser signs in, adds a person to their organisation and finds the change audited."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from spilka.network.demo import DEMO_PASSWORD, load_demo
from tests.browser.sign_in import sign_in
from tests.demo_snapshot import load_demo_fresh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_organiser_adds_a_person_and_sees_it_in_the_audit_log(page, live_server):
    load_demo_fresh(load_demo)
    sign_in(page, live_server.url, "organiser@usc.example", DEMO_PASSWORD)
    page.wait_for_url("**/en/accounts/")
    page.get_by_role("link", name="People").first.click()
    page.wait_for_url("**/org/ukraine-solidarity-campaign/people/")
    page.get_by_role("link", name="Add a person").click()

    # A bad phone number is explained and nothing typed is lost.
    page.fill("#id_full_name", "Taras Shevchuk <b>")
    page.fill("#id_email", "Taras@Example.org")
    page.fill("#id_phone", "12345")
    page.select_option("#id_preferred_language", "uk")
    page.get_by_role("button", name="Add person").click()
    assert "This phone number is not valid." in page.content() or "country code" in page.content()
    assert page.input_value("#id_full_name") == "Taras Shevchuk <b>"

    page.fill("#id_phone", "+380 67 123 4567")
    page.get_by_role("button", name="Add person").click()
    page.wait_for_url("**/en/people/*/")
    assert page.locator("h1").inner_text() == "Taras Shevchuk <b>"  # shown as text, not markup
    assert "taras@example.org" in page.content()
    assert "+380671234567" in page.content()

    page.goto(f"{live_server.url}/en/org/ukraine-solidarity-campaign/audit/")
    rows = page.locator("tr", has_text="Taras Shevchuk")
    assert rows.locator("code", has_text="network.person.created").count() == 1
    assert rows.locator("code", has_text="network.membership.created").count() == 1
    assert "organiser@usc.example" in rows.first.inner_text()

    own = urlparse(live_server.url).netloc
    assert page.request_log.hosts() == {own}
