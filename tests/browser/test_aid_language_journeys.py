"""The aid journey in each interface language: an organiser moves a convoy through its
states with the page's own buttons and prints the waybill; the recipient opens the QR link
on a 360 px phone with JavaScript off, in the recipient's language, and confirms one line
short and damaged by tapping and typing.

Elements are found by form field names, data-* hooks and link targets, never by English
text, so the same journey runs under /en/, /uk/, /pl/ and /ru/.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect
from pypdf import PdfReader

from spilka.aid.models import Convoy, Handover
from spilka.aid.services import convoys as convoy_services
from spilka.aid.services import needs as need_services
from spilka.aid.services.catalogue import catalogue_ensure
from spilka.lib.translated import pick
from spilka.network import services as network_services
from spilka.network.demo import load_demo
from spilka.network.models import Organisation
from tests.browser.sign_in import sign_in
from tests.demo_snapshot import load_demo_fresh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long journey passphrase"
ORGANISER = "convoys@durham.test"
PHONE = {"width": 360, "height": 740}

# Every element whose box sticks out of the viewport's width (none may, on a phone). The
# skip link sits off-screen on purpose until it is focused: it is not part of the layout.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')]
    .filter(el => !el.closest('.skip, .visually-hidden, .hp'))
    .filter(el => { const r = el.getBoundingClientRect();
                    return r.width > 0 && (r.left < -0.5 || r.right > width + 0.5); })
    .map(el => { const r = el.getBoundingClientRect();
                 return `${el.tagName}#${el.id}.${el.className}[${el.name || ''}] `
                        + `${Math.round(r.left)}..${Math.round(r.right)}`; });
}"""


def _setup() -> tuple[Convoy, Organisation]:
    load_demo_fresh(load_demo)
    items = catalogue_ensure(by="test")
    recipient = Organisation.objects.get(slug="npgu-pavlohrad")
    donor = Organisation.objects.get(slug="num-durham")
    user = get_user_model().objects.create_user(ORGANISER, PASSWORD, display_name="Convoys")
    network_services.role_grant(by="test", user=user, organisation=donor, role="organiser")
    logistics = get_user_model().objects.create_user("logistics@pavlohrad.test", PASSWORD)
    network_services.role_grant(by="test", user=logistics, organisation=recipient, role="logistics")
    need = need_services.need_create(
        by=logistics,
        organisation=recipient,
        title={"en": "Kits and generators", "uk": "Аптечки і генератори"},
        oblast="dnipropetrovsk",
        lines=[(items["first-aid-kit"], Decimal(40)), (items["generator"], Decimal(2))],
    )
    kits, generators = need.lines.order_by("pk")
    pledge = need_services.pledge_create(
        by=user,
        need=need,
        donor_organisation=donor,
        lines=[
            {"need_line": kits, "quantity": Decimal("40.000")},
            {"need_line": generators, "quantity": Decimal(2)},
        ],
    )
    convoy = convoy_services.convoy_create(by=user, organisation=donor, title="Durham to Pavlohrad")
    for line, box in zip(pledge.lines.order_by("pk"), ("1", "2"), strict=True):
        lot = {"lot": "AK-2291", "expiry": "2028-05-31"} if line.item.tracks_lot_expiry else {}
        convoy_services.manifest_line_add(
            by=user, convoy=convoy, pledge_line=line, quantity=line.quantity, box_number=box, **lot
        )
    return convoy, recipient


def _step(page, to: str) -> None:
    """Press the convoy page's button for ``to``; tick the box if the step asks first."""
    with page.expect_navigation():
        page.locator(f"#convoy-transitions button[data-transition={to}]").click()
    if page.locator("[name=understood]").count():
        # A one-way step: the button alone does not move the convoy.
        expect(page.locator("[name=understood]")).not_to_be_checked()
        page.locator("[name=understood]").check()
        with page.expect_navigation():
            page.locator(f"main form button[data-transition={to}]").click()
    expect(page.locator("#convoy-status")).to_have_attribute(
        "class", re.compile(rf"aid-status--{to}\b")
    )


def _text(pdf: bytes) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize("language", ["en", "uk", "pl", "ru"])
def test_organiser_and_recipient_finish_a_convoy_in_every_language(
    page, browser, live_server, language
):
    convoy, recipient = _setup()
    base = live_server.url
    sign_in(page, base, ORGANISER, PASSWORD, language)
    page.goto(f"{base}/{language}/aid/convoys/")
    with page.expect_navigation():
        page.locator(f"main a[href='/{language}/aid/convoys/{convoy.pk}/']").click()

    # Buttons come in process order; the convoy goes through its states by clicks.
    expect(page.locator("#convoy-transitions button")).to_have_count(2)
    order = page.locator("#convoy-transitions button").evaluate_all(
        "buttons => buttons.map(b => b.dataset.transition)"
    )
    assert order == ["loading", "cancelled"]
    _step(page, "loading")
    _step(page, "departed")
    _step(page, "arrived")
    assert Convoy.objects.get(pk=convoy.pk).status == "arrived"

    # The waybill: plain quantities, the recipient named, the QR link in Ukrainian.
    handover = Handover.objects.get(convoy=convoy)
    with page.expect_download() as download_info:
        page.locator(f"#waybill-{handover.pk}").click()
    text = _text(Path(download_info.value.path()).read_bytes())
    assert "4E+1" not in text and "40.000" not in text
    assert re.search(r"(^|\s)40 ", text)
    squeezed = re.sub(r"\s+", "", text)
    assert re.sub(r"\s+", "", pick(recipient.name, "uk", "uk").text) in squeezed
    link = re.search(r"https?://[^\s]+?/aid/receive/\d+/\S+?/", text.replace("\n", "")).group(0)
    assert urlparse(link).path.startswith("/uk/aid/receive/")

    # The recipient: a 360 px phone, no JavaScript, no account.
    context = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="uk-UA")
    phone = context.new_page()
    phone.goto(link)
    assert phone.locator("html").get_attribute("lang") == "uk"
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert phone.evaluate(OVERFLOWING) == []
    kits_line, generator_line = handover.lines.order_by("box_number")
    kits = phone.locator(f"[data-line='{kits_line.pk}']")
    kits.locator(f"[name=received_{kits_line.pk}]").click()
    kits.locator(f"[name=received_{kits_line.pk}]").fill("")
    kits.locator(f"[name=received_{kits_line.pk}]").type("38")
    kits.locator(f"[name=discrepancy_{kits_line.pk}][value=damaged]").check()
    kits.locator(f"[name=reason_{kits_line.pk}]").click()
    kits.locator(f"[name=reason_{kits_line.pk}]").type("Box 1 was wet: two kits spoiled")
    phone.locator("[name=signer_name]").click()
    phone.locator("[name=signer_name]").type("Андрій")
    # Every target a thumb must hit is at least 44 px tall.
    for target in [
        kits.locator(f"[name=received_{kits_line.pk}]"),
        kits.locator(f"label:has([name=discrepancy_{kits_line.pk}][value=damaged])"),
        phone.locator("[data-action=confirm-receipt]"),
    ]:
        assert target.bounding_box()["height"] >= 44
    assert phone.evaluate(OVERFLOWING) == []
    with phone.expect_navigation():
        phone.locator("[data-action=confirm-receipt]").click()
    expect(phone.locator("#receipt-confirmed")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()

    handover.refresh_from_db()
    kits_line.refresh_from_db()
    generator_line.refresh_from_db()
    assert handover.status == "confirmed" and handover.has_discrepancy
    assert (kits_line.received_quantity, kits_line.discrepancy) == (Decimal(38), "damaged")
    assert generator_line.received_quantity == Decimal(2) and generator_line.discrepancy == ""
    assert Convoy.objects.get(pk=convoy.pk).status == "confirmed"
    assert page.request_log.hosts() == {urlparse(base).netloc}


def test_cancelling_a_convoy_takes_a_second_deliberate_click(page, live_server):
    convoy, _recipient = _setup()
    base = live_server.url
    sign_in(page, base, ORGANISER, PASSWORD, "pl")
    page.goto(f"{base}/pl/aid/convoys/{convoy.pk}/")
    with page.expect_navigation():
        page.locator("#convoy-transitions button[data-transition=cancelled]").click()
    # The first click only asks; the form will not go without the box ticked.
    assert Convoy.objects.get(pk=convoy.pk).status == "planned"
    confirm = page.locator("main form button[data-transition=cancelled]")
    confirm.click()
    assert page.locator("[name=understood]").evaluate("box => box.validity.valueMissing")
    assert "/status/" in page.url
    assert Convoy.objects.get(pk=convoy.pk).status == "planned"
    # Going back changes nothing.
    with page.expect_navigation():
        page.locator("#transition-back").click()
    expect(page.locator("#convoy-status")).to_have_attribute(
        "class", re.compile(r"aid-status--planned\b")
    )
    with page.expect_navigation():
        page.locator("#convoy-transitions button[data-transition=cancelled]").click()
    page.locator("[name=understood]").check()
    with page.expect_navigation():
        confirm.click()
    expect(page.locator("#convoy-status")).to_have_attribute(
        "class", re.compile(r"aid-status--cancelled\b")
    )
    expect(page.locator("#convoy-transitions")).to_have_count(0)
