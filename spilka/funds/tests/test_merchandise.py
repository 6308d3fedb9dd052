"""Merchandise: a sale is income; stock never goes below nought."""

import pytest
from django.core.exceptions import ValidationError

from spilka.funds.models import ProductVariant, Transaction
from spilka.funds.services.merchandise import product_create, sale_record, stock_add

from .conftest import DAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def tshirt(fund, treasurer):
    return product_create(
        by=treasurer,
        fund=fund,
        slug="tshirt",
        name={"en": "Solidarity T-shirt"},
        price="15.00",
        currency="USD",
        variants={"S": 2, "M": 5},
    )


def test_a_sale_takes_stock_and_records_income(tshirt, treasurer):
    small = tshirt.variants.get(label="S")
    sale = sale_record(by=treasurer, variant=small, quantity=2, occurred_on=DAY)
    small.refresh_from_db()
    assert small.stock == 0
    assert sale.transaction.kind == "merchandise" and str(sale.transaction.amount) == "30.00"


def test_selling_more_than_is_in_stock_is_refused_and_records_nothing(tshirt, treasurer):
    small = tshirt.variants.get(label="S")
    with pytest.raises(ValidationError, match="Only 2 left"):
        sale_record(by=treasurer, variant=small, quantity=3, occurred_on=DAY)
    assert ProductVariant.objects.get(pk=small.pk).stock == 2
    assert not Transaction.objects.filter(kind="merchandise", fund=tshirt.fund).exists()


def test_restocking_adds_and_zero_is_refused(tshirt, treasurer):
    small = tshirt.variants.get(label="S")
    assert stock_add(by=treasurer, variant=small, quantity=10).stock == 12
    with pytest.raises(ValidationError):
        stock_add(by=treasurer, variant=small, quantity=0)
