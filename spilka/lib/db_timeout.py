"""An opt-in limit on how long one SQL statement of a web request may run: PostgreSQL's
``statement_timeout``, set from ``SPILKA_DB_STATEMENT_TIMEOUT_MS`` (0, the default: none).

Web servers only. ``spilka/wsgi.py`` installs it, and only a web server loads that module
(gunicorn, and ``runserver`` through ``WSGI_APPLICATION``); the task worker and management
commands never do, so a long export, import, drain or migration is not cut off. The limit is
set once on each connection the process opens (Django's ``connection_created``), not per
request (connections are kept, ``SPILKA_DB_CONN_MAX_AGE``; and the database URL's
``options`` would reach the workers too). A request whose statement is cancelled (57014)
gets the outage answer (``spilka/lib/outage.py``): a 503 with Retry-After, not a 500.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created


def statement_timeout_set(*, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """``connection_created`` receiver: the limit on a new PostgreSQL connection."""
    milliseconds = settings.SPILKA_DB_STATEMENT_TIMEOUT_MS
    if not milliseconds or connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        # For the session (not only the transaction): the connection is kept for reuse.
        cursor.execute("SELECT set_config('statement_timeout', %s, false)", [str(milliseconds)])


def statement_timeout_install() -> bool:
    """Limit the statements of every connection this process opens from now on (called by
    ``spilka/wsgi.py`` before the application is built); False when no limit is set."""
    if not settings.SPILKA_DB_STATEMENT_TIMEOUT_MS:
        return False
    connection_created.connect(statement_timeout_set, dispatch_uid="spilka-statement-timeout")
    return True
