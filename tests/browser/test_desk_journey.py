"""The organiser's desk (issue 16), clicked through in each interface language, on a phone
and on a desktop.

An organiser who is also the campaign's treasurer signs in (second factor included) and
lands on the desk. It shows a body's reported adoption of the campaign's model resolution
waiting to be verified and a volunteer's expense claim waiting for approval; one click on
each reaches the page with the button that acts on it.

Links are found by their data-desk-item hooks, never by English text, so the same journey
runs under /en/, /uk/, /pl/ and /ru/.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from spilka.campaigns.models import Resolution
from spilka.campaigns.services.resolutions import adoption_report
from spilka.demo import load_all
from spilka.funds.models import Fund
from spilka.funds.services.expenses import expense_create, expense_submit, receipt_attach
from spilka.network.models import Organisation
from spilka.network.services import role_grant
from tests.browser.sign_in import sign_in
from tests.demo_snapshot import load_demo_fresh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long journey passphrase"
ORG = "ukraine-solidarity-campaign"
ORGANISER = "desk.organiser@usc.test"
LANGUAGES = ["en", "uk", "pl", "ru"]
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
LOCALES = {"en": "en-GB", "uk": "uk-UA", "pl": "pl-PL", "ru": "ru-RU"}


def _user(email: str, roles: list[str]):
    user = get_user_model().objects.create_user(email, PASSWORD, display_name=email.split("@")[0])
    org = Organisation.objects.get(slug=ORG)
    for role in roles:
        role_grant(by="journey", user=user, organisation=org, role=role)
    return user


def _waiting_work():
    """Through the services: ASLEF reports adopting the resolution, a volunteer claims."""
    organiser = _user(ORGANISER, ["organiser", "treasurer"])
    volunteer = _user("desk.volunteer@usc.test", ["logistics"])
    adoption = adoption_report(
        by=organiser,
        resolution=Resolution.objects.get(slug="full-support-for-ukraine"),
        body=Organisation.objects.get(slug="aslef"),
        status="adopted",
        meeting_date=datetime.date(2024, 5, 1),
    )
    claim = expense_create(
        fund=Fund.objects.get(organisation__slug=ORG, slug="solidarity-fund"),
        claimant=volunteer,
        title="Fuel for the desk convoy",
        incurred_on=datetime.date(2022, 5, 12),
        currency="GBP",
        lines=[{"category": "fuel", "description": "Diesel", "amount": Decimal("40.00")}],
    )
    upload = SimpleUploadedFile("receipt.pdf", PDF, content_type="application/pdf")
    receipt_attach(expense=claim, upload=upload, by=volunteer)
    return adoption, expense_submit(expense=claim, by=volunteer)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_desk_shows_what_waits_and_one_click_reaches_each(
    browser, live_server, language, viewport
):
    load_demo_fresh(load_all)
    base = live_server.url
    adoption, claim = _waiting_work()

    context = browser.new_context(viewport=VIEWPORTS[viewport], locale=LOCALES[language])
    page = context.new_page()
    page.set_default_timeout(15000)
    sign_in(page, base, ORGANISER, PASSWORD, language=language)
    page.wait_for_url(f"**/{language}/accounts/")

    desk = page.locator(f"[data-desk-org='{ORG}']")
    adoptions = desk.locator("[data-desk-item='campaigns.adoptions']")
    claims = desk.locator("[data-desk-item='funds.claims']")
    expect(adoptions).to_be_visible()
    expect(claims).to_be_visible()
    expect(claims).to_have_attribute("data-count", "1")
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[viewport]["width"]
    Path("test-artifacts").mkdir(exist_ok=True)
    page.screenshot(path=f"test-artifacts/browser-desk-{language}-{viewport}.png", full_page=True)

    # One click: the resolution page, with the Verify button for the reported adoption.
    with page.expect_navigation():
        adoptions.click()
    assert f"/{language}/resolutions/full-support-for-ukraine/" in page.url
    verify = page.locator(
        f"form[action$='/resolutions/full-support-for-ukraine/adoptions/{adoption.pk}/verify/']"
    )
    expect(verify).to_have_count(1)

    page.goto(f"{base}/{language}/accounts/")
    # One click: the claim, with its Approve button.
    with page.expect_navigation():
        page.locator(f"[data-desk-org='{ORG}'] [data-desk-item='funds.claims']").click()
    assert page.url.endswith(f"/{language}/money/org/{ORG}/books/expenses/{claim.pk}/")
    expect(page.locator("[data-status=submitted]")).to_be_visible()
    expect(page.locator("form:has(input[name=action][value=approve])")).to_have_count(1)
    context.close()
