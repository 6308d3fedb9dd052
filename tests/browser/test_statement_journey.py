"""An admin of the Red-Green Alliance, which backed the Warsaw statement later, signs in,
co-signs it for their party, and finds the party listed under Denmark, on screen and in
the print view."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model

from spilka.network import services
from spilka.network.models import Organisation
from tests.browser.sign_in import sign_in
from tests.demo_snapshot import load_demo_fresh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "international@enhedslisten.example"
PASSWORD = "solidarity forever 1922"
PARTY = "Red-Green Alliance (Denmark)"


def test_an_organisations_admin_cosigns_and_it_is_listed_under_its_country(page, live_server):
    from spilka.demo import load_all

    load_demo_fresh(load_all)
    user = get_user_model().objects.create_user(EMAIL, PASSWORD, display_name="Mette (RGA)")
    services.role_grant(
        by="test setup",
        user=user,
        organisation=Organisation.objects.get(slug="red-green-alliance"),
        role="admin",
    )

    sign_in(page, live_server.url, EMAIL, PASSWORD)
    page.wait_for_url("**/en/accounts/")

    page.goto(f"{live_server.url}/en/statements/warsaw-statement-2022/")
    assert "the left stands with Ukraine" in page.locator("h1").inner_text()
    assert page.locator("#country-dk").count() == 0
    assert "Signed by 6 organisations" in page.locator("#signatories h2").first.inner_text()

    page.get_by_role("button", name=f"Co-sign on behalf of {PARTY}").click()
    page.wait_for_url("**/en/statements/warsaw-statement-2022/")
    assert f"{PARTY} has co-signed the statement." in page.locator(".messages").inner_text()
    denmark = page.locator("#country-dk")
    assert denmark.locator("h3").inner_text().startswith("Denmark")
    assert PARTY in denmark.locator("li").all_inner_texts()
    assert "Signed by 7 organisations" in page.locator("#signatories h2").first.inner_text()
    # The button has become a way to take the signature back.
    assert page.get_by_role("button", name=f"Withdraw the co-signature of {PARTY}").count() == 1
    page.screenshot(path="test-artifacts/browser-statement-cosigned.png", full_page=True)

    page.get_by_role("link", name="Print view (to print or save as PDF)").click()
    page.wait_for_url("**/print/")
    assert PARTY in page.locator("#country-dk").inner_text()
    assert page.locator("script").count() == 0
    assert page.locator('link[rel=stylesheet][media=print][href$="print.css"]').count() == 1
    page.emulate_media(media="print")
    page.screenshot(path="test-artifacts/browser-statement-print.png", full_page=True)

    own = urlparse(live_server.url).netloc
    assert page.request_log.urls, "the browser made no requests at all"
    assert page.request_log.hosts() == {own}
