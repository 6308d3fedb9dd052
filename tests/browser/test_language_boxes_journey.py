"""An organiser writes a mailing in two languages: the form shows only the original
language's box open, the others folded; they unfold the Ukrainian box, type, and save.
Found by data-* hooks and names only, so the journey runs in every interface language."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from spilka.demo import load_all
from spilka.network.demo import DEMO_PASSWORD
from spilka.outreach.models import Mailing
from tests.browser.language_boxes import language_box
from tests.browser.sign_in import sign_in
from tests.demo_snapshot import load_demo_fresh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ORG = "ukraine-solidarity-campaign"


@pytest.mark.parametrize("language", ["en", "uk", "pl", "ru"])
def test_an_organiser_unfolds_a_language_box_types_and_saves(page, live_server, language):
    load_demo_fresh(load_all)
    base = live_server.url
    sign_in(page, base, "organiser@usc.example", DEMO_PASSWORD, language=language)
    page.wait_for_url(f"**/{language}/accounts/")
    page.goto(f"{base}/{language}/outreach/{ORG}/mailings/new/")

    # A new mailing's original language is the organiser's interface language.
    original = page.locator("#id_original_language").input_value()
    assert original == language
    other = "uk" if original != "uk" else "en"
    subject = page.locator('[data-translated="subject"]')
    # One box open, the original's, and it comes first.
    expect(subject.locator("details[open]")).to_have_count(1)
    expect(subject.locator("details").first).to_have_attribute("data-lang-box", original)
    expect(subject.locator("details[open]")).to_have_attribute("data-original", "")
    expect(page.locator(f"[name=subject_{original}]")).to_be_visible()
    expect(page.locator(f"[name=subject_{other}]")).to_be_hidden()
    expect(subject.locator("[data-translation-workflow]")).to_have_count(1)

    page.locator(f"[name=subject_{original}]").fill("Convoy news")
    page.locator(f"[name=body_{original}]").fill("The convoy reached Kharkiv.")
    # Unfold another language's box with its own summary, then type.
    box = language_box(page, "subject", other)
    box.locator("summary").click()
    expect(box).to_have_attribute("open", "")
    expect(page.locator(f"[name=subject_{other}]")).to_be_visible()
    page.locator(f"[name=subject_{other}]").fill("Новини конвою")
    with page.expect_navigation():
        page.locator("form:has([name=subject_en]) button[type=submit]").click()

    mailing = Mailing.objects.get(organisation__slug=ORG, **{f"subject__{original}": "Convoy news"})
    assert mailing.subject == {original: "Convoy news", other: "Новини конвою"}
    assert page.url.endswith(f"/{language}/outreach/{ORG}/mailings/{mailing.pk}/")
