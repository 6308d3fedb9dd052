"""A fund's full books as CSV and XLSX: treasurers of the organisation only, every
entry with its conversion, counterparty and receipt, written in the background, audited,
formula-safe, and no more queries for more entries."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from spilka.exports.models import ExportFile
from spilka.exports.testing import export_through_pages
from spilka.funds import exports
from spilka.funds.exports import _counterparty
from spilka.funds.models import Fund, Receipt, Transaction
from spilka.funds.services.donations import donation_record
from spilka.funds.services.expenses import expense_approve, expense_pay
from spilka.funds.services.ledger import transaction_reverse
from spilka.funds.tests.conftest import DAY
from spilka.lib.models import AuditEntry
from spilka.lib.testing import user_with_roles
from tests.strict_formats import csv_problems, csv_rows, xlsx_problems, xlsx_rows

pytestmark = pytest.mark.django_db


def _url(fund, fmt):
    return reverse(
        "funds:books_export",
        kwargs={"org": fund.organisation.slug, "fund": fund.slug, "fmt": fmt},
    )


def _rows(response, fmt):
    body = b"".join(response.streaming_content)
    if fmt == "csv":
        assert csv_problems(body) == []
        return csv_rows(body)
    assert xlsx_problems(body) == []
    return xlsx_rows(body)


@pytest.fixture
def exported(django_capture_on_commit_callbacks):
    def run(client, url):
        return export_through_pages(client, url, capture=django_capture_on_commit_callbacks)

    return run


@pytest.fixture
def books(fund, treasurer, submitted_claim):
    donation_record(
        fund=fund,
        amount="412.50",
        currency="PLN",
        occurred_on=DAY,
        by=treasurer,
        donor_name="Olha Example",
        description="Convoy appeal",
    )
    expense_pay(expense=expense_approve(expense=submitted_claim, by=treasurer), by=treasurer)
    return fund


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_treasurer_downloads_every_entry_converted_with_donor_and_receipt(
    login, treasurer, books, fmt, exported
):
    export, response = exported(login(treasurer), _url(books, fmt))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert "ukraine-solidarity-campaign-books-test-convoys-" in disposition
    assert disposition.endswith(f'.{fmt}"')
    rows = _rows(response, fmt)
    header = rows[0]
    assert len(rows) == 3
    column = {name: header.index(name) for name in header}
    donation, expense = rows[1], rows[2]
    assert donation[column["From or to"]] == "Olha Example"
    assert donation[column["Currency"]] == "PLN"
    assert donation[column["Receipt"]] == "no"
    assert expense[column["Receipt"]] == "yes"
    assert expense[column["Category"]] == "Fuel"
    assert expense[column["Reporting currency"]] == "GBP"
    amount, converted = expense[column["Amount"]], expense[column["Converted amount"]]
    assert Decimal(str(amount)) == Decimal("-412.50")
    assert Decimal(str(converted)) < 0 and Decimal(str(converted)) != Decimal(str(amount))
    date = donation[column["Date"]]
    assert date in (DAY.isoformat(), datetime.datetime.combine(DAY, datetime.time()))
    entry = AuditEntry.objects.filter(action="funds.books.exported").latest("pk")
    assert entry.actor == treasurer and entry.object_id == str(books.pk)
    assert entry.after == {
        "format": fmt,
        "export": export.pk,
        "org": books.organisation.slug,
        "fund": books.slug,
    }
    assert export.row_count == 2


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_donor_named_like_a_formula_is_escaped(login, treasurer, fund, fmt, exported):
    donation_record(
        fund=fund,
        amount="10",
        currency="GBP",
        occurred_on=DAY,
        by=treasurer,
        donor_name="@SUM(1+1)*cmd|' /C calc'!A0",
    )
    rows = _rows(exported(login(treasurer), _url(fund, fmt))[1], fmt)
    assert rows[1][rows[0].index("From or to")] == "'@SUM(1+1)*cmd|' /C calc'!A0"


def test_the_fund_page_links_to_both_formats(login, treasurer, fund):
    page = login(treasurer).get(
        reverse("funds:fund", kwargs={"org": fund.organisation.slug, "fund": fund.slug})
    )
    assert _url(fund, "csv") in page.content.decode()
    assert _url(fund, "xlsx") in page.content.decode()


def test_volunteers_and_other_treasurers_get_nothing(
    login, books, volunteer, outsider_treasurer, usc_org, anon
):
    viewer = user_with_roles("viewer@usc.test", [(usc_org, "viewer")])
    for user in (volunteer, outsider_treasurer, viewer):
        for fmt in ("csv", "xlsx"):
            for response in (login(user).get(_url(books, fmt)), login(user).post(_url(books, fmt))):
                assert response.status_code in (403, 404)
                assert b"Olha" not in response.content
    assert anon.get(_url(books, "csv")).status_code == 302
    assert anon.post(_url(books, "csv")).status_code == 302
    assert not AuditEntry.objects.filter(action="funds.books.exported").exists()
    assert not ExportFile.objects.exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_query_count_does_not_grow_with_the_books(
    login, treasurer, fund, django_assert_max_num_queries, fmt, exported
):
    client = login(treasurer)

    def donate(count):
        for number in range(count):
            donation_record(
                fund=fund,
                amount="5",
                currency="GBP",
                occurred_on=DAY,
                by=treasurer,
                donor_name=f"Donor {number}",
                reference=f"ref-{number}-{fmt}",
            )

    def export():
        # The request, the task that writes the file, its mail, the status page, the file.
        return len(_rows(exported(client, _url(fund, fmt))[1], fmt))

    donate(1)
    with django_assert_max_num_queries(60) as few:
        small = export()
    donate(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        large = export()
    assert large == small + 20


def _as_the_entry_reads(entry):
    """An entry's row built from the model instance with its own display methods, as the
    export wrote it before it read plain rows in chunks."""
    receipts = Receipt.objects.filter(expense_id=entry.expense_id)
    return [
        entry.occurred_on,
        entry.get_kind_display(),
        entry.amount,
        entry.currency,
        entry.reporting_amount,
        entry.reporting_currency,
        entry.rate,
        _counterparty(entry),
        entry.get_category_display() if entry.category else "",
        entry.description,
        entry.reference,
        entry.expense_id is not None and receipts.exists(),
        entry.pk,
        entry.reverses_id,
    ]


@pytest.mark.parametrize("language", ["en", "uk"])
def test_the_books_of_every_demo_fund_hold_each_entry_as_the_ledger_reads_it(
    demo, treasurer, monkeypatch, language
):
    usc = Fund.objects.get(organisation=demo["ukraine-solidarity-campaign"], slug="solidarity-fund")
    first = Transaction.objects.filter(fund=usc).order_by("occurred_on", "pk").first()
    transaction_reverse(entry=first, by=treasurer, reason="bounced")
    for number in range(3):  # the same day as the first entry, for ties across chunks
        donation_record(
            fund=usc,
            amount="7.00",
            currency="GBP",
            occurred_on=first.occurred_on,
            by=treasurer,
            donor_email=f"quiet{number}@example.org",  # no name: an anonymous donor
            reference=f"quiet-{number}",
        )
    # Chunks of three: every fund's books cross several chunk ends, some within one day.
    monkeypatch.setattr(exports, "CHUNK", 3)
    funds = list(Fund.objects.order_by("pk"))
    assert len(funds) >= 3
    with translation.override(language):
        for fund in funds:
            entries = Transaction.objects.filter(fund=fund).select_related("counterparty", "donor")
            expected = [_as_the_entry_reads(e) for e in entries.order_by("occurred_on", "pk")]
            written = list(exports.books_export_rows(exports.books_export_entries(fund)))
            assert written == [exports.books_export_header(), *expected]
        usc_rows = list(exports.books_export_rows(exports.books_export_entries(usc)))[1:]
        kvpu = demo["kvpu"].display_name
    # What the demo holds is all there: named partners, anonymous donors, receipts, a
    # reversal, categories, each label in the export's language.
    anonymous = {"en": "Anonymous donor", "uk": "Анонімний донор"}[language]
    assert sum(row[7] == anonymous for row in usc_rows) == 3
    assert sum(row[7] == kvpu for row in usc_rows) == 3
    assert [row[13] for row in usc_rows if row[13]] == [first.pk]
    assert {"en": "Donation", "uk": "Пожертва"}[language] in {row[1] for row in usc_rows}
    num = next(f for f in funds if f.slug == "convoy-fund")
    num_rows = list(exports.books_export_rows(exports.books_export_entries(num)))[1:]
    assert any(row[11] is True for row in num_rows) and any(row[8] for row in num_rows)
