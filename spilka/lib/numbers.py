"""Quantities as people write them: ``40``, ``2.5``, ``0.125``; never ``4E+1``.

``Decimal.normalize()`` strips trailing zeros but switches to exponent notation as soon as
the number ends in a zero (``Decimal("40.000").normalize()`` is ``4E+1``), which is what
waybills, forms and exports printed. :func:`format_quantity` is the one way to show a
quantity.
"""

from __future__ import annotations

from decimal import Decimal


def format_quantity(value: Decimal | int | str | None) -> str:
    """A quantity in plain positional notation without trailing zeros ("" for None)."""
    if value is None or value == "":
        return ""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if not number.is_finite():
        raise ValueError(f"{value!r} is not a quantity")
    text = f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text
