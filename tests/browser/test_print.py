"""Print (issue 16): a statement prints with its signatories and without the site's menu,
and headless chromium turns it into a PDF that holds the title and the signatories."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from playwright.sync_api import expect
from pypdf import PdfReader

from spilka.campaigns.models import CoSignature, Statement
from spilka.demo import load_all
from spilka.network.display import public_name_in
from tests.browser.phone_pages import public_paths
from tests.demo_snapshot import load_demo_fresh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def statement(db):
    load_demo_fresh(load_all)
    statement = Statement.objects.order_by("pk").first()
    signed = CoSignature.objects.filter(statement=statement, status="confirmed").select_related(
        "organisation"
    )
    assert signed.exists(), "the demo statement has co-signatures to print"
    return statement, [c.organisation for c in signed]


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.mark.parametrize("language", ["en", "uk"])
def test_a_statement_prints_its_signatories_without_the_menu(
    page, live_server, statement, language
):
    statement, organisations = statement
    with translation.override(language):
        path = public_paths()["statement"]
    page.goto(live_server.url + path)
    title = page.locator("h1").inner_text()
    expect(page.locator("nav#site-nav")).to_be_visible()

    page.emulate_media(media="print")
    expect(page.locator("nav#site-nav")).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(page.locator("#cosign")).to_be_hidden()  # the co-sign box and its buttons
    expect(page.locator("#signatories")).to_be_visible()
    expect(page.locator("#signatories .signatory-list li").first).to_be_visible()
    expect(page.locator("h1")).to_be_visible()

    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    assert " ".join(title.split()) in text
    names = [" ".join(public_name_in(org, language).split()) for org in organisations]
    assert any(name in text for name in names), (names, text[:2000])
    # Nothing of the site's chrome on paper.
    menu = page.locator("nav#site-nav a").first.text_content().strip()
    assert menu not in text.replace(title, "")


def test_an_aid_report_and_the_money_page_print_their_tables_whole(page, live_server, statement):
    with translation.override("en"):
        paths = public_paths()
    for name in ("money of an organisation", "aid report", "aid needs"):
        page.emulate_media(media="screen")
        page.set_viewport_size({"width": 360, "height": 740})
        page.goto(live_server.url + paths[name])
        page.emulate_media(media="print")
        expect(page.locator("nav#site-nav")).to_be_hidden()
        # On paper a table is a table again, not the phone's sideways-scrolling box.
        for table in page.locator("main table").all():
            assert table.evaluate("t => getComputedStyle(t).display") == "table", name
        assert page.pdf(format="A4").startswith(b"%PDF"), name
