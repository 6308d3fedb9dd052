"""Normalising contact details so one address or number is one person."""

from __future__ import annotations

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _


def normalise_email(value: str) -> str:
    """Trim and lowercase, the whole address: mail providers treat local parts alike in practice."""
    email = (value or "").strip().lower()
    validate_email(email)
    return email


def normalise_phone(value: str, country: str | None = None) -> str:
    """E.164 (``+380…``), or a ValidationError with a clear message."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, (country or None) and country.upper())
    except phonenumbers.NumberParseException:
        raise ValidationError(
            _("Enter the phone number with its country code, for example +380 50 123 4567."),
            code="phone",
        ) from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("This phone number is not valid."), code="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


_E164 = re.compile(r"\+[1-9][0-9]{6,14}")


def validate_e164(value: str) -> None:
    """A stored phone number is already normalised: ``+`` and up to 15 digits."""
    if value and not _E164.fullmatch(value):
        raise ValidationError(
            _("Store the phone number in international format, for example +380501234567."),
            code="phone",
        )
