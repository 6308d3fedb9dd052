"""When the database is unreachable: a 503 the visitor can live with, not a bare 500.

Django turns an exception raised anywhere in the request (a view, a middleware loading the
session or the user, a context processor, the session saved on the way out) into a
response through ``handler500``. ``server_error`` (the project's ``handler500``) answers a
database outage (``OperationalError`` / ``InterfaceError``: connection refused or cut, a
statement cancelled by a timeout while a table is locked) with a 503 and ``Retry-After``:

- pages: ``lib/outage.html``, a page rendered without the request (no session, no user, no
  context processor), in the language of the address or of the browser;
- the API (``/api/…``): ``{"error": …, "detail": {"code": "unavailable", …}}`` like every
  other API error.

It says that nothing the visitor sent was saved only when that is true: ``OutageMiddleware``
(first in ``MIDDLEWARE``) notes, for a POST (or PUT, PATCH, DELETE), whether a write may have
reached the database: one run outside a transaction (committed as it ran, or perhaps when
the answer was cut), a transaction that committed, or a COMMIT whose answer never came.

One line is logged per refused request, not a stack trace per request
(``QuietOutages`` keeps the ``django.request`` logger from adding one). Any other error is
Django's plain 500 page. Under ``DEBUG`` Django shows its technical page instead, as usual.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import defaults

log = logging.getLogger(__name__)

DATABASE_DOWN = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
READ_ONLY_STATEMENTS = ("SELECT", "BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "SET", "SHOW")


def database_down(error: BaseException | None) -> bool:
    """Whether ``error`` (or what it was raised from) says the database is unreachable."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, DATABASE_DOWN):
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False


# --- What a request may have saved ------------------------------------------------------


@dataclass
class Writes:
    """Whether a write of this request may have reached the database."""

    maybe_saved: bool = False
    pending: bool = False  # written inside a transaction that has not committed (yet)
    watched: set[tuple[Any, ...]] = field(default_factory=set)  # savepoints with a hook

    def saved(self) -> None:
        self.maybe_saved = True

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        if sql.lstrip()[:9].upper().startswith(READ_ONLY_STATEMENTS):
            return execute(sql, params, many, context)
        if not connection.in_atomic_block:
            self.maybe_saved = True  # autocommit: saved as it runs, even if the answer is cut
            return execute(sql, params, many, context)
        result = execute(sql, params, many, context)
        self.pending = True
        # Once per savepoint: a savepoint rolled back takes its hooks with it.
        savepoints = tuple(connection.savepoint_ids)
        if savepoints not in self.watched:
            self.watched.add(savepoints)
            try:
                transaction.on_commit(self.saved)
            except TransactionManagementError:  # a hand-managed transaction: assume the worst
                self.maybe_saved = True
        return result


def failed_in_commit(traceback: TracebackType | None) -> bool:
    """Whether the error came from a COMMIT: whether it took effect is then unknown."""
    while traceback is not None:
        code = traceback.tb_frame.f_code
        if code.co_name in ("commit", "_commit") and "django/db" in code.co_filename:
            return True
        traceback = traceback.tb_next
    return False


class OutageMiddleware:
    """Notes what a POST may have saved, for the outage page (first in ``MIDDLEWARE``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in UNSAFE_METHODS:
            return self.get_response(request)
        writes = Writes()
        request.spilka_writes = writes  # type: ignore[attr-defined]
        with connection.execute_wrapper(writes):
            return self.get_response(request)


def maybe_saved(request: HttpRequest, traceback: TracebackType | None) -> bool:
    writes = getattr(request, "spilka_writes", None)
    if not isinstance(writes, Writes):
        return True  # not watched: do not promise anything
    return writes.maybe_saved or (writes.pending and failed_in_commit(traceback))


# --- The answer ---------------------------------------------------------------------------


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: a 503 for a database outage, Django's 500 page for anything else."""
    error, traceback = sys.exc_info()[1:]
    if not database_down(error):
        return defaults.server_error(request)
    submitted = request.method in UNSAFE_METHODS
    saved = submitted and maybe_saved(request, traceback)
    log.warning(
        "database unavailable: %s %s answered 503%s (%s: %s)",
        request.method,
        request.path,
        " (a write may have been saved)" if saved else "",
        type(error).__name__,
        str(error).strip().splitlines()[0] if str(error).strip() else "",
    )
    language = translation.get_language_from_request(request, check_path=True)
    with translation.override(language):
        if request.path.startswith("/api/"):
            response: HttpResponse = JsonResponse(
                {
                    "error": _("The service is briefly unavailable. Please try again shortly."),
                    "detail": {
                        "code": "unavailable",
                        "retry_after_seconds": RETRY_AFTER_SECONDS,
                        "maybe_saved": saved,
                    },
                },
                status=503,
            )
        else:
            page = render_to_string(
                "lib/outage.html",
                {"submitted": submitted, "saved": saved, "retry_after": RETRY_AFTER_SECONDS},
            )
            response = HttpResponse(page, status=503)
        response["Content-Language"] = language
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    response.spilka_outage = True  # type: ignore[attr-defined]
    return response


class QuietOutages(logging.Filter):
    """Keeps ``django.request`` from logging a stack trace for each request refused during
    a database outage: ``server_error`` has logged one line for it."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not database_down(error)


def quiet_request_log() -> None:
    request_log = logging.getLogger("django.request")
    if not any(isinstance(f, QuietOutages) for f in request_log.filters):
        request_log.addFilter(QuietOutages())
