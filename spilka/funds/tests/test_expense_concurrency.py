"""Two treasurers press "Mark as paid" at once on PostgreSQL: the claim is paid once."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from spilka.funds.models import Expense, ExpenseStatus, Transaction
from spilka.lib.testing import run_in_threads

from .conftest import DAY, pdf_upload

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row-level concurrency needs PostgreSQL (CI runs it)",
    ),
]

THREADS = 6


def test_concurrent_payments_of_one_claim_post_one_ledger_entry(
    fund, volunteer, treasurer, treasurer2
):
    from spilka.funds.services.expenses import (
        expense_approve,
        expense_create,
        expense_pay,
        expense_submit,
        receipt_attach,
    )

    expense = expense_create(
        fund=fund,
        claimant=volunteer,
        title="Ferry",
        incurred_on=DAY,
        currency="GBP",
        lines=[{"category": "ferry_tolls", "description": "Dover", "amount": "120.00"}],
    )
    receipt_attach(expense=expense, upload=pdf_upload(), by=volunteer)
    expense_submit(expense=expense, by=volunteer)
    expense_approve(expense=expense, by=treasurer)

    def payer(n):
        try:
            expense_pay(
                expense=Expense.objects.get(pk=expense.pk),
                by=treasurer if n % 2 else treasurer2,
            )
        except ValidationError:
            return "refused"
        return "paid"

    outcomes = run_in_threads(payer, THREADS)
    assert [o for o in outcomes if isinstance(o, Exception)] == []
    assert outcomes.count("paid") == 1 and outcomes.count("refused") == THREADS - 1
    assert Expense.objects.get(pk=expense.pk).status == ExpenseStatus.PAID
    assert Transaction.objects.filter(expense=expense).count() == 1
