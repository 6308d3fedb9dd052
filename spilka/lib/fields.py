"""Form fields that read numbers the way the person's language writes them.

Every amount, rate and quantity a person types goes through :class:`LocalDecimalField`
(or :class:`LocalIntegerField` for counts): "42,50" in Ukrainian, Polish and Russian,
"42.50" in English, with the rules of :func:`spilka.lib.numbers.parse_decimal`. The input
is ``type="text" inputmode="decimal"``, not ``type="number"``: Chromium's number input
refuses a decimal comma unless the browser itself runs in such a locale, and it drops what
it cannot read without a word, so the server never even sees "42,50".
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_lazy

from spilka.lib.numbers import (
    NumberError,
    format_decimal_example,
    format_decimal_input,
    format_quantity,
    parse_decimal,
)

# What the field holds, for the refusal: "Enter an amount such as 12,50."
INVALID_MESSAGES = {
    "amount": gettext_lazy("Enter an amount such as %(example)s."),
    "rate": gettext_lazy("Enter a rate such as %(example)s."),
    "quantity": gettext_lazy("Enter a quantity such as %(example)s."),
    "number": gettext_lazy("Enter a number such as %(example)s."),
}
EXAMPLES: dict[str, tuple[Decimal, int | None]] = {
    "amount": (Decimal("1250.50"), 2),
    "rate": (Decimal("0.8571"), 4),
    "quantity": (Decimal("2.5"), 1),
    "number": (Decimal("1500"), 0),
}


class DecimalInput(forms.TextInput):
    """A text box that opens the number keypad on phones and keeps what was typed."""

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})


def number_error_message(error: NumberError, kind: str, language: str | None = None) -> str:
    """The refusal for ``error``, with an example in the person's own format."""
    if error.reason == "ambiguous" and error.readings:
        as_decimal, as_thousands = error.readings
        as_decimal = Decimal(format_quantity(as_decimal))  # "1,5", not "1,500": that is the doubt
        return gettext(
            "“%(text)s” could mean %(decimal)s or %(thousands)s: type it as one of those."
        ) % {
            "text": error.text.strip(),
            "decimal": format_decimal_example(as_decimal, language),
            "thousands": format_decimal_example(as_thousands, language),
        }
    example, places = EXAMPLES.get(kind, EXAMPLES["number"])
    return str(INVALID_MESSAGES.get(kind, INVALID_MESSAGES["number"])) % {
        "example": format_decimal_example(example, language, places=places)
    }


class LocalDecimalField(forms.DecimalField):
    """A Decimal typed in the person's language; shown back in it.

    ``kind`` ("amount", "rate", "quantity", "number") picks the example in the refusal.
    ``trim_zeros`` shows an initial 40.000 as "40" (quantities). Never pair it with a
    ``type="number"`` input: chromium sends "1.125" from it whatever the language.
    """

    widget = DecimalInput

    def __init__(
        self,
        *,
        kind: str = "amount",
        trim_zeros: bool = False,
        **kwargs: Any,
    ) -> None:
        self.kind = kind
        self.trim_zeros = trim_zeros
        kwargs.setdefault("max_digits", 20)
        super().__init__(**kwargs)

    # django-stubs: DecimalField.to_python returns a Decimal, yet mypy checks it against
    # IntegerField.to_python (the stub silences the same error on DecimalField itself).
    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return Decimal(value)
        text = str(value)
        if len(text) > 60:  # no one types a 60-character amount
            raise ValidationError(number_error_message(NumberError(text, "invalid"), self.kind))
        try:
            return parse_decimal(text, None)
        except NumberError as error:
            raise ValidationError(number_error_message(error, self.kind), code="invalid") from None

    def prepare_value(self, value: Any) -> Any:
        # Only values from the server (Decimal, int) are reformatted: what a person typed
        # comes back exactly as typed, mistakes included, so they can see and fix it.
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            number = Decimal(value)
            if self.trim_zeros:
                number = Decimal(format_quantity(number))
            return format_decimal_input(number)
        return value

    def widget_attrs(self, widget: Any) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.setdefault("maxlength", "40")
        attrs["data-number"] = self.kind
        return attrs


class LocalIntegerField(forms.IntegerField):
    """A whole number typed in the person's language: "1 500" everywhere, "1,500" in English."""

    widget = DecimalInput

    def __init__(self, *, kind: str = "number", **kwargs: Any) -> None:
        self.kind = kind
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        number = LocalDecimalField(kind=self.kind).to_python(value)
        if number is None:
            return None
        if number != number.to_integral_value():
            raise ValidationError(
                gettext("Enter a whole number such as %(example)s.")
                % {"example": format_decimal_example(Decimal(1500), places=0)},
                code="invalid",
            )
        return int(number)

    def widget_attrs(self, widget: Any) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "numeric", "maxlength": "40", "data-number": self.kind})
        return attrs
