"""Bank statement (CSV or .xlsx) import: upload → choose columns → preview → import, all or
nothing.

How the file is read (encodings, the table under the bank's notes, the decimal and
thousands separators of the amount column) is in :mod:`spilka.funds.services.statement_files`;
the upload is kept as plain UTF-8 CSV, so every later step reads one format.

The size is checked before a byte is read (``upload.size``); the whole file is decoded and
parsed before anything is written; rows that fail are listed with the reason and nothing is
imported; rows already in the ledger (same date, amount, currency and reference or payer)
are skipped as duplicates and listed too. Files with many rows run in the task queue with a
progress bar; the "checking" phase commits its progress, the writing phase is one transaction.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import task

from spilka.funds.models import Fund, ImportBatch, ImportStatus, Transaction, TransactionKind
from spilka.funds.services.donations import donation_record
from spilka.funds.services.statement_files import (
    amount_example,
    amount_format_detect,
    amount_parse,
    statement_table,
    table_csv,
)
from spilka.lib.audit import audit_record
from spilka.lib.money import validate_amount, validate_currency

FIELDS = ("date", "amount", "reference", "payer", "email", "opt_in", "public")
REQUIRED = ("date", "amount")
DATE_FORMATS = {"iso": "%Y-%m-%d", "dmy": "%d/%m/%Y", "dmy_dots": "%d.%m.%Y", "mdy": "%m/%d/%Y"}
YES = {"yes", "y", "true", "1", "tak", "так", "да", "x"}


def import_max_bytes() -> int:
    return int(getattr(settings, "SPILKA_IMPORT_MAX_BYTES", 10 * 1024 * 1024))


def import_sync_rows() -> int:
    """Files with more rows than this go to the task queue, with a progress bar."""
    return int(getattr(settings, "SPILKA_IMPORT_SYNC_ROWS", 300))


def batch_rows(batch: ImportBatch) -> list[list[str]]:
    with batch.file.open("rb") as handle:
        return statement_table(handle.read())


@transaction.atomic
def import_upload(
    *, fund: Fund, upload: UploadedFile, currency: str, by: Any, encoding: str = "auto"
) -> ImportBatch:
    validate_currency(currency)
    if upload.size is None or upload.size > import_max_bytes():
        raise ValidationError(
            {
                "file": _("The file is too large: at most %(mb)s MB.")
                % {"mb": import_max_bytes() // (1024 * 1024)}
            },
            code="too_large",
        )
    rows = statement_table(upload.read(), encoding)
    batch = ImportBatch(
        fund=fund,
        uploaded_by=by,
        original_name=(upload.name or "statement.csv")[:200],
        currency=currency,
        total_rows=len(rows) - 1,
    )
    content = ContentFile(table_csv(rows).encode("utf-8"))
    batch.file.save(f"{secrets.token_hex(16)}.csv", content, save=False)
    batch.save()
    audit_record(
        actor=by,
        action="funds.import.uploaded",
        obj=batch,
        organisation=fund.organisation,
        after={"rows": batch.total_rows, "name": batch.original_name},
    )
    return batch


@transaction.atomic
def import_map(
    *,
    batch: ImportBatch,
    mapping: dict[str, str],
    date_format: str,
    by: Any,
    decimal: str = "auto",
    thousands: str = "auto",
) -> ImportBatch:
    """The columns chosen, and the amount column's separators: detected from the whole
    column unless the treasurer chose them; an ambiguous column is refused, not guessed."""
    rows = batch_rows(batch)
    header = rows[0]
    if date_format not in DATE_FORMATS:
        raise ValidationError({"date_format": _("Choose a date format.")})
    clean = {}
    for name in FIELDS:
        column = (mapping.get(name) or "").strip()
        if name in REQUIRED and not column:
            raise ValidationError({name: _("Choose the column for this.")})
        if column and column not in header:
            raise ValidationError({name: _("The file has no column “%(c)s”.") % {"c": column}})
        clean[name] = column
    amounts = header.index(clean["amount"])
    decimal, thousands = amount_format_detect(
        [row[amounts] for row in rows[1:]],
        column=clean["amount"],
        decimal=decimal,
        thousands=thousands,
    )
    batch.mapping = {
        **clean,
        "date_format": date_format,
        "decimal": decimal,
        "thousands": thousands,
    }
    batch.status = ImportStatus.MAPPED
    batch.save(update_fields=["mapping", "status"])
    return batch


@transaction.atomic
def import_remap(*, batch: ImportBatch, by: Any) -> ImportBatch:
    """Back to the column choice (only before the import has run)."""
    updated = ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.MAPPED).update(
        status=ImportStatus.UPLOADED
    )
    if not updated:
        raise ValidationError(_("This import has already run."))
    batch.refresh_from_db()
    return batch


@dataclass
class ParsedRow:
    line: int
    values: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    duplicate: bool = False


def _parse_date(text: str, date_format: str) -> datetime.date | None:
    """The date in the chosen format; a time after it (``15.03.2022 10:15:00``, as banks
    write) is ignored. ISO dates (``2022-03-15``, what .xlsx cells give) cannot be mistaken
    for another format, so they are read whatever was chosen."""
    first = text.split()[0] if text.split() else ""
    for candidate in (text, first):
        try:
            return datetime.datetime.strptime(candidate, date_format).date()
        except ValueError:
            pass
    try:
        return datetime.date.fromisoformat(first[:10])
    except ValueError:
        return None


def _parse_row(line: int, row: dict[str, str], mapping: dict[str, str], currency: str) -> ParsedRow:
    parsed = ParsedRow(line)
    cell = {
        name: (row.get(column, "") if column else "").strip()
        for name, column in mapping.items()
        if name in FIELDS
    }
    day = _parse_date(cell["date"], DATE_FORMATS[mapping["date_format"]])
    if day is None:
        parsed.error = _("“%(v)s” is not a date in the chosen format.") % {"v": cell["date"][:40]}
        return parsed
    # Batches mapped before separators were chosen were read the British way.
    separators = (mapping.get("decimal", "."), mapping.get("thousands", ","))
    amount = amount_parse(cell["amount"], *separators)
    if amount is None:
        parsed.error = _("“%(v)s” is not an amount written like %(example)s.") % {
            "v": cell["amount"][:40],
            "example": amount_example(*separators),
        }
        return parsed
    try:
        validate_amount(amount, currency)
    except ValidationError as error:
        parsed.error = " ".join(error.messages)
        return parsed
    if amount <= 0:
        parsed.error = _("Only money received is imported: the amount must be above nought.")
        return parsed
    email = cell.get("email", "")
    if email and "@" not in email:
        parsed.error = _("“%(v)s” is not an email address.") % {"v": email[:80]}
        return parsed
    parsed.values = {
        "occurred_on": day,
        "amount": amount,
        "reference": cell.get("reference", "")[:120],
        "payer": cell.get("payer", "")[:200],
        "email": email,
        "opt_in": cell.get("opt_in", "").lower() in YES,
        "public": cell.get("public", "").lower() in YES,
    }
    return parsed


def _duplicate_keys(batch: ImportBatch, days: set[datetime.date]) -> set[tuple[Any, ...]]:
    """What is already in the ledger for those days: (date, amount, reference or payer)."""
    rows = Transaction.objects.filter(
        fund=batch.fund,
        kind=TransactionKind.DONATION,
        currency=batch.currency,
        occurred_on__in=days,
    ).values_list("occurred_on", "amount", "reference", "donor__name")
    keys = set()
    for day, amount, reference, payer in rows:
        keys.add(
            (day, amount, "ref", reference) if reference else (day, amount, "payer", payer or "")
        )
    return keys


def _key(values: dict[str, Any]) -> tuple[Any, ...]:
    if values["reference"]:
        return (values["occurred_on"], values["amount"], "ref", values["reference"])
    return (values["occurred_on"], values["amount"], "payer", values["payer"])


def import_preview(batch: ImportBatch, *, progress: bool = False) -> list[ParsedRow]:
    rows = batch_rows(batch)
    header = rows[0]
    parsed = []
    for number, raw in enumerate(rows[1:], start=2):
        parsed.append(
            _parse_row(number, dict(zip(header, raw, strict=True)), batch.mapping, batch.currency)
        )
        if progress and number % 200 == 0:
            ImportBatch.objects.filter(pk=batch.pk).update(processed_rows=number - 1)
    seen = _duplicate_keys(batch, {p.values["occurred_on"] for p in parsed if p.values})
    for row in parsed:
        if row.values:
            key = _key(row.values)
            row.duplicate = key in seen
            seen.add(key)
    return parsed


def import_start(*, batch: ImportBatch, by: Any) -> ImportBatch:
    """Run now when small; otherwise queue it (after commit) and show the progress bar."""
    if batch.status != ImportStatus.MAPPED:
        raise ValidationError(_("This import has already run or has no columns chosen."))
    if batch.total_rows <= import_sync_rows():
        return import_run(batch_id=batch.pk, by=by)

    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.QUEUED)
    transaction.on_commit(lambda: import_statement.enqueue(batch_id=batch.pk, user_id=by.pk))
    batch.refresh_from_db()
    return batch


def import_run(*, batch_id: int, by: Any) -> ImportBatch:
    """Check every row (committing progress), then write them all in one transaction."""
    updated = ImportBatch.objects.filter(
        pk=batch_id, status__in=[ImportStatus.MAPPED, ImportStatus.QUEUED]
    ).update(status=ImportStatus.RUNNING, processed_rows=0)
    batch = ImportBatch.objects.select_related("fund", "fund__organisation").get(pk=batch_id)
    if not updated:
        return batch  # already ran (a task delivered twice): idempotent
    parsed = import_preview(batch, progress=True)
    failures = [{"row": p.line, "reason": p.error} for p in parsed if p.error]
    if failures:
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportStatus.FAILED, errors=failures, processed_rows=batch.total_rows
        )
        batch.refresh_from_db()
        return batch
    ImportBatch.objects.filter(pk=batch.pk).update(processed_rows=batch.total_rows)
    try:
        _write(batch, parsed, by)
    except ValidationError as error:
        # Nothing was written (one transaction); say which row stopped it and why.
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportStatus.FAILED,
            errors=[{"row": getattr(error, "spilka_row", 0), "reason": " ".join(error.messages)}],
        )
    batch.refresh_from_db()
    return batch


def _write(batch: ImportBatch, parsed: list[ParsedRow], by: Any) -> None:
    with transaction.atomic():
        created = 0
        duplicates = 0
        for row in parsed:
            if row.duplicate:
                duplicates += 1
                continue
            v = row.values
            try:
                _record(batch, v, by)
            except ValidationError as error:
                error.spilka_row = row.line  # type: ignore[attr-defined]
                raise
            created += 1
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportStatus.DONE, created_count=created, duplicate_count=duplicates
        )
        batch.refresh_from_db()
        audit_record(
            actor=by,
            action="funds.import.done",
            obj=batch,
            organisation=batch.fund.organisation,
            after={"created": created, "duplicates": duplicates},
        )


def _record(batch: ImportBatch, v: dict[str, Any], by: Any) -> None:
    donation_record(
        fund=batch.fund,
        amount=v["amount"],
        currency=batch.currency,
        occurred_on=v["occurred_on"],
        by=by,
        donor_name=v["payer"],
        donor_email=v["email"],
        show_name=v["public"],
        consented_updates=v["opt_in"],
        reference=v["reference"],
        import_batch=batch,
    )


def import_total(parsed: list[ParsedRow]) -> Decimal:
    return sum((p.values["amount"] for p in parsed if p.values and not p.duplicate), Decimal("0"))


# The background entry point sits beside the work it runs: services never import a tasks
# module, so nothing imports back (spilka/funds/tasks.py keeps the old path for queued jobs).
@task()
def import_statement(*, batch_id: int, user_id: int) -> str:
    """Import a large bank statement; idempotent (a second delivery finds it already run)."""
    user = get_user_model().objects.get(pk=user_id)
    return import_run(batch_id=batch_id, by=user).status
