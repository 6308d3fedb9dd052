"""Send some reads to a PostgreSQL read replica when DATABASE_REPLICA_URL is set.

Only the public directory's tables (organisations, relationships, working groups) are
read from the replica, and only outside a transaction. Roles, people, emails,
memberships and consents always come from the primary: a lagging replica must never
show a person to someone whose role was just revoked, nor keep showing a withdrawn
consent. Sessions, accounts, two-factor devices and the task queue use the primary too:
a lagging replica must never sign someone out or hand a task to two workers.
"""

from typing import Any

from django.db import connections

REPLICA_MODELS = frozenset(
    {("network", "organisation"), ("network", "relationship"), ("network", "workinggroup")}
)


class PrimaryReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str:
        if (model._meta.app_label, model._meta.model_name) not in REPLICA_MODELS:
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
