"""A partner posts a need, a donor pledges, an organiser loads a convoy and prints the
waybill, the recipient confirms from the QR link with no account, one item short; the need
and the public report follow.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect
from pypdf import PdfReader

from spilka.aid.models import Item, Need
from spilka.demo import load_all
from spilka.network import services as network_services
from spilka.network.models import Organisation
from tests.browser.language_boxes import fill_language_box
from tests.browser.sign_in import sign_in
from tests.browser.watch import new_page
from tests.demo_snapshot import load_demo_fresh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long journey passphrase"


def _user(email: str, org: Organisation, role: str) -> None:
    user = get_user_model().objects.create_user(email, PASSWORD, display_name=email.split("@")[0])
    network_services.role_grant(by="test", user=user, organisation=org, role=role)


def _sign_in(page, base: str, email: str) -> None:
    page.context.clear_cookies()
    sign_in(page, base, email, PASSWORD)
    page.wait_for_url("**/en/accounts/")


def _figure(page, name: str) -> int:
    return int(page.locator(f"#aid-{name}").inner_text())


# Deliberate: the recipient reopens the spent receipt link, which answers 410 Gone with a
# page saying it was already confirmed (aid/views/receive.py); nothing else may fail.
@pytest.mark.expect_http_status(410, url_part="/aid/receive/", reason="the spent receipt link")
def test_need_to_confirmed_handover_with_one_item_missing(page, browser, live_server):
    load_demo_fresh(load_all)
    base = live_server.url
    recipient = Organisation.objects.get(slug="npgu-pavlohrad")
    donor = Organisation.objects.get(slug="unison")
    _user("logistics@pavlohrad.test", recipient, "logistics")
    _user("convoys@unison.test", donor, "organiser")
    page.goto(f"{base}/en/aid/report/organisations/unison/")
    deliveries_before = _figure(page, "deliveries")

    # The partner posts a need.
    _sign_in(page, base, "logistics@pavlohrad.test")
    page.goto(f"{base}/en/aid/needs/new/")
    page.select_option("#id_organisation", str(recipient.pk))
    # The need's original language is Ukrainian: its box comes first; the English one is
    # folded and unfolded as a person would.
    fill_language_box(page, "title", "en", "Kits and radios for the Heroiv Kosmosu mine")
    page.select_option("#id_oblast", "dnipropetrovsk")
    page.fill("#id_settlement", "Ternivka")
    page.select_option("#id_lines-0-item", str(Item.objects.get(code="first-aid-kit").pk))
    page.fill("#id_lines-0-quantity", "6")
    page.select_option("#id_lines-1-item", str(Item.objects.get(code="radio").pk))
    page.fill("#id_lines-1-quantity", "2")
    page.get_by_role("button", name="Post the need").click()
    page.wait_for_url("**/aid/needs/*/")
    need = Need.objects.get(title__en="Kits and radios for the Heroiv Kosmosu mine")
    expect(page.locator("#need-status")).to_have_text("Open")

    # A donor pledges all of it.
    _sign_in(page, base, "convoys@unison.test")
    page.goto(f"{base}/en/aid/needs/{need.pk}/")
    assert "Ternivka" not in page.content()  # the public sees the oblast only
    page.get_by_role("link", name="Pledge items").click()
    kits, radios = need.lines.order_by("pk")
    page.select_option("#id_donor_organisation", str(donor.pk))
    page.fill(f"#id_qty_{kits.pk}", "6")
    page.fill(f"#id_value_{kits.pk}", "180")
    page.fill(f"#id_qty_{radios.pk}", "2")
    page.select_option("#id_currency", "GBP")
    page.get_by_role("button", name="Pledge", exact=True).click()
    expect(page.locator("#need-status")).to_have_text("Pledged")

    # The organiser builds the convoy's manifest from the pledges.
    page.goto(f"{base}/en/aid/convoys/new/")
    page.select_option("#id_organisation", str(donor.pk))
    page.fill("#id_title", "UNISON van to Pavlohrad")
    page.get_by_role("button", name="Create").click()
    page.wait_for_url("**/aid/convoys/*/")
    kit_form = page.locator("form[data-pledge-line]").filter(has_text="Individual first aid kit")
    kit_form.locator("[name=box_number]").fill("1")
    kit_form.locator("[name=lot]").fill("AK-2291")
    kit_form.locator("[name=expiry]").fill("2028-05-31")
    kit_form.get_by_role("button", name="Load").click()
    radio_form = page.locator("form[data-pledge-line]").filter(has_text="Handheld radio")
    radio_form.locator("[name=box_number]").fill("2")
    radio_form.get_by_role("button", name="Load").click()
    expect(page.locator("form[data-pledge-line]")).to_have_count(0)
    page.get_by_role("button", name="Start loading").click()
    expect(page.locator("#convoy-status")).to_have_text("Loading")
    page.get_by_role("button", name="Mark as departed").click()
    # Departing cannot be undone: the button asks first, with a box to tick.
    page.get_by_role("checkbox", name="I understand this cannot be undone").check()
    page.get_by_role("button", name="Mark as departed").click()
    expect(page.locator("#convoy-status")).to_have_text("Departed")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Waybill (PDF)").first.click()
    pdf = Path(download_info.value.path()).read_bytes()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Індивідуальна аптечка" in text and "AK-2291" in text
    link = re.search(r"http://\S+?/aid/receive/\d+/\S+?/", text.replace("\n", "")).group(0)

    # The recipient opens the QR link in a fresh browser: no account, no cookies.
    phone = new_page(browser, locale="uk-UA")
    phone.goto(link)
    expect(phone.locator("h1")).to_be_visible()
    kit_row = phone.locator("[data-item=first-aid-kit]")
    kit_row.locator("input[name^=received_]").fill("5")
    kit_row.locator("input[name^=discrepancy_][value=missing]").check()
    kit_row.locator("input[name^=reason_]").fill("One kit was not in box 1")
    phone.fill("#id_signer_name", "Andrii")
    phone.locator("main form button[type=submit]").click()
    # The link was printed in the recipient's language, though the organiser's page was English.
    assert urlparse(link).path.startswith("/uk/")
    expect(phone.locator("#receipt-confirmed")).to_be_visible()
    phone.goto(link)  # the link is spent
    expect(phone.locator("#refused-reason")).to_be_visible()
    phone.context.close()

    # The need and the public report follow; the donor sees the discrepancy.
    page.goto(f"{base}/en/aid/needs/{need.pk}/")
    expect(page.locator("#need-status")).to_have_text("Partly delivered")
    expect(page.locator("#need-lines")).to_contain_text("5")
    page.goto(f"{base}/en/aid/convoys/")
    page.get_by_role("link", name=re.compile("^C-")).first.click()
    expect(page.locator(".aid-discrepancy").first).to_contain_text("One kit was not in box 1")
    page.context.clear_cookies()
    page.goto(f"{base}/en/aid/report/organisations/unison/")
    assert _figure(page, "deliveries") == deliveries_before + 1
    assert "Andrii" not in page.content()
    page.screenshot(path="test-artifacts/aid-report.png", full_page=True)
    assert page.request_log.hosts() == {urlparse(base).netloc}
