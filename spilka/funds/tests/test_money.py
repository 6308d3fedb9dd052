"""Money arithmetic: half-even rounding to the minor unit, stated and proved by properties."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from spilka.lib.money import (
    convert,
    convert_back,
    format_money,
    quantise,
    to_decimal,
    validate_amount,
    validate_currency,
)

HALF_CENT = Decimal("0.005")
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("10000000"), places=2)
rates = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("1000"), places=10).filter(
    lambda r: r > 0
)


@given(amount=amounts, rate=rates)
def test_a_conversion_is_within_half_a_minor_unit_of_the_exact_product(amount, rate):
    assert abs(convert(amount, rate, "UAH") - amount * rate) <= HALF_CENT


@given(amount=amounts, rate=rates)
def test_a_round_trip_loses_or_creates_no_more_than_the_stated_rounding(amount, rate):
    there = convert(amount, rate, "GBP")
    back = convert_back(there, rate, "PLN")
    # Half a minor unit on the way back, plus the way out's half unit seen through the rate,
    # itself rounded to a minor unit (so at most one more).
    bound = HALF_CENT + quantise(HALF_CENT / rate, "PLN") + Decimal("0.01")
    assert abs(back - amount) <= bound


@given(amount=amounts, rate=rates)
def test_converting_a_negative_amount_mirrors_the_positive_one(amount, rate):
    assert convert(-amount, rate, "EUR") == -convert(amount, rate, "EUR")


@given(a=amounts, b=amounts)
def test_converting_with_rate_one_keeps_sums_exact(a, b):
    assert convert(a, Decimal(1), "GBP") + convert(b, Decimal(1), "GBP") == a + b


def test_rounding_is_half_to_even():
    assert quantise(Decimal("0.125"), "GBP") == Decimal("0.12")
    assert quantise(Decimal("0.135"), "GBP") == Decimal("0.14")


def test_amounts_with_too_many_decimals_are_refused():
    with pytest.raises(ValidationError, match="at most 2 decimal places"):
        validate_amount(Decimal("10.005"), "GBP")
    validate_amount(Decimal("10.500"), "GBP")  # trailing zeros are fine


def test_unknown_currencies_are_refused():
    with pytest.raises(ValidationError, match="XYZ is not a currency"):
        validate_currency("XYZ")


def test_floats_are_never_money():
    with pytest.raises(TypeError):
        to_decimal(0.1)
    with pytest.raises(ValidationError):
        to_decimal("ten pounds")
    with pytest.raises(ValidationError):
        to_decimal("NaN")


def test_money_is_formatted_for_each_language():
    assert format_money(Decimal("20340"), "GBP", language="en") == "£20,340.00"
    assert format_money(Decimal("1234.5"), "PLN", language="pl") == "1\u202f234,50\u00a0zł"
    assert format_money(Decimal("-5"), "UAH", language="uk") == "-5,00\u00a0₴"
