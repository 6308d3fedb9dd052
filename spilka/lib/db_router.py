"""Send reads to a PostgreSQL read replica when DATABASE_REPLICA_URL is set."""

from typing import Any


class PrimaryReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str:
        from django.db import connections

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
