"""A fund's balance per currency comes from the monthly summary, in constant time, and
always equals the ledger's own sum: after donations, reversals, transfers and exchanges."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from spilka.funds.models import MonthlySummary, Transaction
from spilka.funds.services.donations import donation_record
from spilka.funds.services.ledger import (
    currency_exchange_record,
    fund_balances_by_currency,
    fund_summary_rebuild,
    transaction_post,
    transaction_reverse,
)
from spilka.lib.money import money_sum

from .conftest import DAY

pytestmark = pytest.mark.django_db


def _ledger_sum(fund) -> dict[str, Decimal]:
    rows = (
        Transaction.objects.filter(fund=fund)
        .values("currency")
        .annotate(total=money_sum("amount"))
        .order_by("currency")
    )
    return {row["currency"]: row["total"] for row in rows}


def test_the_balance_per_currency_equals_the_ledger_after_every_kind_of_entry(
    fund, treasurer, demo, django_assert_num_queries
):
    later = DAY + datetime.timedelta(days=40)
    donation_record(fund=fund, amount="100.10", currency="GBP", occurred_on=DAY, by=treasurer)
    pln = donation_record(fund=fund, amount="412.50", currency="PLN", occurred_on=DAY, by=treasurer)
    donation_record(
        fund=fund, amount="0.01", currency="EUR", occurred_on=later, by=treasurer, rate="0.85"
    )
    transaction_post(
        fund=fund,
        kind="transfer_out",
        amount="40.05",
        currency="GBP",
        occurred_on=DAY,
        by=treasurer,
        counterparty=demo["kvpu"],
    )
    transaction_reverse(entry=pln, by=treasurer, reason="Bounced")
    currency_exchange_record(
        fund=fund,
        occurred_on=DAY,
        sold_amount="50",
        sold_currency="GBP",
        bought_amount="2500",
        bought_currency="UAH",
        by=treasurer,
    )
    expected = _ledger_sum(fund)
    assert expected == {
        "EUR": Decimal("0.01"),
        "GBP": Decimal("10.05"),
        "PLN": Decimal("0.00"),
        "UAH": Decimal("2500.00"),
    }
    with django_assert_num_queries(1):
        assert fund_balances_by_currency(fund) == expected
    # The summary holds one line per currency: the same figures after a rebuild.
    lines = set(MonthlySummary.objects.filter(fund=fund).values_list("currency", "amount"))
    fund_summary_rebuild(fund)
    assert set(MonthlySummary.objects.filter(fund=fund).values_list("currency", "amount")) == lines
    assert fund_balances_by_currency(fund) == expected


def test_the_fund_page_shows_each_currency_from_the_summary(fund, treasurer, login):
    donation_record(fund=fund, amount="12.34", currency="PLN", occurred_on=DAY, by=treasurer)
    client = login(treasurer)
    url = f"/en/money/org/{fund.organisation.slug}/books/funds/{fund.slug}/"
    body = client.get(url).content.decode()
    assert "12.34" in body
