"""An administrator makes an API key on the page, uses it, and revokes it.

She clicks the page's own buttons, copies the secret the page shows once, lists the
organisation's people with it over HTTP, then revokes it: the same request is refused.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from urllib.parse import urlparse

import pytest

from spilka.network.demo import DEMO_PASSWORD, load_demo
from tests.browser.sign_in import sign_in
from tests.demo_snapshot import load_demo_fresh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def people_with(base: str, secret: str) -> tuple[int, dict]:
    request = urllib.request.Request(f"{base}/api/v1/people/", headers={"OSDI-API-TOKEN": secret})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_admin_creates_uses_and_revokes_a_key(page, live_server):
    load_demo_fresh(load_demo)
    from spilka.network.models import Organisation
    from spilka.outreach.models import Supporter

    usc = Organisation.objects.get(slug="ukraine-solidarity-campaign")
    Supporter.objects.create(organisation=usc, email="halyna@example.org", name="Halyna K")
    sign_in(page, live_server.url, "organiser@usc.example", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/en/org/ukraine-solidarity-campaign/")
    page.get_by_role("link", name="API keys").click()
    page.wait_for_url("**/org/ukraine-solidarity-campaign/api-keys/")

    page.fill("#id_name", "CRM sync")
    page.get_by_label("Supporters, tags and lists: read", exact=True).check()
    page.get_by_role("button", name="Create the key").click()
    page.wait_for_selector("#api-key-secret")
    assert "shown this once" in page.content()
    secret = page.input_value("#api-key-secret")
    assert secret.startswith("spk_")

    status, body = people_with(live_server.url, secret)
    assert status == 200
    addresses = [p["email_addresses"][0]["address"] for p in body["_embedded"]["osdi:people"]]
    assert "halyna@example.org" in addresses

    page.get_by_role("link", name="Done").click()
    page.wait_for_url("**/org/ukraine-solidarity-campaign/api-keys/")
    row = page.locator("#api-keys tr", has_text="CRM sync")
    assert secret not in page.content()  # never shown again
    assert "supporters:read" in row.inner_text()
    row.get_by_role("link", name="Revoke").click()
    page.get_by_role("button", name="Revoke the key").click()
    page.wait_for_url("**/org/ukraine-solidarity-campaign/api-keys/")
    assert "revoked" in page.locator("#api-keys tr", has_text="CRM sync").inner_text()

    status, body = people_with(live_server.url, secret)
    assert status == 401
    assert body["error"] == "This API key has been revoked."

    own = urlparse(live_server.url).netloc
    assert page.request_log.hosts() == {own}


def test_the_api_docs_page_renders_the_schema_from_our_own_files(page, live_server):
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.wait_for_selector("text=/api/v1/people/", timeout=20000)
    assert "Spilka API" in page.content()
    own = urlparse(live_server.url).netloc
    assert page.request_log.hosts() == {own}
