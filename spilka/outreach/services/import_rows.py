"""Reading an uploaded supporter CSV: its encoding, its dialect, and each row cleaned into
what an import writes (or the reason the row cannot be imported)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_countries import countries

from spilka.lib.languages import CONTENT_LANGUAGES
from spilka.network.normalise import normalise_email, normalise_phone
from spilka.outreach.models import SupporterImport

_LANGUAGE_NAMES = {
    "english": "en",
    "ukrainian": "uk",
    "українська": "uk",
    "polish": "pl",
    "polski": "pl",
    "russian": "ru",
    "русский": "ru",
}
_COUNTRY_CODES = {code for code, _name in countries}


def csv_decode(data: bytes) -> str:
    # NUL bytes (UTF-16 files, spreadsheets saved in a binary format) decode as UTF-8 but
    # PostgreSQL cannot store them in text: refuse them here, with the same advice.
    try:
        if b"\x00" in data:
            raise UnicodeDecodeError("utf-8", data, 0, 1, "NUL byte")
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            _("The file is not UTF-8 text. Save it from your spreadsheet as “CSV UTF-8”.")
        ) from None


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        return csv.excel


def csv_reader(text: str) -> Any:
    return csv.reader(io.StringIO(text), _dialect(text))


@dataclass
class CleanRow:
    number: int  # the line in the file, header = 1
    email: str
    name: str = ""
    phone: str = ""
    language: str = ""
    country: str = ""
    tags: list[str] = field(default_factory=list)


def _clean(
    number: int, values: list[str], index: dict[str, int], default_language: str
) -> CleanRow | str:
    """A cleaned row, or the reason it cannot be imported (never the value itself)."""

    def get(name: str) -> str:
        i = index.get(name)
        return values[i].strip() if i is not None and i < len(values) else ""

    raw_email = get("email")
    if not raw_email:
        return _("no email address")
    try:
        email = normalise_email(raw_email)
    except ValidationError:
        return _("the email address is not valid")
    name = get("name") or " ".join(p for p in (get("first_name"), get("last_name")) if p)
    country = get("country").upper()
    if country not in _COUNTRY_CODES:
        country = ""
    phone = ""
    if raw_phone := get("phone"):
        try:
            phone = normalise_phone(raw_phone, country or None)
        except ValidationError:
            return _("the phone number is not valid")
    language = get("language").lower()
    language = (
        language[:2] if language[:2] in CONTENT_LANGUAGES else _LANGUAGE_NAMES.get(language, "")
    )
    tags = [t.strip()[:60] for t in get("tags").replace(";", ",").split(",") if t.strip()]
    return CleanRow(
        number=number,
        email=email,
        name=name[:200],
        phone=phone,
        language=language or default_language,
        country=country,
        tags=tags,
    )


def import_rows(supporter_import: SupporterImport) -> Iterator[tuple[CleanRow | str, int]]:
    """Each non-blank row of the file, cleaned (or the reason it cannot be), with its line."""
    reader = csv_reader(supporter_import.content)
    headers: list[str] = next(reader, [])
    index = {
        target: [h.strip() for h in headers].index(column)
        for target, column in supporter_import.mapping.items()
        if column in [h.strip() for h in headers]
    }
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        yield _clean(number, values, index, supporter_import.default_language), number
