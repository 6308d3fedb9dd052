"""Start an export, watch it, download it: every step asks the requester's access again."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_GET, require_http_methods

from spilka.exports.models import ExportFile, ExportStatus
from spilka.exports.registry import ExportKind, Params, export_kind_get
from spilka.exports.services import export_downloaded, export_request, export_subject
from spilka.lib.exports import XLSX_CONTENT_TYPE
from spilka.lib.storage import private_file_open

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_CONTENT_TYPE}


def export_start(
    request: HttpRequest, *, kind: ExportKind, parameters: Params, fmt: str = "csv"
) -> HttpResponse:
    """What every export URL does. GET: a page with the button (an old bookmark, a link
    without script); POST: queue the export and show its status page."""
    if fmt not in kind.formats:
        raise Http404
    subject = kind.subject(request.user, parameters)  # 404 / 403 before anything else
    if request.method != "POST":
        return render(
            request,
            "exports/start.html",
            {"kind": kind, "subject": subject, "fmt": fmt, "action": request.path},
        )
    try:
        export, _created = export_request(
            kind=kind,
            by=request.user,
            parameters=parameters,
            fmt=fmt,
            language=translation.get_language() or "en",
            base_url=request.build_absolute_uri("/").rstrip("/"),
        )
    except ValidationError as error:
        raise Http404 from error
    return redirect(export)


def _subject_still_allowed(export: ExportFile) -> Any:
    """What the export is of, if its requester may still export it; else None."""
    try:
        return export_subject(export=export)
    except PermissionDenied:
        return None


def _own_export(request: HttpRequest, pk: int) -> ExportFile:
    """The requester's own export; anyone else's is a 404 (it says nothing about it)."""
    export = ExportFile.objects.filter(pk=pk, requested_by_id=request.user.pk).first()
    if export is None:
        raise Http404
    return export


def _label(export: ExportFile) -> Any:
    try:
        return export_kind_get(export.kind).label
    except KeyError:
        return export.kind


@login_required
@require_GET
def export_status(request: HttpRequest, pk: int) -> HttpResponse:
    export = _own_export(request, pk)
    subject = _subject_still_allowed(export)
    expired = export.is_expired
    response = render(
        request,
        "exports/status.html",
        {"export": export, "label": _label(export), "subject": subject, "expired": expired},
        status=403 if subject is None else 200,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def export_progress(request: HttpRequest, pk: int) -> JsonResponse:
    export = _own_export(request, pk)
    if _subject_still_allowed(export) is None:
        return JsonResponse({"status": "forbidden", "done": True}, status=403)
    response = JsonResponse(
        {
            "status": export.status,
            "percent": export.percent,
            "processed": export.row_count,
            "total": export.total_rows,
            "done": not export.is_active,
        }
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "HEAD"])
def export_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The file, to its requester only, while they still hold the access it needed."""
    export = _own_export(request, pk)
    subject = _subject_still_allowed(export)
    expired = export.is_expired
    if subject is None or expired or export.status != ExportStatus.READY or not export.file:
        context = {"export": export, "label": _label(export), "subject": subject}
        context["expired"] = expired
        status = 403 if subject is None else 410 if expired else 409
        return render(request, "exports/status.html", context, status=status)
    export_downloaded(export=export, by=request.user)
    response = FileResponse(
        private_file_open(export.file),
        as_attachment=True,
        filename=export.filename,
        content_type=CONTENT_TYPES.get(export.fmt, "application/octet-stream"),
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
