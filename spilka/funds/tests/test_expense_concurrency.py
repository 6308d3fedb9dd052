"""Two treasurers press "Mark as paid" at once on PostgreSQL: the claim is paid once."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from spilka.funds.models import Expense, ExpenseStatus, Transaction

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
    barrier = threading.Barrier(THREADS)
    paid, refused, errors = [], [], []

    def payer(n):
        try:
            barrier.wait()
            try:
                expense_pay(
                    expense=Expense.objects.get(pk=expense.pk),
                    by=treasurer if n % 2 else treasurer2,
                )
                paid.append(n)
            except ValidationError:
                refused.append(n)
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=payer, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(paid) == 1 and len(refused) == THREADS - 1
    assert Expense.objects.get(pk=expense.pk).status == ExpenseStatus.PAID
    assert Transaction.objects.filter(expense=expense).count() == 1
