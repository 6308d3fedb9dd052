"""Which column of an uploaded CSV is which: headings in English, Ukrainian, Polish and
Russian, as people type them and as Spilka's own exports write them.

A heading is normalised before it is compared (case folded, apostrophes and hyphens
unified, punctuation dropped, "ё" read as "е", spaces collapsed), so "E-mail:",
"Ім’я" and "ИМЯ" find their field. The table below holds the common words; to it are
added the site's own export headings in every interface language (the gettext of
"Email", "Name"… under each of ``settings.LANGUAGES``), so a file exported from Spilka
in Ukrainian comes back in without anyone choosing a column.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, pgettext

# Fields the import stores, then fields a file often has that it recognises but does
# not keep (shown in the preview as "not imported", so nobody wonders where they went).
STORED = ("email", "name", "first_name", "last_name", "phone", "language", "country", "tags")
RECOGNISED_ONLY = ("organisation", "postcode", "city")

# fmt: off
SYNONYMS: dict[str, tuple[str, ...]] = {
    "email": (
        # en
        "email", "e-mail", "e mail", "mail", "email address", "e-mail address",
        "emailaddress", "email adres",
        # uk
        "електронна пошта", "ел. пошта", "ел пошта", "е-пошта", "пошта", "email адреса",
        "e-mail адреса", "адреса електронної пошти", "електронна адреса", "імейл", "емейл",
        # pl
        "adres e-mail", "adres email", "e-mail adres", "poczta", "poczta e-mail",
        "poczta elektroniczna", "mejl",
        # ru
        "электронная почта", "эл. почта", "эл почта", "почта", "адрес электронной почты",
        "e-mail адрес", "email адрес", "емейл", "имейл",
    ),
    "name": (
        "name", "full name", "full_name", "fullname", "your name",
        "повне ім'я", "ім'я та прізвище", "піб", "прізвище та ім'я", "прізвище ім'я",
        "imię i nazwisko", "nazwisko i imię",
        "полное имя", "фио", "имя и фамилия", "фамилия и имя", "фамилия имя",
    ),
    "first_name": (
        "first name", "first_name", "firstname", "given name", "forename",
        "ім'я", "імя",
        "imię", "imie",
        "имя",
    ),
    "last_name": (
        "last name", "last_name", "lastname", "surname", "family name",
        "прізвище",
        "nazwisko",
        "фамилия",
    ),
    "phone": (
        "phone", "telephone", "mobile", "phone number", "tel", "mobile phone",
        "телефон", "номер телефону", "мобільний",
        "telefon", "nr telefonu", "numer telefonu", "komórka",
        "номер телефона", "мобильный",
    ),
    "language": (
        "language", "lang", "preferred language",
        "мова",
        "język", "jezyk",
        "язык",
    ),
    "country": (
        "country", "country code",
        "країна",
        "kraj", "państwo",
        "страна",
    ),
    "tags": ("tags", "tag", "labels", "теги", "мітки", "tagi", "etykiety", "метки", "теги"),
    "organisation": (
        "organisation", "organization", "org", "union", "employer",
        "організація", "організації",
        "organizacja", "związek",
        "организация",
    ),
    "postcode": (
        "postcode", "post code", "postal code", "zip", "zip code",
        "поштовий індекс", "індекс",
        "kod pocztowy",
        "почтовый индекс", "индекс",
    ),
    "city": ("city", "town", "місто", "miasto", "miejscowość", "город"),
}
# fmt: on

# The headings Spilka's own CSV exports write (petition signatures, event attendees,
# my-data), with the field each one fills. Looked up in every interface language.
_EXPORT_LABELS: tuple[tuple[str, str | None, str], ...] = (
    ("email", None, "Email"),
    ("email", None, "Email address"),
    ("name", None, "Name"),
    ("name", None, "Full name"),
    ("name", "label", "Name"),
    ("first_name", None, "First name"),
    ("last_name", None, "Last name"),
    ("phone", None, "Phone"),
    ("language", None, "Language"),
    ("country", None, "Country"),
    ("tags", None, "Tags"),
    ("organisation", None, "Organisation"),
    ("postcode", None, "Postcode"),
)

_APOSTROPHES = "'’ʼ`´‘ʹ"
_HYPHENS = "-‐‑‒–—―_"
_DROP = re.compile(r"[^\w\s'-]")


def normalise_heading(text: str) -> str:
    """``"  E-Mail: "`` → ``"e-mail"``; ``"Ім’я"`` → ``"ім'я"``; ``"Ёмкость"`` → ``"емкость"``."""
    text = unicodedata.normalize("NFKC", text).casefold().strip()
    text = text.replace("ё", "е")
    for mark in _APOSTROPHES:
        text = text.replace(mark, "'")
    for mark in _HYPHENS:
        text = text.replace(mark, "-")
    text = _DROP.sub(" ", text)  # "ел. пошта" and "ел пошта" alike; "e-mail:" → "e-mail"
    text = re.sub(r"\s*-\s*", "-", text)
    return re.sub(r"\s+", " ", text).strip(" -'")


def _variants(text: str) -> set[str]:
    """A heading and its spelling without hyphens or apostrophes ("e-mail"/"email")."""
    norm = normalise_heading(text)
    return {norm, norm.replace("-", " "), norm.replace("-", ""), norm.replace("'", "")}


@lru_cache(maxsize=8)
def _table(languages: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Normalised heading → the fields it may mean, in order of preference."""
    table: dict[str, list[str]] = {}

    def add(heading: str, field: str) -> None:
        for variant in _variants(heading):
            fields = table.setdefault(variant, [])
            if field not in fields:
                fields.append(field)

    for field, words in SYNONYMS.items():
        for word in words:
            add(word, field)
    for language in languages:
        with translation.override(language):
            for field, context, msgid in _EXPORT_LABELS:
                add(pgettext(context, msgid) if context else gettext(msgid), field)
    return {k: tuple(v) for k, v in table.items() if k}


def _languages() -> tuple[str, ...]:
    return tuple(code for code, _name in settings.LANGUAGES)


def heading_fields(heading: str) -> tuple[str, ...]:
    """The fields a heading may stand for (empty when it is not recognised)."""
    table = _table(_languages())
    for variant in _variants(heading):
        if variant in table:
            return table[variant]
    return ()


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """Field → column for the stored fields, from the file's headings.

    "Ім'я" / "Имя" / "Name" mean the first name beside a surname column and the whole
    name otherwise (and the site's exports translate "Name" so in Ukrainian and Russian).
    """
    candidates = {header: heading_fields(header) for header in headers}
    has_last = any("last_name" in fields[:1] for fields in candidates.values())
    mapping: dict[str, str] = {}
    for header, fields in candidates.items():
        ordered = list(fields)
        if {"name", "first_name"} <= set(ordered):
            ordered.sort(key=lambda f: f != ("first_name" if has_last else "name"))
        for field in ordered:
            if field in STORED and field not in mapping:
                mapping[field] = header
                break
    return mapping


def column_roles(headers: list[str], mapping: dict[str, str]) -> list[tuple[str, str, bool]]:
    """For the preview: (column, field it fills or recognised field, stored?) per column."""
    by_column = {column: field for field, column in mapping.items()}
    roles = []
    for header in headers:
        if header in by_column:
            roles.append((header, by_column[header], True))
        else:
            known = heading_fields(header)
            roles.append((header, known[0] if known else "", False))
    return roles
