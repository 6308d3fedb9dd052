"""Uploads that survive a form shown again with errors.

A browser never re-sends a file: when a form comes back with an error (a mistyped amount),
the file box is empty again and the person had no way to know. :class:`KeptUploads` keeps
each upload that passed its own checks in private storage under ``pending-uploads/``,
named by a random token; the token is remembered in the person's session and carried in a
hidden field, and the page says "Kept: receipt.pdf (choose another file to replace it)".
On the next post the kept file stands in for an empty file box. A token from another
session (another person, or a copied form) is ignored: it is not in that session.

Kept files are deleted when the form succeeds, when they are replaced, when they are found
older than :data:`PENDING_MAX_AGE` on use, and by ``manage.py expire_pending_uploads``
(any left behind by a form that was abandoned).

Forms without a session to tie a token to (anonymous pages) use :class:`ReChooseFileInput`
alone: it says plainly that the file must be chosen again.
"""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy

from spilka.lib.storage import private_storage

PENDING_PREFIX = "pending-uploads/"
PENDING_MAX_AGE = datetime.timedelta(hours=24)
SESSION_KEY = "spilka_pending_uploads"
TOKEN_SUFFIX = "__kept"

KEPT_NOTE = gettext_lazy("Kept: %(name)s (choose another file to replace it).")
LOST_NOTE = gettext_lazy(
    "A file is not kept when the form is shown again with errors: choose it again."
)


class ReChooseFileInput(forms.ClearableFileInput):
    """A file box that says what became of the file when the form comes back.

    ``kept`` (set by :class:`KeptUploads`) names the file kept for the next post; without
    it, a form shown again after a file was sent says the file must be chosen again.
    Behaves as a plain file box when there is no current file to clear (forms.Form).
    """

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.kept: dict[str, str] | None = None
        # Whether a file came with the post: a file field's bound value is never the
        # upload itself (Django shows the initial), so the widget notes it when reading.
        self.received = False

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        value = super().value_from_datadict(data, files, name)
        if isinstance(files.get(name), UploadedFile):
            self.received = True
        return value

    def use_required_attribute(self, initial: Any) -> bool:
        # A kept file fills the box on the server side: the browser must not insist.
        return super().use_required_attribute(initial) and self.kept is None

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        html = super().render(name, value, attrs, renderer)
        if self.kept is not None:
            return format_html(
                '{}<input type="hidden" name="{}" value="{}">'
                '<span class="helptext upload-kept" data-kept-upload="{}">{}</span>',
                html,
                name + TOKEN_SUFFIX,
                self.kept["token"],
                name,
                str(KEPT_NOTE) % {"name": self.kept["name"]},
            )
        if self.received:
            return format_html(
                '{}<span class="helptext upload-lost" data-upload-lost="{}" role="status">{}</span>',
                html,
                name,
                LOST_NOTE,
            )
        return html


def _entries(request: HttpRequest) -> dict[str, dict[str, Any]]:
    entries = request.session.get(SESSION_KEY)
    return dict(entries) if isinstance(entries, dict) else {}


def _save_entries(request: HttpRequest, entries: dict[str, dict[str, Any]]) -> None:
    request.session[SESSION_KEY] = entries


def upload_keep(request: HttpRequest, upload: UploadedFile, *, field: str) -> dict[str, str]:
    """Store ``upload`` until the form is posted again; its token is tied to this session."""
    uploads_expire()
    token = secrets.token_urlsafe(24)
    upload.seek(0)
    # The stored name is the token only: the person's file name never becomes a path.
    path = private_storage().save(f"{PENDING_PREFIX}{token}", upload)
    upload.seek(0)
    entries = _entries(request)
    entries[token] = {
        "path": path,
        "field": field,
        "name": (upload.name or "file")[:200],
        "type": upload.content_type or "application/octet-stream",
        "at": timezone.now().timestamp(),
    }
    _save_entries(request, entries)
    return {"token": token, "name": entries[token]["name"]}


def upload_take(request: HttpRequest, token: str, *, field: str) -> UploadedFile | None:
    """The file kept under ``token`` for ``field`` in this session, or None."""
    entries = _entries(request)
    entry = entries.get(token) if isinstance(token, str) else None
    if entry is None or entry.get("field") != field:
        return None
    age = timezone.now().timestamp() - float(entry.get("at", 0))
    storage = private_storage()
    if age > PENDING_MAX_AGE.total_seconds() or not storage.exists(entry["path"]):
        upload_forget(request, token)
        return None
    with storage.open(entry["path"], "rb") as handle:
        content = handle.read()
    return SimpleUploadedFile(entry["name"], content, content_type=entry["type"])


def upload_forget(request: HttpRequest, token: str) -> None:
    """Delete a kept file and its token (after success, or when it was replaced)."""
    entries = _entries(request)
    entry = entries.pop(token, None)
    if entry is not None:
        private_storage().delete(entry["path"])
        _save_entries(request, entries)


def uploads_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete kept files older than :data:`PENDING_MAX_AGE`; the number deleted."""
    storage = private_storage()
    cutoff = (now or timezone.now()) - PENDING_MAX_AGE
    try:
        _dirs, files = storage.listdir(PENDING_PREFIX.rstrip("/"))
    except (FileNotFoundError, NotImplementedError):
        return 0
    deleted = 0
    for name in files:
        path = PENDING_PREFIX + name
        try:
            modified = storage.get_modified_time(path)
        except (FileNotFoundError, NotImplementedError):
            continue
        if timezone.is_naive(modified):
            modified = timezone.make_aware(modified)
        if modified < cutoff:
            storage.delete(path)
            deleted += 1
    return deleted


class KeptUploads:
    """Carry the valid uploads of ``form`` across its re-display with errors.

    Build it right after the bound form and before ``is_valid()``: a kept file then
    stands in for an empty file box. Call :meth:`keep` when the form is going to be shown
    again with errors, and :meth:`done` after it succeeded.
    """

    def __init__(self, request: HttpRequest, form: forms.Form, fields: list[str]) -> None:
        self.request = request
        self.form = form
        self.fields = fields
        self.tokens: dict[str, str] = {}
        if not form.is_bound:
            return
        files = form.files.copy()
        for name in fields:
            token = form.data.get(name + TOKEN_SUFFIX) or ""
            if not token:
                continue
            if files.get(name):
                upload_forget(request, token)  # a new file replaces the kept one
                continue
            upload = upload_take(request, token, field=name)
            if upload is not None:
                files[name] = upload
                self.tokens[name] = token
        form.files = files

    def keep(self) -> None:
        cleaned = getattr(self.form, "cleaned_data", {}) or {}
        for name in self.fields:
            widget = self.form.fields[name].widget
            token = self.tokens.get(name)
            if name in self.form.errors:
                if token:
                    upload_forget(self.request, token)
                continue
            upload = cleaned.get(name) or self.form.files.get(name)
            if not isinstance(upload, UploadedFile):
                continue
            if token:
                kept = {"token": token, "name": upload.name or ""}
            else:
                kept = upload_keep(self.request, upload, field=name)
            if isinstance(widget, ReChooseFileInput):
                widget.kept = kept

    def done(self) -> None:
        for token in self.tokens.values():
            upload_forget(self.request, token)
