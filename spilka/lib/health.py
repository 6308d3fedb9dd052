"""What /healthz checks: cheap questions whose answers are counts and ages, nothing private.

Each check returns ``(ok, facts)``; a check that raises counts as failing (its error is
logged here, never shown). ``report()`` gathers them for the view.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django_tasks import task_backends
from django_tasks_db import DatabaseBackend

from spilka.campaigns.services import signature_intake
from spilka.lib.worker import heartbeat_newest_age, tasks_oldest_waiting

log = logging.getLogger(__name__)

Check = Callable[[], tuple[bool, dict[str, Any]]]


def check_database() -> tuple[bool, dict[str, Any]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return True, {}


def check_cache() -> tuple[bool, dict[str, Any]]:
    ping = getattr(cache, "ping", None)
    if ping is not None:  # Redis (spilka.lib.cache): asks the server, never the fallback
        return bool(ping()), {"backend": "redis"}
    cache.get("healthz")  # the cache table or local memory: raises if it cannot answer
    return True, {"backend": type(cache).__name__}


def _database_tasks() -> bool:
    return isinstance(task_backends["default"], DatabaseBackend)


def check_worker() -> tuple[bool, dict[str, Any]]:
    if not _database_tasks():
        return True, {"in_process": True}  # tasks run in the web process: no worker to watch

    age = heartbeat_newest_age()
    if age is None:
        return False, {"heartbeat_age_seconds": None}
    return age <= settings.SPILKA_WORKER_STALE_SECONDS, {"heartbeat_age_seconds": round(age)}


def check_tasks() -> tuple[bool, dict[str, Any]]:
    if not _database_tasks():
        return True, {"in_process": True}

    waiting = {queue: round(age) for queue, age in tasks_oldest_waiting().items()}
    oldest = max(waiting.values(), default=0)
    return oldest <= settings.SPILKA_HEALTH_TASK_WAIT_SECONDS, {"oldest_waiting_seconds": waiting}


def check_sign_intake() -> tuple[bool, dict[str, Any]]:
    """The Redis sign intake's backlog, as a count: the intake offers no age of its oldest
    entry, and a waiting drain task shows up in ``tasks`` anyway."""
    if not signature_intake.intake_enabled():
        return True, {"enabled": False}
    backlog = signature_intake.signature_intake_backlog()
    return backlog <= settings.SPILKA_HEALTH_INTAKE_BACKLOG, {"backlog": backlog}


CHECKS: dict[str, Check] = {
    "database": check_database,
    "cache": check_cache,
    "worker": check_worker,
    "tasks": check_tasks,
    "sign_intake": check_sign_intake,
}


def report(only: list[str] | None = None) -> tuple[bool, dict[str, Any]]:
    """``(all well, the JSON body)``, for the checks named in ``only`` (all by default)."""
    checks: dict[str, Any] = {}
    failing: list[str] = []
    for name, check in CHECKS.items():
        if only and name not in only:
            continue
        try:
            ok, facts = check()
        except Exception as error:  # noqa: BLE001 - any failure is a failing check
            log.warning("health check %s failed: %s", name, error)
            ok, facts = False, {"error": True}
        checks[name] = {"ok": ok, **facts}
        if not ok:
            failing.append(name)
    body: dict[str, Any] = {"status": "degraded" if failing else "ok", "checks": checks}
    if failing:
        body["failing"] = failing
    return not failing, body
