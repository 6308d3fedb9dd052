"""Downloads clicked as people click them (issues 15 and 16): an organiser takes the
supporter list as a workbook, a treasurer the fund's books as CSV and an organiser a
petition's signatures, from the pages' own export buttons, in each interface language.
The button starts a background export; its status page shows the progress until the file
is ready, then a download button; what the browser saves is read back with openpyxl and csv.

Buttons are found by their data-export hooks, never by English text.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from spilka.campaigns.models import Petition, SignatureStatus
from spilka.demo import load_all
from spilka.exports.models import ExportFile, ExportStatus
from spilka.exports.services import export_build
from spilka.funds.models import Fund, Transaction
from spilka.lib.models import AuditEntry
from spilka.network.demo import DEMO_PASSWORD
from spilka.outreach.models import Supporter
from tests.browser.sign_in import sign_in
from tests.demo_snapshot import load_demo_fresh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

USC = "ukraine-solidarity-campaign"


@pytest.fixture(autouse=True)
def _private_files(tmp_path):
    # Export files go to a private directory per test, never into the checkout's var/.
    from spilka.lib.storage import private_storage
    from spilka.lib.testing import storages_moved

    with storages_moved([(private_storage(), str(tmp_path / "private"))]):
        yield


def _save(page) -> bytes:
    """On an export's status page: wait for the download button, click it, read the file."""
    button = page.locator("[data-export-download]")
    button.wait_for(timeout=20_000)
    with page.expect_download() as info:
        button.click()
    return Path(info.value.path()).read_bytes()


def _download(page, hook: str) -> bytes:
    page.locator(f"[data-export] button[{hook}]").first.click()
    page.wait_for_url("**/exports/*/")
    return _save(page)


@pytest.mark.parametrize("language", ["en", "uk"])
def test_an_organiser_downloads_the_supporters_workbook_from_the_page(page, live_server, language):
    load_demo_fresh(load_all)
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
    load_demo_fresh(load_all)
    fund = Fund.objects.filter(organisation__slug="num-durham").order_by("pk").first()
    sign_in(page, live_server.url, "treasurer@num-durham.example", DEMO_PASSWORD, language="pl")
    with translation.override("pl"):
        page.goto(live_server.url + reverse("funds:fund", args=["num-durham", fund.slug]))
    body = _download(page, "data-export-csv")
    assert body.startswith("\ufeff".encode())  # the BOM spreadsheet programs look for
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) - 1 == Transaction.objects.filter(fund=fund).count() > 0
    assert AuditEntry.objects.filter(action="funds.books.exported").count() == 1


def test_an_organiser_exports_signatures_and_the_status_page_waits_for_the_file(
    page, live_server, settings
):
    load_demo_fresh(load_all)
    # No task runs on its own here: the page must wait, showing progress, for the worker.
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.dummy.DummyBackend",
            "QUEUES": ["default", "email"],
        }
    }
    petition = Petition.objects.get(slug="iaea-zaporizhzhia")
    sign_in(page, live_server.url, "organiser@usc.example", DEMO_PASSWORD, language="uk")
    with translation.override("uk"):
        page.goto(live_server.url + reverse("campaigns:petition", args=[petition.slug]))
    page.locator('[data-export="signatures"] button[data-export-csv]').click()
    page.wait_for_url("**/uk/exports/*/")
    waiting = page.locator('[data-export-status="pending"]')
    waiting.wait_for()
    assert waiting.locator("progress").count() == 1
    assert page.locator("[data-export-download]").count() == 0
    export = ExportFile.objects.get()
    # The worker writes the file; the page's poller notices and shows the download.
    assert export_build(export_id=export.pk).status == ExportStatus.READY
    body = _save(page)
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    confirmed = petition.signatures.filter(status=SignatureStatus.CONFIRMED)
    assert len(rows) - 1 == confirmed.count() > 0
    assert {row[1] for row in rows[1:]} == set(confirmed.values_list("email", flat=True))
    assert rows[0][1] != "Email"  # the header in the organiser's language (Ukrainian)
