"""CSV imports of supporters: upload, column mapping, preview, and the run.

Reading and cleaning the file's rows is ``import_rows``; writing them, a chunk at a time in
bulk, is ``import_writer``.
"""

from __future__ import annotations

import csv
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from spilka.lib.audit import audit_record
from spilka.network.models import Organisation
from spilka.outreach.headings import STORED, guess_mapping
from spilka.outreach.models import ImportStatus, SupporterImport, SupporterList, Tag
from spilka.outreach.services.import_rows import CleanRow, csv_decode, csv_reader, import_rows
from spilka.outreach.services.import_writer import CHUNK, ImportWriter

MAX_BYTES = 50 * 1024 * 1024
IMPORT_FIELDS = STORED


@transaction.atomic
def import_upload(
    *,
    organisation: Organisation,
    by: Any,
    filename: str,
    data: bytes,
    consent_given: bool,
    consent_source: str,
    consent_wording: str = "",
    default_language: str = "en",
    tag: Tag | None = None,
    target_list: SupporterList | None = None,
) -> SupporterImport:
    """Keep the uploaded file (until it has run) and read its header row."""
    if len(data) > MAX_BYTES:
        raise ValidationError(_("The file is larger than 50 MB. Split it into smaller files."))
    text = csv_decode(data)
    try:
        headers: list[str] = next(csv_reader(text), [])
    except csv.Error:
        raise ValidationError(_("This does not look like a CSV file.")) from None
    headers = [h.strip() for h in headers]
    if not any(headers):
        raise ValidationError(_("The file is empty or has no header row."))
    if len(set(headers)) != len(headers):
        raise ValidationError(_("Two columns have the same heading; give each a different one."))
    if consent_given and not consent_source.strip():
        raise ValidationError(
            {"consent_source": _("Say where these people agreed to hear from you.")}
        )
    for group in (tag, target_list):
        if group is not None and group.organisation_id != organisation.pk:
            raise ValidationError(_("That tag or list belongs to another organisation."))
    supporter_import = SupporterImport(
        organisation=organisation,
        created_by=by if getattr(by, "is_authenticated", False) else None,
        filename=filename[:200],
        content=text,
        headers=headers,
        mapping=guess_mapping(headers),
        consent_given=consent_given,
        consent_source=consent_source.strip(),
        consent_wording=consent_wording.strip(),
        default_language=default_language,
        tag=tag,
        target_list=target_list,
    )
    supporter_import.full_clean()
    supporter_import.save()
    audit_record(
        actor=by,
        action="outreach.import.uploaded",
        obj=supporter_import,
        organisation=organisation,
        after={"file": supporter_import.filename, "columns": len(headers)},
    )
    return supporter_import


def import_set_mapping(*, supporter_import: SupporterImport, mapping: dict[str, str]) -> None:
    mapping = {k: v for k, v in mapping.items() if v}
    unknown = set(mapping) - set(IMPORT_FIELDS)
    if unknown or not set(mapping.values()) <= set(supporter_import.headers):
        raise ValidationError(_("Choose columns from the file."))
    if "email" not in mapping:
        raise ValidationError(_("Choose the column that holds email addresses."))
    supporter_import.mapping = mapping
    supporter_import.save(update_fields=["mapping"])


def import_preview(supporter_import: SupporterImport, limit: int = 10) -> list[CleanRow | str]:
    out: list[CleanRow | str] = []
    try:
        for row, number in import_rows(supporter_import):
            out.append(row if isinstance(row, CleanRow) else f"{number}: {row}")
            if len(out) >= limit:
                break
    except csv.Error:
        out.append(_("The file could not be read as CSV."))
    return out


@transaction.atomic
def import_queue(*, supporter_import: SupporterImport, by: Any) -> SupporterImport:
    """Count the rows and hand the import to the task queue."""
    locked = SupporterImport.objects.select_for_update(of=("self",)).get(pk=supporter_import.pk)
    if locked.status != ImportStatus.UPLOADED:
        raise ValidationError(_("This import has already been started."))
    if "email" not in locked.mapping:
        raise ValidationError(_("Choose the column that holds email addresses."))
    try:
        locked.total_rows = max(0, sum(1 for v in csv_reader(locked.content) if any(v)) - 1)
    except csv.Error:
        raise ValidationError(_("The file could not be read as CSV.")) from None
    locked.status = ImportStatus.QUEUED
    locked.save(update_fields=["status", "total_rows"])
    audit_record(
        actor=by,
        action="outreach.import.queued",
        obj=locked,
        organisation=locked.organisation,
        after={"rows": locked.total_rows, "consent_source": locked.consent_source},
    )
    pk = locked.pk
    transaction.on_commit(lambda: import_run_task.enqueue(import_id=pk))
    return locked


@transaction.atomic
def _import_mark_failed(import_id: int) -> None:
    supporter_import = SupporterImport.objects.select_for_update(of=("self",)).get(pk=import_id)
    supporter_import.status = ImportStatus.FAILED
    supporter_import.finished_at = timezone.now()
    supporter_import.content = ""
    supporter_import.save(update_fields=["status", "finished_at", "content"])
    audit_record(
        actor=supporter_import.created_by or "import",
        action="outreach.import.failed",
        obj=supporter_import,
        organisation=supporter_import.organisation,
        after={"processed": supporter_import.processed_rows},
    )


def import_run(*, import_id: int) -> SupporterImport:
    """Run a queued import (from the task worker). Chunks commit one by one, so the
    progress bar moves and a crash loses at most one chunk (re-running is safe)."""
    with transaction.atomic():
        supporter_import = (
            SupporterImport.objects.select_for_update(of=("self",))
            .select_related("organisation", "tag", "target_list")
            .get(pk=import_id)
        )
        if supporter_import.status not in {ImportStatus.QUEUED, ImportStatus.RUNNING}:
            return supporter_import
        supporter_import.status = ImportStatus.RUNNING
        supporter_import.save(update_fields=["status"])
    writer = ImportWriter(supporter_import)
    chunk: list[CleanRow] = []
    try:
        for row, number in import_rows(supporter_import):
            if isinstance(row, str):
                writer.fail(number, row)
                continue
            chunk.append(row)
            if len(chunk) >= CHUNK:
                writer.write(chunk)
                chunk = []
        writer.write(chunk)
    except csv.Error:
        writer.fail(0, _("The file could not be read as CSV past this point."))
        writer.write([])
    except Exception:
        # Anything else: say so on the import's page instead of "running" for ever. The
        # chunks already written stay; the error itself goes to the task's result.
        _import_mark_failed(import_id)
        raise
    with transaction.atomic():
        supporter_import = SupporterImport.objects.select_for_update(of=("self",)).get(pk=import_id)
        supporter_import.status = ImportStatus.DONE
        supporter_import.finished_at = timezone.now()
        supporter_import.content = ""  # the file's personal data is not kept once imported
        supporter_import.processed_rows = max(
            supporter_import.processed_rows, supporter_import.total_rows
        )
        supporter_import.save()
        audit_record(
            actor=supporter_import.created_by or "import",
            action="outreach.import.finished",
            obj=supporter_import,
            organisation=supporter_import.organisation,
            after={
                "created": supporter_import.created_count,
                "updated": supporter_import.updated_count,
                "duplicates": supporter_import.duplicate_count,
                "failed": supporter_import.failed_count,
            },
        )
    return supporter_import


# The background entry point sits beside the work it runs (spilka/outreach/tasks.py keeps
# the old path for jobs already queued).
@task()
def import_run_task(*, import_id: int) -> int:
    return import_run(import_id=import_id).processed_rows
