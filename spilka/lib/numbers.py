"""Numbers as people write and read them.

Quantities as people write them: ``40``, ``2.5``, ``0.125``; never ``4E+1``.

``Decimal.normalize()`` strips trailing zeros but switches to exponent notation as soon as
the number ends in a zero (``Decimal("40.000").normalize()`` is ``4E+1``), which is what
waybills, forms and exports printed. :func:`format_quantity` is the one way to show a
quantity.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats, translation


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


# --- Reading numbers as people type them -------------------------------------------------
#
# One parser for every amount, rate and quantity a person types (``parse_decimal``). The
# active language's own format always reads: "2 500,50" in Ukrainian, Polish and Russian,
# "2,500.50" in English. The other common format is read too, but only where it can mean
# one thing:
#
# - a lone "." or "," followed by anything but exactly three digits is a decimal mark:
#   "42.50" in Polish and "42,50" in English are 42.5 (a thousands group has three digits);
# - "1,234.56" and "1.234,56" (both marks, the last one decimal) are 1234.56 in any language;
# - "1,234,567" and "1.234.567" (one mark repeated in groups of three) are whole numbers;
# - spaces (ordinary, no-break, narrow no-break, thin) and apostrophes ("1'234.5", Swiss)
#   group thousands in any language.
#
# A lone mark followed by exactly three digits, where the language would read it as a
# decimal mark but the other format as a thousands separator, is refused as ambiguous:
# "1.500" in Polish could be one and a half or fifteen hundred. In English "1,500" is 1500
# (English's own format wins), and "1,5" is 1.5. In Ukrainian "1,500" is 1.5 (its own).
# Full-width digits ("１２", typed with an East Asian keyboard) and the minus sign "−"
# read as their ASCII forms. Anything else ("12,5,3", "12e3", "NaN", "£5") is refused.

_SPACES = "\u0020\u00a0\u2007\u2009\u202f"
_APOSTROPHES = "'\u2019\u02bc"
_MINUS = "-\u2212\u2012\u2013"
_SHAPE = re.compile(r"[+-]?[0-9., ']*[0-9][0-9., ']*")
_GROUPED = re.compile(r"[0-9]{1,3}(?:([ '.,])[0-9]{3})?(?:\1[0-9]{3})*")


class NumberError(ValueError):
    """``text`` is not a number; ``reason`` is "invalid" or "ambiguous".

    For "ambiguous", ``readings`` holds the two values it could mean (decimal first).
    """

    def __init__(self, text: str, reason: str, readings: tuple[Decimal, Decimal] | None = None):
        super().__init__(f"{text!r}: {reason}")
        self.text = text
        self.reason = reason
        self.readings = readings


@dataclass(frozen=True)
class _Marks:
    decimal: str
    grouping: str


def _marks(language: str | None) -> _Marks:
    """The language's decimal mark, from Django's locale formats (no Babel needed)."""
    with translation.override(language or translation.get_language() or "en"):
        decimal = str(formats.get_format("DECIMAL_SEPARATOR")) or "."
    if decimal not in ".,":
        decimal = "."
    return _Marks(decimal=decimal, grouping="," if decimal == "." else ".")


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip()
    for space in _SPACES:
        text = text.replace(space, " ")
    for apostrophe in _APOSTROPHES:
        text = text.replace(apostrophe, "'")
    if text[:1] in _MINUS:
        text = "-" + text[1:].lstrip()
    elif text[:1] == "+":
        text = text[1:].lstrip()
    return text


def _whole(text: str, allowed: str) -> str | None:
    """Digits of a whole part grouped with one of ``allowed`` in threes; None if not so."""
    if text.isdecimal():
        return text
    match = _GROUPED.fullmatch(text)
    if match is None or match.group(1) not in allowed:
        return None
    digits = re.sub(r"[^0-9]", "", text)
    return None if digits.startswith("0") else digits  # "0,125" has no thousands


def parse_decimal(text: str, language: str | None = None) -> Decimal:
    """The number ``text`` means in ``language`` (the active one when None).

    Raises :class:`NumberError` for empty, malformed or ambiguous text. The rules are in
    the comment above.
    """
    raw = text
    text = _normalise(text)
    if not _SHAPE.fullmatch(text):
        raise NumberError(raw, "invalid")
    sign = ""
    if text[0] in "+-":
        sign, text = ("-" if text[0] == "-" else ""), text[1:]
    marks = _marks(language)
    spaced = "' "
    dots, commas = text.count("."), text.count(",")
    whole: str | None
    if dots and commas:
        last = max(text.rfind("."), text.rfind(","))
        mark = text[last]
        head, fraction = text[:last], text[last + 1 :]
        if mark in head or not fraction.isdecimal():
            raise NumberError(raw, "invalid")
        whole = _whole(head, "," if mark == "." else ".")
    elif dots + commas == 0:
        whole, fraction = _whole(text, spaced), ""
    elif dots + commas > 1:
        # One mark repeated can only be thousands: "1,234,567", "1.234.567".
        whole, fraction = _whole(text, ".,"), ""
    else:
        mark = "." if dots else ","
        head, _sep, fraction = text.partition(mark)
        if not fraction.isdecimal() and fraction != "":
            raise NumberError(raw, "invalid")
        as_thousands = _whole(text, mark) if len(fraction) == 3 else None
        as_decimal = _whole(head or "0", spaced)
        if as_thousands is not None and as_decimal is not None and mark != marks.decimal:
            if mark == marks.grouping and marks.decimal == ".":
                # The language's own thousands separator ("1,500" in English).
                whole, fraction = as_thousands, ""
            else:
                raise NumberError(
                    raw,
                    "ambiguous",
                    (
                        Decimal(sign + as_decimal + "." + fraction),
                        Decimal(sign + as_thousands),
                    ),
                )
        else:
            whole = as_decimal
    if whole is None or not (fraction == "" or fraction.isdecimal()):
        raise NumberError(raw, "invalid")
    return Decimal(sign + whole + ("." + fraction if fraction else ""))


def format_decimal_input(value: Decimal | int | str | None, language: str | None = None) -> str:
    """A number as it goes back into a text box: the language's decimal mark, no grouping.

    Trailing zeros stay ("12,50" for an amount of 12.50); exponents never appear.
    """
    if value is None or value == "":
        return ""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    text = f"{number:f}"
    return text.replace(".", _marks(language).decimal)


def format_decimal_example(
    value: Decimal, language: str | None = None, *, places: int | None = None
) -> str:
    """``value`` as the language prints it, with grouping: for "Enter an amount such as …"."""
    with translation.override(language or translation.get_language() or "en"):
        return str(formats.number_format(value, places, use_l10n=True, force_grouping=True))
