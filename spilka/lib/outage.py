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

After a form was sent (POST, PUT, PATCH, DELETE) the page does not promise that nothing was
saved: a write may have committed just before the connection went. It asks the visitor to
check before sending again (signing, registering and pledging are idempotent, so sending
again is safe there). Nothing is acknowledged by a 503.

One line is logged per refused request, not a stack trace per request
(``QuietOutages`` keeps the ``django.request`` logger from adding one). Any other error is
Django's plain 500 page. Under ``DEBUG`` Django shows its technical page instead, as usual.
"""

from __future__ import annotations

import logging
import sys

from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import defaults

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# PostgreSQL error classes that mean "not reachable just now", not "this query is wrong":
# connection exceptions, operator intervention (shutdown, a statement cancelled by its
# timeout), insufficient resources (too many connections), a lock not available.
UNREACHABLE_SQLSTATES = ("08", "57", "53", "55P03")
SQLITE_UNREACHABLE = ("locked", "unable to open", "disk i/o")


def database_down(error: BaseException | None) -> bool:
    """Whether ``error`` (or what it was raised from) says the database is unreachable.

    A bug that SQLite also reports as an ``OperationalError`` ("no such column") is not an
    outage: it keeps its 500 and its stack trace.
    """
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, InterfaceError):
            return True
        if isinstance(error, OperationalError):
            return _unreachable(error.__cause__)
        error = error.__cause__ or error.__context__
        seen += 1
    return False


def _unreachable(driver_error: BaseException | None) -> bool:
    if driver_error is None:
        return True  # raised by Django itself around a connection it could not make
    if hasattr(driver_error, "sqlstate"):  # psycopg: no state when the server never answered
        state = driver_error.sqlstate or ""
        return not state or state.startswith(UNREACHABLE_SQLSTATES)
    if type(driver_error).__module__ == "sqlite3":
        return any(words in str(driver_error).lower() for words in SQLITE_UNREACHABLE)
    return True


# --- The answer ---------------------------------------------------------------------------


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: a 503 for a database outage, Django's 500 page for anything else."""
    error = sys.exc_info()[1]
    if not database_down(error):
        return defaults.server_error(request)
    submitted = request.method in UNSAFE_METHODS
    log.warning(
        "database unavailable: %s %s answered 503%s (%s: %s)",
        request.method,
        request.path,
        " after a form was sent" if submitted else "",
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
                        "maybe_saved": submitted,
                    },
                },
                status=503,
            )
        else:
            page = render_to_string(
                "lib/outage.html",
                {"submitted": submitted, "retry_after": RETRY_AFTER_SECONDS},
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
