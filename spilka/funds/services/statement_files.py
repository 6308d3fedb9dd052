"""Reading bank statements: the file's encoding and table shape, and how it writes amounts.

Polish and Ukrainian banks write ``-1 234,56`` (decimal comma, a space, often a no-break
space, between thousands); British banks write ``1,234.56``. Nothing is guessed row by row:
the separators are worked out from the whole amount column, and when the column can be
read in more than one way (``1,234`` alone is 1234 or 1.234) the treasurer is asked.

Files come as CSV (UTF-8, UTF-16, or the Windows code pages Polish and Ukrainian banks
still export: windows-1250 and windows-1251) or as Excel workbooks (.xlsx). Banks put a
few lines about the account above the table (mBank does); those lines are skipped.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

# --- Encodings -------------------------------------------------------------------------------
ENCODINGS = ("utf-8", "windows-1250", "windows-1251")
ENCODING_CHOICES = [
    ("auto", gettext_lazy("Detect from the file")),
    ("utf-8", gettext_lazy("UTF-8")),
    ("windows-1250", gettext_lazy("Windows-1250 (Polish and Central European banks)")),
    ("windows-1251", gettext_lazy("Windows-1251 (Ukrainian banks)")),
]
_WORD = re.compile(r"[^\W\d_]+")


def _not_text() -> ValidationError:
    return ValidationError(
        {
            "file": _(
                "The file is not UTF-8 text, nor Windows-1250 or Windows-1251 text. Export "
                "the statement as CSV (UTF-8) or Excel (.xlsx)."
            )
        },
        code="encoding",
    )


def _cyrillic(letter: str) -> bool:
    return "\u0400" <= letter <= "\u04ff"


def _mixed_words(text: str) -> int:
    """Words mixing Latin and Cyrillic letters: what the wrong Windows code page makes of
    Polish ("Tytuі" for "Tytuł" read as windows-1251)."""
    return sum(
        1
        for word in _WORD.findall(text)
        if any(_cyrillic(c) for c in word) and not all(_cyrillic(c) for c in word)
    )


def _cyrillic_words(text: str) -> int:
    return sum(1 for word in _WORD.findall(text) if all(_cyrillic(c) for c in word))


def decode(raw: bytes, encoding: str = "auto") -> str:
    """The file's text. ``auto``: a byte-order mark says; else UTF-8 if it is valid UTF-8;
    else whichever of windows-1250 and windows-1251 reads as words of one script."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 with its byte-order mark
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise _not_text() from None
    if encoding not in ("auto", *ENCODINGS):
        raise ValidationError({"encoding": _("Choose an encoding.")})
    if encoding != "auto":
        try:
            return raw.decode("utf-8-sig" if encoding == "utf-8" else encoding)
        except UnicodeDecodeError:
            raise _not_text() from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        if raw.startswith(b"\xef\xbb\xbf") or b"\x00" in raw:
            raise _not_text() from None  # it claims UTF-8, or it is binary
    readings = {name: raw.decode(name, errors="replace") for name in ENCODINGS[1:]}
    # The code page whose reading mixes scripts least inside words; Cyrillic words
    # break a tie (a Ukrainian statement read as windows-1250 is accented Latin, unmixed).
    return min(readings.values(), key=lambda text: (_mixed_words(text), -_cyrillic_words(text)))


# --- Tables ----------------------------------------------------------------------------------
DELIMITERS = (",", ";", "\t")
MAX_ROWS = 100_000
MAX_COLUMNS = 200
XLSX_MAX_UNPACKED = 200 * 1024 * 1024


def _malformed(error: object) -> ValidationError:
    return ValidationError(
        {"file": _("The CSV file is malformed: %(error)s") % {"error": error}},
        code="malformed_csv",
    )


def _table_checked(rows: list[list[str]]) -> list[list[str]]:
    """Header first; account details above the table skipped; every row as wide."""
    if len(rows) > MAX_ROWS:
        raise ValidationError(
            {"file": _("The file has more than %(n)s rows: split it.") % {"n": MAX_ROWS}}
        )
    # Banks write notes about the account above the table (mBank: a dozen lines). They are
    # skipped only when they are all narrower than a table that runs, every row as wide
    # as its header, to the end of the file; anything else is reported as it is.
    start = len(rows) - _table_length(rows)
    if 0 < start <= len(rows) - 2 and all(len(row) < len(rows[start]) for row in rows[:start]):
        rows = rows[start:]
    if len(rows) < 2:
        raise ValidationError({"file": _("The file needs a header line and at least one row.")})
    width = len(rows[0])
    if width < 2:
        raise ValidationError({"file": _("The file has only one column: is it really CSV?")})
    if width > MAX_COLUMNS:
        raise ValidationError(
            {"file": _("The file has more than %(n)s columns.") % {"n": MAX_COLUMNS}}
        )
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != width:
            raise ValidationError(
                {
                    "file": _("Line %(n)s has %(got)s columns where the header has %(want)s.")
                    % {"n": number, "got": len(row), "want": width}
                },
                code="malformed_csv",
            )
    return rows


def _table_length(rows: list[list[str]]) -> int:
    """How many rows at the end of the file are as wide as the last one."""
    if not rows:
        return 0
    width = len(rows[-1])
    count = 0
    for row in reversed(rows):
        if len(row) != width:
            break
        count += 1
    return count


def _csv_rows(text: str, delimiter: str) -> list[list[str]]:
    return [
        row
        for row in csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
        if any(c.strip() for c in row)
    ]


def csv_table(text: str) -> list[list[str]]:
    """The rows of CSV ``text``; the delimiter is the one that reads the longest table of
    two columns or more (a ``;`` file with ``1 234,56`` amounts is not a ``,`` file)."""
    if "\x00" in text:
        raise ValidationError({"file": _("This is not a CSV file.")})
    readings: dict[str, list[list[str]]] = {}
    first_error: csv.Error | None = None
    for delimiter in DELIMITERS:
        try:
            readings[delimiter] = _csv_rows(text, delimiter)
        except csv.Error as error:
            first_error = first_error or error

    def score(rows: list[list[str]]) -> tuple[int, int]:
        width = len(rows[-1]) if rows else 0
        return (_table_length(rows), width) if width >= 2 else (0, 0)

    if not readings:
        raise _malformed(first_error)
    best = max(readings.values(), key=score)
    if score(best)[0] == 0 and first_error is not None:
        raise _malformed(first_error)
    return _table_checked(best)


def _xlsx_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        # repr is the shortest text that reads back as the same float: 1234.56, not
        # 1234.5599999999999. Spreadsheets store amounts as binary floats.
        return repr(value)
    return str(value).strip()


def xlsx_table(raw: bytes) -> list[list[str]]:
    """The rows of the first sheet of an Excel workbook, as text."""
    unreadable = ValidationError(
        {"file": _("This Excel file cannot be read. Save it again as .xlsx or as CSV.")}
    )
    try:
        # A workbook is a zip: refuse one that unpacks to far more than a statement needs
        # (a "zip bomb") before any of it is parsed.
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            if sum(info.file_size for info in archive.infolist()) > XLSX_MAX_UNPACKED:
                raise unreadable
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise unreadable from None
    try:
        sheet = book.worksheets[0]
        rows: list[list[str]] = []
        for values in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
            row = [_xlsx_cell(value) for value in values]
            if any(row):
                rows.append(row)
            if len(rows) > MAX_ROWS:
                break
    finally:
        book.close()
    # Lines above the table (the bank's notes) fill one or two cells; the table starts at
    # the first row with at least two. Columns empty all the way down are dropped.
    start = next((i for i, row in enumerate(rows) if sum(1 for c in row if c) >= 2), 0)
    rows = rows[start:]
    used = max((i + 1 for row in rows for i, cell in enumerate(row) if cell), default=0)
    return _table_checked([row[:used] + [""] * (used - len(row[:used])) for row in rows])


def statement_table(raw: bytes, encoding: str = "auto") -> list[list[str]]:
    """The statement's rows, header first, from CSV or .xlsx bytes."""
    if raw.startswith(b"PK\x03\x04"):
        return xlsx_table(raw)
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise ValidationError(
            {"file": _("Old Excel files (.xls) are not read: save the statement as .xlsx or CSV.")}
        )
    return csv_table(decode(raw, encoding))


def table_csv(rows: list[list[str]]) -> str:
    """The table as plain UTF-8 CSV, as Spilka keeps it after the upload."""
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


# --- Amounts ---------------------------------------------------------------------------------
DECIMALS = {".": gettext_lazy("point"), ",": gettext_lazy("comma")}
THOUSANDS = {
    "none": "",
    "space": " ",
    ",": ",",
    ".": ".",
    "'": "'",
}
DECIMAL_CHOICES = [
    ("auto", gettext_lazy("Detect from the file")),
    (".", gettext_lazy("Point: 1234.56")),
    (",", gettext_lazy("Comma: 1234,56")),
]
THOUSANDS_CHOICES = [
    ("auto", gettext_lazy("Detect from the file")),
    ("none", gettext_lazy("None: 1234567")),
    ("space", gettext_lazy("Space: 1 234 567")),
    (",", gettext_lazy("Comma: 1,234,567")),
    (".", gettext_lazy("Point: 1.234.567")),
    ("'", gettext_lazy("Apostrophe: 1'234'567")),
]
_SPACES = " \u00a0\u202f\u2009"
_CURRENCY = r"(?:[£$€₴]|zł|PLN|UAH|GBP|USD|EUR|грн\.?)"
_CURRENCY_AROUND = re.compile(
    rf"^\s*{_CURRENCY}[{_SPACES}]*|[{_SPACES}]*{_CURRENCY}\s*$", re.IGNORECASE
)


def amount_example(decimal: str, thousands: str) -> str:
    """How an amount looks in this format: ``1 234,56``."""
    return f"1{THOUSANDS[thousands]}234{decimal}56"


def _pattern(decimal: str, thousands: str) -> re.Pattern[str]:
    point = re.escape(decimal)
    plain = rf"\d+(?:{point}\d+)?"
    if thousands == "none":
        return re.compile(rf"^{plain}$")
    group = f"[{_SPACES}]" if thousands == "space" else re.escape(THOUSANDS[thousands])
    return re.compile(rf"^(?:\d{{1,3}}(?:{group}\d{{3}})+(?:{point}\d+)?|{plain})$")


def amount_parse(text: str, decimal: str, thousands: str) -> Decimal | None:
    """``text`` read with these separators, or None when it is not written that way.

    A currency sign or code before or after, a sign (``-``, ``+``, ``−``) and accounting
    brackets ``(12.00)`` are understood.
    """
    value = text.strip()
    negative = False
    for _round in range(2):  # "-£12.00" and "£-12.00"
        value = _CURRENCY_AROUND.sub("", value).strip(_SPACES)
        if value[:1] in ("-", "\u2212"):
            negative, value = True, value[1:].strip(_SPACES)
        elif value[:1] == "+":
            value = value[1:].strip(_SPACES)
    if value.startswith("(") and value.endswith(")"):
        negative, value = True, value[1:-1].strip(_SPACES)
    if not value or not _pattern(decimal, thousands).match(value):
        return None
    digits = value
    if thousands != "none":
        for mark in _SPACES if thousands == "space" else THOUSANDS[thousands]:
            digits = digits.replace(mark, "")
    try:
        number = Decimal(digits.replace(decimal, "."))
    except InvalidOperation:
        return None
    return -number if negative else number


def _formats(decimal: str, thousands: str) -> list[tuple[str, str]]:
    return [
        (d, t)
        for d in DECIMALS
        for t in THOUSANDS
        if THOUSANDS[t] != d
        and (decimal == "auto" or d == decimal)
        and (thousands == "auto" or t == thousands)
    ]


def amount_format_detect(
    values: list[str], *, column: str, decimal: str = "auto", thousands: str = "auto"
) -> tuple[str, str]:
    """The (decimal, thousands) separators the whole column is written with.

    Every format that reads the most cells is a candidate; when candidates read some cell
    differently, the column is ambiguous and the treasurer chooses (a ValidationError on
    the ``decimal`` field says which cell and both readings).
    """
    if decimal not in ("auto", *DECIMALS) or thousands not in ("auto", *THOUSANDS):
        raise ValidationError({"decimal": _("Choose the separators.")})
    cells = [value for value in values if value.strip()]
    readings = {
        fmt: [amount_parse(value, *fmt) for value in cells] for fmt in _formats(decimal, thousands)
    }
    if not readings:
        raise ValidationError(
            {"thousands": _("The decimal and thousands separators cannot be the same.")}
        )
    most = max(sum(v is not None for v in read) for read in readings.values())
    if most == 0:
        if decimal == "auto" and thousands == "auto":
            message = _("No cell of the column “%(column)s” is an amount.")
        else:
            message = _("No amount in the column “%(column)s” is written with these separators.")
        raise ValidationError({"amount": message % {"column": column}})
    best = {fmt: read for fmt, read in readings.items() if sum(v is not None for v in read) == most}
    chosen, reading = next(iter(best.items()))
    for fmt, other in best.items():
        for cell, one, two in zip(cells, reading, other, strict=True):
            if one is not None and two is not None and one != two:
                raise ValidationError(
                    {
                        "decimal": _(
                            "The amounts in the column “%(column)s” can be read in more than "
                            "one way: “%(cell)s” is %(one)s written like %(first)s, or "
                            "%(two)s written like %(second)s. Choose the decimal and "
                            "thousands separators."
                        )
                        % {
                            "column": column,
                            "cell": cell.strip()[:40],
                            "one": _plain(one),
                            "two": _plain(two),
                            "first": amount_example(*chosen),
                            "second": amount_example(*fmt),
                        }
                    },
                    code="ambiguous_amounts",
                )
    return chosen


def _plain(number: Decimal) -> str:
    return f"{number:f}"
