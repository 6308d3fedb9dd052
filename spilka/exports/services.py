"""Exports written in the background (the way pretix does them).

A request only checks access, writes the audit row and queues :func:`export_run`; the task
writes the file into private storage with the export's own row generator and the shared
writers (``spilka.lib.exports``), then mails the requester a link to the status page. Files
are kept :data:`KEEP_DAYS` days, served only to the requester while they still hold the
access the export needed, and deleted by :func:`exports_cleanup`, which also fails the
exports whose run was lost and deletes the files a crashed run left without a row.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import Storage
from django.db import IntegrityError, transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from spilka.exports.models import ACTIVE_STATUSES, STORAGE_PREFIX, ExportFile, ExportStatus
from spilka.exports.registry import ExportKind, Params, export_kind_get
from spilka.lib.audit import audit_record
from spilka.lib.exports import export_write
from spilka.lib.mail import email_send_after_commit

log = logging.getLogger(__name__)

KEEP_DAYS = 7
# Rows between two progress writes: a cheap UPDATE, a moving bar.
PROGRESS_EVERY = 2000
# An export still waiting or running this long after it was asked for has lost its run
# (the longest measured took 47 s at 100x data; a queue behind an hour-long import waits
# an hour): the cleanup marks it failed, so its requester is told to start it again and
# may (the same export is not asked for twice while one is active).
STUCK_AFTER = datetime.timedelta(hours=3)
# A file under the exports' prefix that no row names, older than this, was left by a run
# that died between writing it and saving its row (seconds apart): the cleanup deletes it.
ORPHAN_AFTER = datetime.timedelta(hours=1)

# Stored on the row in the requester's language (the status page shows it as it is).
ACCESS_LOST = gettext_lazy("You no longer have access to this list.")
FAILED = gettext_lazy("The export failed. Please try again.")


def export_fingerprint(*, kind: str, fmt: str, parameters: Params) -> str:
    text = json.dumps([kind, fmt, parameters], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def export_subject(*, export: ExportFile) -> Any:
    """The export's subject as its requester may see it *now*, or PermissionDenied.

    Asked again on every download: a requester who lost the role (or the organisation
    lost the resource) gets nothing, however fresh the file."""
    try:
        kind = export_kind_get(export.kind)
        return kind.subject(export.requested_by, export.parameters)
    except (KeyError, Http404) as error:
        raise PermissionDenied from error


@transaction.atomic
def export_request(
    *,
    kind: ExportKind,
    by: Any,
    parameters: Params,
    fmt: str = "csv",
    language: str = "en",
    base_url: str = "",
) -> tuple[ExportFile, bool]:
    """Queue ``kind`` for ``by`` (who must pass the kind's access check); ``(export, created)``.

    The same export (kind, format, parameters) asked for again while one is still being
    written returns that one: two clicks never write two files.
    """
    if fmt not in kind.formats:
        raise ValidationError(_("This list cannot be exported in that format."))
    subject = kind.subject(by, parameters)
    fingerprint = export_fingerprint(kind=kind.name, fmt=fmt, parameters=parameters)
    running = ExportFile.objects.filter(
        requested_by=by, fingerprint=fingerprint, status__in=ACTIVE_STATUSES
    )
    if existing := running.first():
        return existing, False
    try:
        with transaction.atomic():
            export = ExportFile.objects.create(
                organisation=kind.organisation(subject),
                requested_by=by,
                kind=kind.name,
                parameters=parameters,
                fmt=fmt,
                fingerprint=fingerprint,
                language=language,
                base_url=base_url[:200],
            )
    except IntegrityError:  # the same click, a moment earlier, in another request
        return running.get(), False
    audit_record(
        actor=by,
        action=kind.audit_action,
        obj=subject,
        organisation=export.organisation,
        after={"format": fmt, "export": export.pk, **parameters},
    )
    export_id = export.pk
    transaction.on_commit(lambda: export_run.enqueue(export_id=export_id))
    return export, True


def _counted(rows: Iterable[Iterable[Any]], *, export_id: int, skip: int) -> Iterator[Any]:
    """``rows`` passed through, with the count of data rows written now and then."""
    written = -skip
    for row in rows:
        yield row
        written += 1
        if written > 0 and written % PROGRESS_EVERY == 0:
            ExportFile.objects.filter(pk=export_id).update(row_count=written)
    ExportFile.objects.filter(pk=export_id).update(row_count=max(written, 0))


def _claim(export_id: int) -> ExportFile | None:
    """The export, now RUNNING; None when it is not waiting (done, failed or expired)."""
    with transaction.atomic():
        export = (
            ExportFile.objects.select_for_update()
            .select_related("requested_by", "organisation")
            .filter(pk=export_id)
            .first()
        )
        if export is None or export.status not in ACTIVE_STATUSES:
            return None
        export.status = ExportStatus.RUNNING
        export.save(update_fields=["status"])
        return export


def _fail(export: ExportFile, error: Promise) -> ExportFile:
    export.status = ExportStatus.FAILED
    with translation.override(export.language):  # not the worker's: the requester's
        export.error = str(error)
    export.finished_at = timezone.now()
    export.save(update_fields=["status", "error", "finished_at"])
    return export


def _mail_ready(export: ExportFile, kind: ExportKind) -> None:
    """Tell the requester, in the language they asked in, where to fetch the file."""
    with translation.override(export.language):
        base = export.base_url or getattr(settings, "SPILKA_BASE_URL", "")
        context = {
            "export": export,
            "label": kind.label,
            "url": base.rstrip("/") + reverse("exports:status", args=[export.pk]),
            "days": KEEP_DAYS,
        }
        subject = " ".join(render_to_string("exports/email/ready_subject.txt", context).split())
        body = render_to_string("exports/email/ready.txt", context)
    email_send_after_commit(to=[export.requested_by.email], subject=subject, body=body)


def export_build(*, export_id: int) -> ExportFile | None:
    """Write the file of a waiting export; run again, it finds the work done and does none."""
    export = _claim(export_id)
    if export is None:
        return ExportFile.objects.filter(pk=export_id).first()
    try:
        kind = export_kind_get(export.kind)
        subject = export_subject(export=export)
    except PermissionDenied:
        return _fail(export, ACCESS_LOST)
    params = export.parameters
    try:
        with translation.override(export.language), tempfile.TemporaryFile() as output:
            total = kind.count(subject, params)
            ExportFile.objects.filter(pk=export.pk).update(total_rows=total)
            rows = _counted(kind.rows(subject, params), export_id=export.pk, skip=kind.header_rows)
            export_write(rows, output, fmt=export.fmt, sheet_title=str(kind.sheet_title))
            filename = kind.filename(subject, params, export.fmt)
            output.seek(0)
            export.refresh_from_db(fields=["row_count"])
            # A random directory: the name says nothing and cannot be guessed.
            export.file.save(f"{uuid.uuid4().hex}/{filename}", File(output), save=False)
    except Exception:
        log.exception("export %s failed", export.pk)
        _fail(export, FAILED)
        raise
    now = timezone.now()
    with transaction.atomic():
        export.filename = filename
        export.status = ExportStatus.READY
        export.total_rows = total
        export.finished_at = now
        export.expires_at = now + datetime.timedelta(days=KEEP_DAYS)
        export.mailed_at = now
        export.save()
        _mail_ready(export, kind)
    return export


# The background entry point sits beside the work it runs (as funds.services.imports does).
@task()
def export_run(*, export_id: int) -> str:
    export = export_build(export_id=export_id)
    return export.status if export else "missing"


def exports_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of exports past their expiry; the rows stay, marked expired."""
    now = now or timezone.now()
    expired = 0
    for export in ExportFile.objects.filter(
        status=ExportStatus.READY, expires_at__lte=now
    ).iterator():
        if export.file:
            export.file.delete(save=False)
        export.status = ExportStatus.EXPIRED
        export.save(update_fields=["file", "status"])
        expired += 1
    return expired


def exports_fail_stuck(*, now: datetime.datetime | None = None) -> int:
    """Mark failed the exports waiting or running longer than :data:`STUCK_AFTER`; return
    how many. Their run was lost (the task's row gone, a worker killed where the reaper
    could not see it): the requester would watch a bar that never moves and could not ask
    for the same export again. A run that was only slow still finishes: its row then turns
    ready after all."""
    now = now or timezone.now()
    failed = 0
    stuck = ExportFile.objects.filter(status__in=ACTIVE_STATUSES, created_at__lt=now - STUCK_AFTER)
    for pk, language in stuck.values_list("pk", "language"):
        with translation.override(language):
            error = str(FAILED)
        # Only if it is still stuck: a run finishing meanwhile keeps its file.
        failed += ExportFile.objects.filter(pk=pk, status__in=ACTIVE_STATUSES).update(
            status=ExportStatus.FAILED, error=error, finished_at=now
        )
    if failed:
        log.warning(
            "%s export(s) waiting or running for over %s marked failed", failed, STUCK_AFTER
        )
    return failed


def _files_under(storage: Storage, path: str) -> Iterator[str]:
    try:
        directories, files = storage.listdir(path)
    except FileNotFoundError:  # nothing exported yet
        return
    for name in files:
        yield f"{path}/{name}"
    for directory in directories:
        yield from _files_under(storage, f"{path}/{directory}")


def exports_orphans_delete(*, now: datetime.datetime | None = None) -> int:
    """Delete the files under the exports' prefix that no export names and that are older
    than :data:`ORPHAN_AFTER` (a run writes its file seconds before its row: a run still
    going is never touched); return how many. A run that died in between, or whose row
    could not be saved, must not leave a list of people on disk that nothing expires."""
    now = now or timezone.now()
    storage = ExportFile._meta.get_field("file").storage
    # Read before listing: a file named by a row saved later is younger than the limit.
    named = set(ExportFile.objects.exclude(file="").values_list("file", flat=True))
    deleted = 0
    for name in _files_under(storage, STORAGE_PREFIX):
        if name in named or storage.get_modified_time(name) > now - ORPHAN_AFTER:
            continue
        storage.delete(name)
        log.warning("export file %s named by no export: deleted", name)
        deleted += 1
    return deleted


def exports_sweep(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """The housekeeping: expired files, lost runs, files without a row."""
    now = now or timezone.now()
    return {
        "expired": exports_expire(now=now),
        "stuck": exports_fail_stuck(now=now),
        "orphans": exports_orphans_delete(now=now),
    }


@task()
def exports_cleanup() -> dict[str, int]:
    """Housekeeping: run hourly (``manage.py expire_exports`` does the same in place)."""
    return exports_sweep()


@transaction.atomic
def export_downloaded(*, export: ExportFile, by: Any) -> None:
    """Every download of a file of personal data leaves an audit row, like the request."""
    audit_record(
        actor=by,
        action="exports.file.downloaded",
        obj=export,
        organisation=export.organisation,
        after={"kind": export.kind, "format": export.fmt, "rows": export.row_count},
    )
