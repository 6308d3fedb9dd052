"""One journey in each interface language: an organiser uploads a supporter CSV whose
headings are in that language, sees which column fills which field, imports it with the
page's own buttons, then takes a mass mailing to its final step, which says how many
people it will reach, and presses "Send to N people" there: the report then counts the
same N recipients. Elements are found by field names and data-* hooks, never by
English text, so the same steps run under /en/, /uk/, /pl/ and /ru/."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from spilka.demo import load_all
from spilka.network.demo import DEMO_PASSWORD
from spilka.outreach.models import Mailing, MailingStatus, Supporter
from spilka.outreach.selectors import mailing_recipient_count
from tests.browser.language_boxes import fill_language_box
from tests.browser.sign_in import sign_in
from tests.demo_snapshot import load_demo_fresh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ORG = "ukraine-solidarity-campaign"

# The headings people type in each language: email, first name, surname, phone, country.
HEADINGS = {
    "en": ("E-mail", "First name", "Last name", "Phone", "Country"),
    "uk": ("Електронна пошта", "Ім’я", "Прізвище", "Телефон", "Країна"),
    "pl": ("Adres e-mail", "Imię", "Nazwisko", "Telefon", "Kraj"),
    "ru": ("Электронная почта", "Имя", "Фамилия", "Телефон", "Страна"),
}
FIELDS = ("email", "first_name", "last_name", "phone", "country")


@pytest.mark.parametrize("language", ["en", "uk", "pl", "ru"])
def test_an_organiser_imports_a_csv_in_their_language_and_sends_a_mailing(
    page, live_server, language
):
    load_demo_fresh(load_all)
    base = live_server.url
    headings = HEADINGS[language]
    people = [
        (f"journey.{language}.1@example.org", "Oksana", "Bondar", "+380501112233", "UA"),
        (f"journey.{language}.2@example.org", "Jan", "Kowal", "", "PL"),
    ]
    csv_text = "\n".join([",".join(headings), *(",".join(row) for row in people)])

    sign_in(page, base, "organiser@usc.example", DEMO_PASSWORD, language=language)
    page.wait_for_url(f"**/{language}/accounts/")

    # 1. Upload.
    page.goto(f"{base}/{language}/outreach/{ORG}/imports/new/")
    page.set_input_files(
        "#id_file",
        files=[{"name": "people.csv", "mimeType": "text/csv", "buffer": csv_text.encode()}],
    )
    page.check("#id_consent_given")
    page.fill("#id_consent_source", "Sign-up sheets, solidarity meeting")
    with page.expect_navigation():
        page.locator("form:has(#id_file) button[type=submit]").click()
    assert f"/{language}/outreach/{ORG}/imports/" in page.url

    # 2. The mapping: every heading found its field, shown in the table and the form.
    for heading, field in zip(headings, FIELDS, strict=True):
        row = page.locator(f'#column-map tr[data-column="{heading}"]')
        expect(row).to_have_attribute("data-field", field)
        expect(page.locator(f'#mapping-form select[name="{field}"]')).to_have_value(heading)
    page.locator("[data-import-preview]").click()
    expect(page.locator("#preview")).to_contain_text(people[0][0])

    # 3. Import with the page's own button.
    page.locator("[data-import-run]").click()
    expect(page.locator("#import-result")).to_be_visible()
    expect(page.locator("[data-created]")).to_have_text("2")
    imported = Supporter.objects.get(organisation__slug=ORG, email=people[0][0])
    assert (imported.name, imported.phone, imported.country) == (
        "Oksana Bondar",
        "+380501112233",
        "UA",
    )

    # 4. A mailing, to its final step: the count shown is the send's own.
    page.goto(f"{base}/{language}/outreach/{ORG}/mailings/new/")
    page.select_option("#id_original_language", "en")
    # The English boxes are folded unless English is the interface language: unfold them.
    fill_language_box(page, "subject", "en", "Solidarity news")
    fill_language_box(page, "body", "en", "Thank you for signing up.")
    with page.expect_navigation():
        page.locator("form:has([name=subject_en]) button[type=submit]").click()
    with page.expect_navigation():
        page.locator("[data-mailing-continue]").click()
    mailing = Mailing.objects.get(organisation__slug=ORG, subject__en="Solidarity news")
    count = mailing_recipient_count(mailing)
    assert count >= 2
    expect(page.locator("[data-confirm-count]")).to_have_attribute("data-confirm-count", str(count))
    button = page.locator("[data-send-confirm]")
    expect(button).to_have_attribute("data-send-confirm", str(count))
    expect(button).to_be_visible()
    assert Mailing.objects.get(pk=mailing.pk).status == MailingStatus.DRAFT  # nothing sent yet
    page.screenshot(path=f"test-artifacts/outreach-send-step-{language}.png", full_page=True)

    # 5. Send, with the final button, as the organiser would: the number on it is the
    # number confirmed, and the report counts exactly those recipients.
    with page.expect_navigation():
        button.click()
    assert page.url.endswith(f"/{language}/outreach/{ORG}/mailings/{mailing.pk}/")
    expect(page.locator("#mailing-report")).to_be_visible()
    expect(page.locator("[data-recipients]")).to_have_attribute("data-recipients", str(count))
    sent = Mailing.objects.get(pk=mailing.pk)
    assert sent.status in (MailingStatus.SENDING, MailingStatus.SENT)
    assert sent.recipient_count == count
    assert sent.recipients.count() == count
    page.screenshot(path=f"test-artifacts/outreach-sent-{language}.png", full_page=True)
    assert page.request_log.hosts() == {urlparse(base).netloc}
