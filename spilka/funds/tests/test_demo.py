"""The demo money: union donations above £20,000, convoy costs linked, T-shirts, KVPU."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from spilka.funds.demo import load_funds_demo
from spilka.funds.models import Expense, Fund, MonthlySummary, Transaction
from spilka.funds.services.ledger import fund_balance

pytestmark = pytest.mark.django_db


def test_the_union_donations_of_2022_are_above_twenty_thousand_pounds_from_several_bodies(demo):
    fund = Fund.objects.get(
        organisation__slug="ukraine-solidarity-campaign", slug="solidarity-fund"
    )
    grants = Transaction.objects.filter(fund=fund, kind="grant", occurred_on__year=2022)
    assert grants.aggregate(t=Sum("reporting_amount"))["t"] > Decimal("20000")
    assert grants.values("counterparty").distinct().count() >= 5
    assert (
        Transaction.objects.filter(
            fund=fund, kind="transfer_out", counterparty__slug="kvpu"
        ).count()
        == 3
    )


def test_convoy_costs_are_paid_claims_linked_to_the_aid_convoys(demo):
    fund = Fund.objects.get(organisation__slug="num-durham", slug="convoy-fund")
    paid = Expense.objects.filter(fund=fund, status="paid")
    assert paid.count() >= 14
    assert set(paid.values_list("lines__category", flat=True)) == {"fuel", "ferry_tolls", "vehicle"}
    from spilka.aid.models import Convoy

    if Convoy.objects.filter(reference="NUM-2022-01").exists():
        assert paid.filter(convoy__reference="NUM-2022-01").count() == 3


def test_the_us_campaign_sold_t_shirts(demo):
    fund = Fund.objects.get(organisation__slug="ussc", slug="merchandise")
    assert Transaction.objects.filter(fund=fund, kind="merchandise").count() == 5
    assert fund.currency == "USD"


def test_loading_the_demo_twice_posts_nothing_twice(demo):
    before = Transaction.objects.count()
    assert load_funds_demo() == {"funds_entries": 0}
    assert Transaction.objects.count() == before


def test_the_demo_summary_equals_the_ledger(demo):
    for fund in Fund.objects.all():
        summed = MonthlySummary.objects.filter(fund=fund).aggregate(t=Sum("total"))["t"] or 0
        assert summed == fund_balance(fund)


def test_the_public_page_shows_the_demo_with_cost_per_delivery(anon, demo):
    page = anon.get("/en/money/org/ukraine-solidarity-campaign/").content.decode()
    assert "Confederation of Free Trade Unions of Ukraine" in page and "Sian Evans" in page
    page = anon.get("/en/money/org/num-durham/").content.decode()
    from spilka.aid.models import Convoy

    if Convoy.objects.filter(
        reference="NUM-2022-01", status__in=["arrived", "handed_over", "confirmed"]
    ).exists():
        assert "cost per delivery" in page and "NUM-2022-01" in page
