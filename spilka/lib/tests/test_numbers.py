from decimal import Decimal as D

import pytest

from spilka.lib.numbers import format_quantity


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (D("40"), "40"),
        (D("40.000"), "40"),
        (D("40").normalize(), "40"),
        (D("1E+3"), "1000"),
        (D("2.500"), "2.5"),
        (D("0.125"), "0.125"),
        (D("0.000"), "0"),
        (D("-0"), "0"),
        (D("1E-7"), "0.0000001"),
        (None, ""),
    ],
)
def test_quantities_are_written_without_exponent_or_trailing_zeros(value, shown):
    assert format_quantity(value) == shown
