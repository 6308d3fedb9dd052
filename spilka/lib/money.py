"""Money shared by every app: Decimal amounts with an ISO 4217 code, never floats.

Rounding rule (stated once, used everywhere): an amount is rounded **half to even** to its
currency's minor unit (ISO 4217: two places for GBP, PLN, USD, EUR and UAH). A conversion
``amount × rate`` is therefore off the exact product by at most half a minor unit of the
target currency, and a round trip A → B → A (dividing by the same rate) comes back within
half a minor unit of A plus half a minor unit of B divided by the rate.
"""

from __future__ import annotations

import decimal
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import DecimalField, Sum
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# ISO 4217 minor units of the currencies Spilka's networks use.
MINOR_UNITS: dict[str, int] = {"GBP": 2, "PLN": 2, "USD": 2, "EUR": 2, "UAH": 2}
CURRENCIES: tuple[str, ...] = tuple(MINOR_UNITS)
CURRENCY_CHOICES = [
    ("GBP", _("GBP: pound sterling")),
    ("PLN", _("PLN: Polish złoty")),
    ("USD", _("USD: US dollar")),
    ("EUR", _("EUR: euro")),
    ("UAH", _("UAH: Ukrainian hryvnia")),
]
# Rates keep ten places: enough that rounding the rate never moves a converted cent.
RATE_PLACES = 10
RATE_QUANTUM = Decimal(1).scaleb(-RATE_PLACES)

_SYMBOLS = {"GBP": "£", "USD": "$", "EUR": "€", "PLN": "zł", "UAH": "₴"}
_SYMBOL_BEFORE = {"GBP", "USD"}  # "£12.50", "$12.50"; the others after: "12,50 zł"


def validate_currency(code: str) -> None:
    if code not in MINOR_UNITS:
        raise ValidationError(
            _("%(code)s is not a currency Spilka knows (GBP, PLN, USD, EUR, UAH)."),
            code="unknown_currency",
            params={"code": code},
        )


def minor_unit(currency: str) -> Decimal:
    """The smallest amount of ``currency``: Decimal('0.01') for two places."""
    validate_currency(currency)
    return Decimal(1).scaleb(-MINOR_UNITS[currency])


def to_decimal(value: object) -> Decimal:
    """A Decimal from a Decimal, int or string; floats are refused (they are not money)."""
    if isinstance(value, float):
        raise TypeError("Money is never a float: pass a Decimal or a string.")
    try:
        result = Decimal(str(value).strip().replace(" ", "").replace("\u00a0", ""))
    except (InvalidOperation, ValueError):
        raise ValidationError(
            _("“%(value)s” is not an amount."), code="not_an_amount", params={"value": value}
        ) from None
    if not result.is_finite():
        raise ValidationError(
            _("“%(value)s” is not an amount."), code="not_an_amount", params={"value": value}
        )
    return result


def validate_amount(amount: Decimal, currency: str) -> None:
    """Refuse amounts with more decimal places than the currency has."""
    validate_currency(currency)
    exponent = amount.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if places > MINOR_UNITS[currency] and amount != quantise(amount, currency):
        raise ValidationError(
            _("%(currency)s amounts have at most %(places)s decimal places."),
            code="too_many_decimals",
            params={"currency": currency, "places": MINOR_UNITS[currency]},
        )


def quantise(amount: Decimal, currency: str) -> Decimal:
    """Round half to even to the currency's minor unit."""
    with decimal.localcontext() as context:
        context.prec = 34
        return amount.quantize(minor_unit(currency), rounding=ROUND_HALF_EVEN)


def quantise_rate(rate: Decimal) -> Decimal:
    with decimal.localcontext() as context:
        context.prec = 34
        return rate.quantize(RATE_QUANTUM, rounding=ROUND_HALF_EVEN)


def convert(amount: Decimal, rate: Decimal, to_currency: str) -> Decimal:
    """``amount`` × ``rate`` in ``to_currency``, rounded half to even to its minor unit."""
    with decimal.localcontext() as context:
        context.prec = 34
        return quantise(amount * rate, to_currency)


def convert_back(amount: Decimal, rate: Decimal, to_currency: str) -> Decimal:
    """The inverse of :func:`convert` with the same rate: ``amount`` ÷ ``rate``."""
    with decimal.localcontext() as context:
        context.prec = 34
        return quantise(amount / rate, to_currency)


def _group(digits: str, separator: str) -> str:
    parts: list[str] = []
    while len(digits) > 3:
        parts.insert(0, digits[-3:])
        digits = digits[:-3]
    parts.insert(0, digits)
    return separator.join(parts)


def format_money(
    amount: Decimal, currency: str, *, language: str | None = None, places: int | None = None
) -> str:
    """``£20,340.00`` in English; ``20 340,00 zł`` in Polish, Ukrainian and Russian."""
    language = (language or get_language() or "en").split("-")[0]
    places = MINOR_UNITS.get(currency, 2) if places is None else places
    value = amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
    sign = "-" if value < 0 else ""
    whole, _dot, fraction = f"{abs(value):f}".partition(".")
    if language == "en":
        number = _group(whole, ",") + ("." + fraction if places else "")
    else:
        number = _group(whole, "\u202f") + ("," + fraction if places else "")
    symbol = _SYMBOLS.get(currency, currency)
    if currency in _SYMBOL_BEFORE or (language == "en" and currency == "EUR"):
        return f"{sign}{symbol}{number}"
    return f"{sign}{number}\u00a0{symbol}"


def money_sum(expression: str, places: int = 2) -> Any:
    """``Sum(expression)`` read back as an exact Decimal with ``places`` decimal places.

    PostgreSQL sums ``numeric`` exactly; SQLite sums in binary floating point, and Django
    hands an aggregate back unrounded (a fully reversed ledger then "balances" to
    -3.47E-18, and 0.01 reads 0.00999999999999979). The sum is rounded half to even to
    ``places``, which is exact for any total below 10^13 minor units.
    """
    quantum = Decimal(1).scaleb(-places)

    class _MoneySum(Sum):
        def get_db_converters(self, connection: Any) -> list[Any]:
            return [*super().get_db_converters(connection), _round]

    def _round(value: Any, expression: Any, connection: Any) -> Decimal | None:
        if value is None:
            return None
        with decimal.localcontext() as context:
            context.prec = 34
            return Decimal(value).quantize(quantum, rounding=ROUND_HALF_EVEN)

    return _MoneySum(expression, output_field=DecimalField(max_digits=20, decimal_places=places))
