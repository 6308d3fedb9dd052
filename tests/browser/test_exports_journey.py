"""Downloads clicked as people click them (issue 16): an organiser takes the supporter list
as a workbook and a treasurer the fund's books as CSV, from the pages' own links, in each
interface language; what the browser saves is read back with openpyxl and csv.

Links are found by their data-export hooks, never by English text.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from spilka.demo import load_all
from spilka.funds.models import Fund, Transaction
from spilka.lib.models import AuditEntry
from spilka.network.demo import DEMO_PASSWORD
from spilka.outreach.models import Supporter
from tests.browser.sign_in import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

USC = "ukraine-solidarity-campaign"


def _download(page, hook: str) -> bytes:
    with page.expect_download() as info:
        page.locator(f"[data-export] a[{hook}]").first.click()
    return Path(info.value.path()).read_bytes()


@pytest.mark.parametrize("language", ["en", "uk"])
def test_an_organiser_downloads_the_supporters_workbook_from_the_page(page, live_server, language):
    load_all()
    sign_in(page, live_server.url, "organiser@usc.example", DEMO_PASSWORD, language=language)
    with translation.override(language):
        page.goto(live_server.url + reverse("outreach:organisation", args=[USC]))
    workbook = load_workbook(io.BytesIO(_download(page, "data-export-xlsx")), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert len(rows) - 1 == Supporter.objects.filter(organisation__slug=USC).count() > 0
    emails = {value for row in rows[1:] for value in row if isinstance(value, str) and "@" in value}
    assert emails and emails <= set(
        Supporter.objects.filter(organisation__slug=USC).values_list("email", flat=True)
    )
    assert AuditEntry.objects.filter(action="outreach.supporters.exported").count() == 1


def test_a_treasurer_downloads_the_books_as_csv_from_the_fund_page(page, live_server):
    load_all()
    fund = Fund.objects.filter(organisation__slug="num-durham").order_by("pk").first()
    sign_in(page, live_server.url, "treasurer@num-durham.example", DEMO_PASSWORD, language="pl")
    with translation.override("pl"):
        page.goto(live_server.url + reverse("funds:fund", args=["num-durham", fund.slug]))
    body = _download(page, "data-export-csv")
    assert body.startswith("\ufeff".encode())  # the BOM spreadsheet programs look for
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) - 1 == Transaction.objects.filter(fund=fund).count() > 0
    assert AuditEntry.objects.filter(action="funds.books.exported").count() == 1
