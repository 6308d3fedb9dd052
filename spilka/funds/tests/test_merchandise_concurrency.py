"""Many sellers at once on PostgreSQL: the stock is never oversold, income equals sales."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum

from spilka.funds.models import ProductVariant, Sale, Transaction
from spilka.lib.testing import run_in_threads

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row-level concurrency needs PostgreSQL (CI runs it)",
    ),
]

THREADS = 8


def test_eight_sellers_never_oversell_the_last_shirts(demo):
    from spilka.funds.services.funds import fund_create
    from spilka.funds.services.merchandise import product_create, sale_record

    fund = fund_create(
        by="test", organisation=demo["ussc"], slug="merch-race", name={"en": "Race"}, currency="USD"
    )
    product = product_create(
        by="test",
        fund=fund,
        slug="race-shirt",
        name={"en": "Shirt"},
        price="20.00",
        currency="USD",
        variants={"M": 10},
    )
    variant = product.variants.get()

    def seller(n):
        results = []
        for _ in range(3):
            try:
                sale_record(
                    by="test",
                    variant=variant,
                    quantity=1,
                    occurred_on=__import__("datetime").date(2022, 5, 2),
                )
                results.append("sold")
            except ValidationError:
                results.append("refused")
        return results

    outcomes = run_in_threads(seller, THREADS)
    assert [o for o in outcomes if isinstance(o, Exception)] == []
    results = [r for thread in outcomes for r in thread]
    assert results.count("sold") == 10 and results.count("refused") == THREADS * 3 - 10
    assert ProductVariant.objects.get(pk=variant.pk).stock == 0
    assert Sale.objects.filter(variant=variant).count() == 10
    income = Transaction.objects.filter(fund=fund, kind="merchandise").aggregate(t=Sum("amount"))[
        "t"
    ]
    assert income == Decimal("200.00")
