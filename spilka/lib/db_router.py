"""Send some reads to a PostgreSQL read replica when DATABASE_REPLICA_URL is set.

Only the public directory's tables are read from the replica, and only outside a
transaction. Sessions, accounts, two-factor devices and the task queue always use the
primary: a lagging replica must never sign someone out or hand a task to two workers.
"""

from typing import Any

REPLICA_APPS = frozenset({"network"})


class PrimaryReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str:
        from django.db import connections

        if model._meta.app_label not in REPLICA_APPS:
            return "default"
        # Inside a transaction, read what this transaction wrote.
        if connections["default"].in_atomic_block:
            return "default"
        return "replica"

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool:
        return db == "default"
