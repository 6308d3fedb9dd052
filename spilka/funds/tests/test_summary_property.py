"""The monthly summary always equals the ledger's own aggregation, whatever is posted."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import Coalesce, TruncMonth
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spilka.funds.models import MonthlySummary, Transaction
from spilka.funds.services.ledger import fund_balance, transaction_post, transaction_reverse
from spilka.lib.money import money_sum

pytestmark = pytest.mark.django_db

KINDS = ["donation", "grant", "merchandise", "transfer_out", "expense", "refund"]
post = st.fixed_dictionaries(
    {
        "op": st.just("post"),
        "kind": st.sampled_from(KINDS),
        "currency": st.sampled_from(["GBP", "PLN", "UAH", "USD"]),
        "amount": st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999"), places=2),
        "rate": st.decimals(min_value=Decimal("0.01"), max_value=Decimal("50"), places=6),
        "month": st.integers(min_value=1, max_value=4),
        "category": st.sampled_from(["fuel", "printing", ""]),
    }
)
reverse = st.fixed_dictionaries({"op": st.just("reverse"), "index": st.integers(0, 30)})


def _ledger_lines(fund):
    rows = (
        Transaction.objects.filter(fund=fund)
        .annotate(m=TruncMonth("occurred_on"), k=Coalesce("reverses__kind", "kind"))
        .values("m", "k", "category", "counterparty_id", "currency")
        .annotate(t=money_sum("reporting_amount"), a=money_sum("amount"), n=Count("id"))
        .order_by()
    )
    return {
        (r["m"], r["k"], r["category"], r["counterparty_id"] or 0, r["currency"]): (
            r["t"],
            r["a"],
            r["n"],
        )
        for r in rows
    }


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(st.one_of(post, post, reverse), min_size=1, max_size=15))
def test_random_postings_and_reversals_keep_the_summary_equal_to_the_ledger(
    ops, fund, treasurer, demo
):
    with transaction.atomic():
        posted = []
        for op in ops:
            if op["op"] == "reverse":
                if not posted:
                    continue
                entry = posted[op["index"] % len(posted)]
                if entry.kind == "reversal" or Transaction.objects.filter(reverses=entry).exists():
                    continue
                posted.append(transaction_reverse(entry=entry, by=treasurer, reason="mistake"))
                continue
            kind = op["kind"]
            posted.append(
                transaction_post(
                    fund=fund,
                    kind=kind,
                    amount=op["amount"],
                    currency=op["currency"],
                    occurred_on=datetime.date(2022, op["month"], 10),
                    by=treasurer,
                    rate=op["rate"],
                    rate_confirmed=True,  # any rate: this is about sums, not plausibility
                    category=(op["category"] or "fuel") if kind == "expense" else op["category"],
                    counterparty=demo["kvpu"] if kind == "transfer_out" else None,
                    audit=False,
                )
            )
        summary = {
            (s.month, s.kind, s.category, s.counterparty_key, s.currency): (
                s.total,
                s.amount,
                s.entries,
            )
            for s in MonthlySummary.objects.filter(fund=fund)
        }
        assert summary == _ledger_lines(fund)
        total = MonthlySummary.objects.filter(fund=fund).aggregate(t=money_sum("total"))["t"]
        assert (total or Decimal("0")) == fund_balance(fund)
        # Reversing everything that can be reversed brings the balance back to nought exactly.
        for entry in posted:
            if entry.kind != "reversal" and not Transaction.objects.filter(reverses=entry).exists():
                transaction_reverse(entry=entry, by=treasurer, reason="undo")
        assert fund_balance(fund) == Decimal("0")
        transaction.set_rollback(True)
