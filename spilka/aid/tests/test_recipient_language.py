"""The recipient's link, QR code and waybill speak the recipient's language, not the
language of the organiser's page they were printed from (issue 14)."""

import io
import re
from decimal import Decimal

import pytest
from pypdf import PdfReader

from spilka.aid.services import convoys as convoy_services


def _confirm_href(page: str) -> str:
    match = re.search(r'id="confirm-link">([^<]+)<', page)
    assert match is not None
    return match.group(1)


def _waybill_text(client, handover, language: str) -> str:
    response = client.get(f"/{language}/aid/handovers/{handover.pk}/waybill.pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    return "".join(page.extract_text() for page in reader.pages).replace("\n", "")


@pytest.mark.parametrize("interface", ["pl", "en", "ru"])
def test_the_confirm_link_opens_in_ukrainian_from_any_interface(
    login, donor_organiser, loaded_convoy, interface
):
    handover = loaded_convoy.handovers.get()
    assert handover.recipient.original_language == "uk"
    page = login(donor_organiser).get(f"/{interface}/aid/handovers/{handover.pk}/")
    href = _confirm_href(page.content.decode())
    assert re.match(r"http://testserver/uk/aid/receive/\d+/", href), href


def test_the_waybill_qr_and_link_printed_from_polish_go_to_the_ukrainian_page(
    login, donor_organiser, loaded_convoy
):
    handover = loaded_convoy.handovers.get()
    text = _waybill_text(login(donor_organiser), handover, "pl")
    link = re.search(r"http://testserver/\w\w/aid/receive/\d+/", text).group(0)
    assert link.startswith("http://testserver/uk/aid/receive/")
    assert "/pl/aid/receive/" not in text


def test_a_polish_recipient_gets_a_polish_link_from_the_english_page(
    demo, login, donor_organiser, donor_org, items
):
    recipient = demo["razem"]
    recipient.original_language = "pl"
    recipient.save(update_fields=["original_language"])
    convoy = convoy_services.convoy_create(by=donor_organiser, organisation=donor_org, title="T")
    convoy_services.manifest_line_add(
        by=donor_organiser,
        convoy=convoy,
        item=items["generator"],
        quantity=Decimal(1),
        recipient=recipient,
        donor_organisation=donor_org,
    )
    handover = convoy.handovers.get()
    assert handover.language == "pl"
    page = login(donor_organiser).get(f"/en/aid/handovers/{handover.pk}/")
    assert "/pl/aid/receive/" in _confirm_href(page.content.decode())


def test_recipient_language_falls_back_to_working_languages_then_the_site_default(demo, settings):
    org = demo["razem"]
    org.original_language = "xx"  # not an interface language (bad or legacy data)
    org.languages = ["de", "ru"]
    assert convoy_services.recipient_language(org) == "ru"
    org.languages = ["de"]
    assert convoy_services.recipient_language(org) == settings.LANGUAGE_CODE


def test_the_waybill_names_the_recipient_in_its_language_from_any_interface(
    login, donor_organiser, loaded_convoy
):
    handover = loaded_convoy.handovers.get()
    client = login(donor_organiser)
    for interface in ("pl", "en"):
        text = _waybill_text(client, handover, interface)
        assert "Незалежна профспілка гірників України" in text, interface
        assert "Niezależny Związek" not in text
