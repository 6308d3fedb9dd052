from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from spilka.lib.money import format_money

register = template.Library()


@register.filter
def money(value: Any, currency: str) -> str:
    """``{{ amount|money:"GBP" }}`` → ``£1,234.50`` (or ``1 234,50 zł`` in Polish)."""
    if value is None or value == "":
        return ""
    return format_money(Decimal(value), currency)


@register.filter
def negate(value: Any) -> Any:
    return -value if value is not None else value
