"""CSV exports: every cell safe from spreadsheets' formulas, and a BOM so they read UTF-8.

Every CSV Spilka hands out goes through :func:`csv_response`, :func:`csv_streaming_response`
or :func:`csv_text`: they write the UTF-8 byte-order mark first (Excel otherwise reads UTF-8
as the local code page and mangles Ukrainian and Polish), then each row with every cell,
header cells included, through :func:`csv_cell`.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import translation

# RFC 6266 filename*= for a file named after a Cyrillic short address (a plain
# filename="…" would be MIME-encoded into gibberish by the browser).
from django.utils.http import content_disposition_header

BOM = "\ufeff"
# A streamed file goes out in pieces of about this many characters: one write per line
# would cost the server a system call (and often a packet) per row.
STREAM_CHUNK = 32 * 1024
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def text_cell(text: str) -> str:
    """Text a spreadsheet shows, never runs: a leading ``= + - @`` (tab, CR) gets a quote.

    The one rule for CSV cells and for the text cells of workbooks (``spilka.lib.exports``).
    """
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def csv_cell(value: Any) -> str:
    """A cell a spreadsheet shows as text, never runs: a leading ``= + - @`` gets a quote.

    Numbers (``int``, ``Decimal``) are written as numbers: ``-12.50`` is no formula, and a
    quote would turn it into text that does not add up.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        # Fixed-point: str() writes a zero read back with ten places as "0E-10", which a
        # spreadsheet takes for text.
        return format(value, "f")
    if isinstance(value, int):
        return str(value)
    return text_cell(str(value))


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """The BOM, then one CSV line per row (the header is a row like any other)."""
    writer = csv.writer(_Echo())
    yield BOM
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row])


def csv_write(rows: Iterable[Iterable[Any]], output: IO[bytes]) -> None:
    """Write the BOM and ``rows`` as UTF-8 to the binary file ``output``, line by line."""
    for line in csv_lines(rows):
        output.write(line.encode("utf-8"))


def csv_text(rows: Iterable[Iterable[Any]]) -> str:
    return "".join(csv_lines(rows))


def csv_response(rows: Iterable[Iterable[Any]], *, filename: str) -> HttpResponse:
    """A download of ``rows``."""
    response = HttpResponse(csv_text(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def csv_chunks(rows: Iterable[Iterable[Any]], *, size: int = STREAM_CHUNK) -> Iterator[str]:
    """:func:`csv_lines` gathered into pieces of at least ``size`` characters (the last
    one shorter): the same text, in fewer writes."""
    buffer: list[str] = []
    length = 0
    for line in csv_lines(rows):
        buffer.append(line)
        length += len(line)
        if length >= size:
            yield "".join(buffer)
            buffer, length = [], 0
    if buffer:
        yield "".join(buffer)


def in_language(pieces: Iterable[Any], language: str) -> Iterator[Any]:
    """``pieces`` read in ``language``: a streamed answer is written after its view has
    returned, so labels and translated names must not depend on what is active by then."""
    with translation.override(language):
        yield from pieces


def csv_streaming_response(
    rows: Iterable[Iterable[Any]], *, filename: str
) -> StreamingHttpResponse:
    """A download of ``rows`` written as they are read: for long exports from an iterator.

    The rows are read in the request's language, in pieces of :data:`STREAM_CHUNK`.
    """
    language = translation.get_language() or settings.LANGUAGE_CODE
    response = StreamingHttpResponse(
        in_language(csv_chunks(rows), language), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
