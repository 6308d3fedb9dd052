"""An organiser finds a co-organiser by typing part of its name, picks it with the
keyboard, saves, and the campaign names it (as asked, until the organisation accepts)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from spilka.campaigns.models import Campaign
from spilka.network import pickers
from spilka.network.demo import DEMO_PASSWORD, load_demo
from spilka.network.models import LinkRequest
from tests.browser.sign_in import sign_in
from tests.demo_snapshot import load_demo_fresh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ENSU = "European Network for Solidarity with Ukraine"


def test_an_organiser_types_part_of_a_name_and_picks_it_with_the_keyboard(
    page, live_server, monkeypatch
):
    # The demo has about thirty organisations: search them as if there were thousands
    # (the lead, one organisation, stays a plain select).
    monkeypatch.setattr(pickers, "PLAIN_UP_TO", 5)
    load_demo_fresh(load_demo)
    base = live_server.url
    sign_in(page, base, "organiser@usc.example", DEMO_PASSWORD)
    page.goto(f"{base}/en/campaigns/new/")
    page.fill("#id_slug", "picked-by-keyboard")
    page.fill("[name=title_en]", "Picked by keyboard")
    page.select_option("#id_lead_organisation", label="Ukraine Solidarity Campaign")
    page.select_option("#id_status", "active")

    box = page.get_by_role("combobox", name="Co-organisers")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press_sequentially("network for solid", delay=20)
    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    option = listbox.get_by_role("option", name=ENSU)
    expect(option).to_have_count(1)
    box.press("ArrowDown")
    expect(listbox.get_by_role("option", selected=True)).to_contain_text(ENSU)
    box.press("Enter")
    expect(listbox).to_be_hidden()
    chosen = page.locator(".picker-chosen").get_by_label(ENSU)
    expect(chosen).to_be_checked()
    # Escape closes a list without choosing; nothing else is added.
    box.press_sequentially("razem", delay=20)
    expect(listbox).to_be_visible()
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(page.locator(".picker-chosen input:checked")).to_have_count(1)

    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/en/campaigns/picked-by-keyboard/")
    expect(page.locator("#pending-links")).to_contain_text(ENSU)
    campaign = Campaign.objects.get(slug="picked-by-keyboard")
    asked = LinkRequest.objects.filter(campaign=campaign).select_related("organisation")
    assert [link.organisation.slug for link in asked] == ["ensu"]
