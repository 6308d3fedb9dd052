"""A fund's full books as a spreadsheet: every ledger entry, as treasurers see them.

Unlike the public ledger CSV, donors are named (as the fund page names them to
treasurers), so each download is audited. One query per chunk of entries.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from spilka.exports.registry import ExportKind, Params, export_kind_register
from spilka.funds import access
from spilka.funds.models import Fund, Receipt, Transaction
from spilka.lib.exports import export_filename

CHUNK = 2000


def books_export_header() -> list[str]:
    return [
        _("Date"),
        _("Kind"),
        _("Amount"),
        _("Currency"),
        _("Converted amount"),
        _("Reporting currency"),
        _("Rate"),
        _("From or to"),
        _("Category"),
        _("Description"),
        _("Bank reference"),
        _("Receipt"),
        _("Entry"),
        _("Reverses entry"),
    ]


def books_export_entries(fund: Fund) -> QuerySet[Transaction]:
    return (
        Transaction.objects.filter(fund=fund)
        .select_related("counterparty", "donor")
        .annotate(has_receipt=Exists(Receipt.objects.filter(expense_id=OuterRef("expense_id"))))
        .order_by("occurred_on", "pk")
    )


def _counterparty(entry: Transaction) -> str:
    if entry.counterparty is not None:
        return entry.counterparty.display_name
    if entry.donor_id:
        return str(entry.donor)
    return ""


def books_export_rows(entries: QuerySet[Transaction]) -> Iterator[list[Any]]:
    """The header, then one row per ledger entry, oldest first."""
    yield books_export_header()
    for entry in entries.iterator(chunk_size=CHUNK):
        yield [
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
            entry.has_receipt,  # type: ignore[attr-defined]  # annotated by the row query
            entry.pk,
            entry.reverses_id,
        ]


# --- Written in the background (spilka/exports) -----------------------------------------


def _fund(user: Any, params: Params) -> Fund:
    """The fund, for its organisation's treasurers only."""
    return access.fund_get_for_user(
        user=user, org_slug=str(params.get("org", "")), fund_slug=str(params.get("fund", ""))
    )


BOOKS = export_kind_register(
    ExportKind(
        name="funds.books",
        label=gettext_lazy("Books"),
        audit_action="funds.books.exported",
        subject=_fund,
        organisation=lambda fund: fund.organisation,
        count=lambda fund, params: Transaction.objects.filter(fund=fund).count(),
        rows=lambda fund, params: books_export_rows(books_export_entries(fund)),
        filename=lambda fund, params, fmt: export_filename(
            slug=fund.organisation.slug, what=f"books-{fund.slug}", fmt=fmt
        ),
        sheet_title=gettext_lazy("Books"),
    )
)
