"""A fund's full books as a spreadsheet: every ledger entry, as treasurers see them.

Unlike the public ledger CSV, donors are named (as the fund page names them to
treasurers), so each download is audited. One query per chunk of entries (and one when a
chunk names partner organisations not named before).
"""

from __future__ import annotations

from collections.abc import Iterator
from operator import itemgetter
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from spilka.exports.registry import ExportKind, Params, export_kind_register
from spilka.funds import access
from spilka.funds.models import ExpenseCategory, Fund, Receipt, Transaction, TransactionKind
from spilka.lib.exports import export_filename
from spilka.lib.paging import keyset_chunks
from spilka.network.models import Organisation


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


# Read as plain tuples, not model instances: building three models an entry cost more
# than writing it out.
COLUMNS = (
    "occurred_on",
    "kind",
    "amount",
    "currency",
    "reporting_amount",
    "reporting_currency",
    "rate",
    "counterparty_id",
    "donor_id",
    "donor__name",
    "category",
    "description",
    "reference",
    "has_receipt",
    "pk",
    "reverses_id",
)
CHUNK = 2000
DATE, PK, COUNTERPARTY = (COLUMNS.index(name) for name in ("occurred_on", "pk", "counterparty_id"))


def books_export_entries(fund: Fund) -> QuerySet[Any]:
    """The fund's entries as :data:`COLUMNS` tuples, oldest first."""
    return (
        Transaction.objects.filter(fund=fund)
        .annotate(has_receipt=Exists(Receipt.objects.filter(expense_id=OuterRef("expense_id"))))
        .values_list(*COLUMNS)
        .order_by("occurred_on", "pk")
    )


def _counterparty(entry: Transaction) -> str:
    """Who an entry came from or went to, as the books name them (also in the API);
    :func:`books_export_rows` names them the same way from plain rows."""
    if entry.counterparty is not None:
        return entry.counterparty.display_name
    if entry.donor_id:
        return str(entry.donor)
    return ""


def books_export_rows(entries: QuerySet[Any]) -> Iterator[list[Any]]:
    """The header, then one row per ledger entry, oldest first.

    Read a chunk at a time along the index ``(fund, date, entry)``; the labels are looked
    up once (``get_kind_display`` rebuilt its table of translated choices for every row),
    and each partner organisation is named once, in one query per chunk that meets new ones.
    """
    yield books_export_header()
    kinds = {value: str(label) for value, label in TransactionKind.choices}
    categories = {value: str(label) for value, label in ExpenseCategory.choices}
    anonymous = str(_("Anonymous donor"))
    partners: dict[int, str] = {}
    chunks = keyset_chunks(entries, field="occurred_on", size=CHUNK, position=itemgetter(DATE, PK))
    for chunk in chunks:
        unnamed = {row[COUNTERPARTY] for row in chunk} - partners.keys() - {None}
        if unnamed:
            organisations = Organisation.objects.filter(pk__in=unnamed)
            partners.update(
                (organisation.pk, organisation.display_name)
                for organisation in organisations.only("slug", "name", "original_language")
            )
        for (
            occurred_on,
            kind,
            amount,
            currency,
            reporting_amount,
            reporting_currency,
            rate,
            counterparty_id,
            donor_id,
            donor_name,
            category,
            description,
            reference,
            has_receipt,
            pk,
            reverses_id,
        ) in chunk:
            if counterparty_id is not None:
                from_or_to = partners[counterparty_id]
            elif donor_id is not None:
                from_or_to = donor_name or anonymous  # str(donor)
            else:
                from_or_to = ""
            yield [
                occurred_on,
                kinds.get(kind, kind),
                amount,
                currency,
                reporting_amount,
                reporting_currency,
                rate,
                from_or_to,
                categories.get(category, category) if category else "",
                description,
                reference,
                has_receipt,
                pk,
                reverses_id,
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
