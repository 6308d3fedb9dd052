"""The ledger: append-only, balances by aggregation, corrections by reversal only."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Sum

from spilka.funds.models import ImmutableEntryError, MonthlySummary, Transaction
from spilka.funds.services.donations import donation_record
from spilka.funds.services.ledger import (
    currency_exchange_record,
    fund_balance,
    fund_balances_by_currency,
    fund_summary_rebuild,
    transaction_post,
    transaction_reverse,
)
from spilka.funds.services.rates import NoRateError
from spilka.lib.models import AuditEntry

from .conftest import DAY

pytestmark = pytest.mark.django_db


def _donate(fund, by, amount="100.00", currency="GBP", **kw):
    return donation_record(
        fund=fund, amount=amount, currency=currency, occurred_on=DAY, by=by, **kw
    )


def test_a_donation_in_another_currency_keeps_its_amount_rate_and_source(fund, treasurer):
    entry = _donate(fund, treasurer, "412.50", "PLN")
    assert entry.amount == Decimal("412.50") and entry.currency == "PLN"
    assert entry.reporting_currency == "GBP" and entry.rate_source == "ecb"
    assert entry.reporting_amount == (Decimal("412.50") * entry.rate).quantize(Decimal("0.01"))
    assert AuditEntry.objects.filter(
        action="funds.transaction.donation", object_id=str(entry.pk)
    ).exists()


def test_money_out_is_negative_and_the_balance_is_summed_by_the_database(fund, treasurer, demo):
    _donate(fund, treasurer, "1000.00")
    transaction_post(
        fund=fund,
        kind="transfer_out",
        amount="250.00",
        currency="GBP",
        occurred_on=DAY,
        by=treasurer,
        counterparty=demo["kvpu"],
    )
    assert fund_balance(fund) == Decimal("750.00")
    assert fund_balances_by_currency(fund) == {"GBP": Decimal("750.00")}


def test_reversing_an_entry_restores_the_balance(fund, treasurer):
    _donate(fund, treasurer, "50.00")
    mistake = _donate(fund, treasurer, "500.00", "PLN")
    before = fund_balance(fund)
    reversal = transaction_reverse(entry=mistake, by=treasurer, reason="Typed twice")
    assert reversal.reverses == mistake and reversal.amount == -mistake.amount
    assert fund_balance(fund) == before - mistake.reporting_amount == Decimal("50.00")
    assert fund_balances_by_currency(fund)["PLN"] == 0


def test_an_entry_is_reversed_once_and_a_reversal_never(fund, treasurer):
    entry = _donate(fund, treasurer)
    reversal = transaction_reverse(entry=entry, by=treasurer, reason="wrong fund")
    with pytest.raises(ValidationError, match="already been reversed"):
        transaction_reverse(entry=entry, by=treasurer, reason="again")
    with pytest.raises(ValidationError, match="cannot itself be reversed"):
        transaction_reverse(entry=reversal, by=treasurer, reason="undo")


def test_a_posted_entry_cannot_be_saved_again(fund, treasurer):
    entry = _donate(fund, treasurer)
    entry.amount = Decimal("1000000.00")
    with pytest.raises(ImmutableEntryError):
        entry.save()
    with pytest.raises(ImmutableEntryError):
        entry.delete()


def test_a_queryset_cannot_update_or_delete_entries(fund, treasurer):
    _donate(fund, treasurer)
    with pytest.raises(ImmutableEntryError):
        Transaction.objects.filter(fund=fund).update(amount=1)
    with pytest.raises(ImmutableEntryError):
        Transaction.objects.filter(fund=fund).delete()
    with pytest.raises(ImmutableEntryError):
        Transaction._base_manager.filter(fund=fund).delete()
    with pytest.raises(ImmutableEntryError):
        Transaction._base_manager.filter(fund=fund).update(amount=1)
    entry = Transaction.objects.filter(fund=fund).first()
    entry.amount = Decimal("2")
    with pytest.raises(ImmutableEntryError), transaction.atomic():
        Transaction.objects.bulk_update([entry], ["amount"])
    assert Transaction.objects.filter(fund=fund).count() == 1


def test_postgresql_itself_refuses_to_delete_an_entry(fund, treasurer):
    if connection.vendor != "postgresql":
        pytest.skip("the delete trigger is PostgreSQL's (SQLite test flushes use DELETE)")
    entry = _donate(fund, treasurer)
    with (
        pytest.raises((DatabaseError, IntegrityError)),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM funds_transaction WHERE id = %s", [entry.pk])
    assert Transaction.objects.filter(pk=entry.pk).exists()


def test_the_database_itself_refuses_to_update_an_entry(fund, treasurer):
    entry = _donate(fund, treasurer)
    with (
        pytest.raises((DatabaseError, IntegrityError)),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE funds_transaction SET amount = 1 WHERE id = %s", [entry.pk])
    assert Transaction.objects.get(pk=entry.pk).amount == Decimal("100.00")


@pytest.mark.parametrize(
    ("amount", "currency", "message"),
    [
        ("10.001", "GBP", "at most 2 decimal places"),
        ("10", "XYZ", "not a currency"),
        ("0", "GBP", "cannot be nought"),
        ("-5", "GBP", "positive"),
        ("ten", "GBP", "not an amount"),
    ],
)
def test_bad_amounts_and_currencies_are_refused_and_nothing_is_posted(
    fund, treasurer, amount, currency, message
):
    with pytest.raises(ValidationError, match=message):
        _donate(fund, treasurer, amount, currency)
    assert not Transaction.objects.filter(fund=fund).exists()


def test_a_date_without_a_rate_asks_for_a_manual_rate_and_accepts_one(fund, treasurer):
    sunday = datetime.date(2022, 3, 20)
    with pytest.raises(NoRateError, match="manual rate"):
        donation_record(fund=fund, amount="100", currency="USD", occurred_on=sunday, by=treasurer)
    entry = donation_record(
        fund=fund, amount="100", currency="USD", occurred_on=sunday, by=treasurer, rate="0.7612"
    )
    assert entry.rate_source == "manual" and entry.reporting_amount == Decimal("76.12")


def test_a_transfer_needs_a_partner_and_an_expense_a_category(fund, treasurer):
    with pytest.raises(ValidationError):
        transaction_post(
            fund=fund,
            kind="transfer_out",
            amount="5",
            currency="GBP",
            occurred_on=DAY,
            by=treasurer,
        )
    with pytest.raises(ValidationError):
        transaction_post(
            fund=fund, kind="expense", amount="5", currency="GBP", occurred_on=DAY, by=treasurer
        )


def test_a_currency_exchange_posts_two_legs(fund, treasurer):
    _donate(fund, treasurer, "1000.00")
    out, incoming = currency_exchange_record(
        fund=fund,
        occurred_on=DAY,
        sold_amount="500",
        sold_currency="GBP",
        bought_amount="18500",
        bought_currency="UAH",
        by=treasurer,
    )
    assert out.amount == Decimal("-500") and incoming.amount == Decimal("18500")
    assert fund_balances_by_currency(fund) == {"GBP": Decimal("500.00"), "UAH": Decimal("18500.00")}


def test_the_monthly_summary_always_equals_the_ledger(fund, treasurer, demo):
    _donate(fund, treasurer, "10.00")
    _donate(fund, treasurer, "20.00", "PLN")
    entry = _donate(fund, treasurer, "30.00", "UAH")
    transaction_reverse(entry=entry, by=treasurer, reason="bounced")
    transaction_post(
        fund=fund,
        kind="transfer_out",
        amount="5",
        currency="GBP",
        occurred_on=DAY,
        by=treasurer,
        counterparty=demo["kvpu"],
    )
    summed = MonthlySummary.objects.filter(fund=fund).aggregate(t=Sum("total"))["t"]
    assert summed == fund_balance(fund)
    lines = set(
        MonthlySummary.objects.filter(fund=fund).values_list("month", "kind", "total", "entries")
    )
    fund_summary_rebuild(fund)
    assert (
        set(
            MonthlySummary.objects.filter(fund=fund).values_list(
                "month", "kind", "total", "entries"
            )
        )
        == lines
    )


def test_a_fully_reversed_ledger_balances_to_exactly_nought(fund, treasurer):
    # SQLite sums in floating point: without rounding the sum this read -3.47E-18.
    entries = [_donate(fund, treasurer, amount) for amount in ("0.10", "0.20", "0.07")]
    for entry in entries:
        transaction_reverse(entry=entry, by=treasurer, reason="bounced")
    assert fund_balance(fund) == Decimal("0.00")
    assert str(fund_balance(fund)) == "0.00"
