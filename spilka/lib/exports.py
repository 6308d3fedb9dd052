"""Downloads of organisers' lists as CSV or as an Excel workbook (.xlsx), from one writer.

Every list export (supporters, people, books) hands its header and rows to
:func:`export_response`. Both formats are written as rows are read, so a list of a hundred
thousand rows costs the memory of one chunk: CSV streams through
:func:`spilka.lib.csv_safe.csv_streaming_response`; the workbook is written by openpyxl in
write-only mode (each row goes straight to a temporary file) and served from that file.

Both formats carry the same protection against formula injection: a text cell beginning
with ``= + - @`` (or a tab or carriage return) gets a leading apostrophe, exactly as
:func:`spilka.lib.csv_safe.csv_cell` does, and in the workbook every text cell is also
stored as a string, never as a formula. Numbers and dates stay numbers and dates.
"""

from __future__ import annotations

import datetime
import tempfile
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import IO, Any

from django.db import transaction
from django.db.models import Model
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, WriteOnlyCell

from spilka.lib.audit import audit_record
from spilka.lib.csv_safe import csv_streaming_response, csv_write, in_language, text_cell

EXPORT_FORMATS = ("csv", "xlsx")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_format(fmt: str) -> str:
    """``fmt`` if Spilka writes it; anything else is a 404 (the URL names no such file)."""
    if fmt not in EXPORT_FORMATS:
        raise Http404
    return fmt


def export_filename(*, slug: str, what: str, fmt: str, day: datetime.date | None = None) -> str:
    """``<org slug>-<what>-<YYYY-MM-DD>.<fmt>``: sorts by organisation, then by date."""
    day = day or timezone.localdate()
    return f"{slug}-{what}-{day.isoformat()}.{fmt}"


def xlsx_value(value: Any) -> Any:
    """A cell value openpyxl writes as it should read back.

    Decimals and integers stay numbers; dates stay dates (an aware date-time is shown in
    the current time zone: Excel has no time zones); yes/no as in the CSV; everything else
    is text, escaped like CSV and stripped of the control characters XML cannot hold.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, datetime.date | Decimal | int):
        return value
    return text_cell(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def _xlsx_row(sheet: Any, row: Iterable[Any]) -> list[WriteOnlyCell]:
    cells = []
    for raw in row:
        value = xlsx_value(raw)
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            # A string beginning with "=" is otherwise stored as a formula.
            cell.data_type = "s"
        elif isinstance(value, datetime.datetime):
            cell.number_format = "yyyy-mm-dd hh:mm"
        elif isinstance(value, datetime.date):
            cell.number_format = "yyyy-mm-dd"
        cells.append(cell)
    return cells


def xlsx_write(rows: Iterable[Iterable[Any]], output: IO[bytes], *, sheet_title: str) -> None:
    """Write a workbook of ``rows`` (the header is a row like any other) to ``output``."""
    workbook = Workbook(write_only=True)
    # A sheet title holds at most 31 characters and none of []:*?/\\ .
    title = "".join(ch for ch in sheet_title if ch not in "[]:*?/\\")[:31] or "Sheet"
    sheet = workbook.create_sheet(title=title)
    for row in rows:
        sheet.append(_xlsx_row(sheet, row))
    workbook.save(output)


def xlsx_response(
    rows: Iterable[Iterable[Any]], *, filename: str, sheet_title: str
) -> FileResponse:
    """A workbook of ``rows``, written row by row and served from a temporary file."""
    # Spilled to disk past 8 MB: a long list never sits whole in memory.
    output = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (FileResponse closes it)
    xlsx_write(rows, output, sheet_title=sheet_title)
    output.seek(0)
    response = FileResponse(
        output, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )
    return response


def export_write(
    rows: Iterable[Iterable[Any]], output: IO[bytes], *, fmt: str, sheet_title: str
) -> None:
    """Write ``rows`` to the binary file ``output`` in ``fmt``: the background exports
    (spilka/exports) write their files with the same writers the downloads use."""
    if export_format(fmt) == "xlsx":
        xlsx_write(rows, output, sheet_title=sheet_title)
    else:
        csv_write(rows, output)


def export_response(
    rows: Iterable[Iterable[Any]], *, fmt: str, filename: str, sheet_title: str
) -> StreamingHttpResponse | FileResponse:
    """The download of ``rows`` in ``fmt`` (``csv`` or ``xlsx``), never cached."""
    rows = in_language(rows, translation.get_language() or "en")
    response: StreamingHttpResponse | FileResponse
    if export_format(fmt) == "xlsx":
        response = xlsx_response(rows, filename=filename, sheet_title=sheet_title)
    else:
        response = csv_streaming_response(rows, filename=filename)
    response["Cache-Control"] = "no-store"
    return response


def export_record(
    *, actor: Any, action: str, obj: Model, organisation: Any, fmt: str, rows: int, **extra: Any
) -> None:
    """The audit row for a download of personal data: who took which list, how long, how."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=action,
            obj=obj,
            organisation=organisation,
            after={"format": fmt, "rows": rows, **extra},
        )


def export_download(
    *,
    actor: Any,
    fmt: str,
    queryset: Any,
    rows: Callable[[Any], Iterable[Iterable[Any]]],
    action: str,
    obj: Model,
    organisation: Any,
    what: str,
    sheet_title: str,
) -> StreamingHttpResponse | FileResponse:
    """What every list download does: check the format, write the audit row with the row
    count, and answer with ``rows(queryset)`` named ``<org slug>-<what>-<date>.<fmt>``."""
    fmt = export_format(fmt)
    export_record(
        actor=actor,
        action=action,
        obj=obj,
        organisation=organisation,
        fmt=fmt,
        rows=queryset.count(),
    )
    return export_response(
        rows(queryset),
        fmt=fmt,
        filename=export_filename(slug=organisation.slug, what=what, fmt=fmt),
        sheet_title=sheet_title,
    )
