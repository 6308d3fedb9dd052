"""PostgreSQL for the test suite: Django's backend, emptying the tables more cheaply.

After each transactional test (live server, browser, concurrency tests) Django empties every
table with one ``TRUNCATE`` of all of them. PostgreSQL gives each truncated table and index
new files, so that took 0.35 s (0.2 s of the server's CPU) even when the test had written
to a handful of tables, about 180 times in each CI pass. Here the tables that hold rows are
found first (one query) and only those are emptied: with ``DELETE`` (foreign keys are
checked at commit, so the order does not matter), or with ``TRUNCATE … CASCADE`` for a
table whose triggers refuse deletes (the ledger's). The result is the same empty tables.

Where the test role may (a superuser, as in CI), the emptying and the demo's restore
(``tests/demo_snapshot.py``) run with ``session_replication_role = replica`` for their
transaction: PostgreSQL then skips the triggers, the foreign keys' among them, which checked
every deleted and copied row once more (the rows are a copy of a consistent database, or
all going). A restore and flush of the demo took 808 ms a test before, 505 ms after, and
565 ms of the server's CPU before, 286 ms after. Every table is then emptied with
``DELETE``, the ledger's too.

A flush that resets sequences or runs with cascades allowed (``available_apps``) is
Django's own. ``tests/template_db.py`` names this backend for PostgreSQL test databases.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.postgresql import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    _may_skip_triggers: bool | None = None

    def triggers_off_sql(self) -> str | None:
        """The statement that turns triggers off until the transaction ends, or None where
        this role may not (only a superuser may set ``session_replication_role``)."""
        if self._may_skip_triggers is None:
            with self.connection.cursor() as cursor:
                cursor.execute("SELECT current_setting('is_superuser') = 'on'")
                self._may_skip_triggers = bool(cursor.fetchone()[0])
        return "SET LOCAL session_replication_role = replica" if self._may_skip_triggers else None

    def sql_flush(
        self,
        style: Any,
        tables: list[str],
        *,
        reset_sequences: bool = False,
        allow_cascade: bool = False,
    ) -> list[str]:
        if reset_sequences or allow_cascade or not tables:
            return super().sql_flush(
                style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        quote = self.quote_name
        probe = " UNION ALL ".join(
            f"SELECT %s WHERE EXISTS (SELECT 1 FROM {quote(table)})" for table in tables
        )
        with self.connection.cursor() as cursor:
            cursor.execute(probe, list(tables))
            filled = [row[0] for row in cursor.fetchall()]
            if not filled:
                # Only after a test emptied every table itself. Django's flush takes an
                # empty list for "no tables" and would not create the content types and
                # permissions again: its own TRUNCATE keeps that rare case plain.
                return super().sql_flush(style, tables)
            triggers_off = self.triggers_off_sql()
            if triggers_off:
                # Run by Django inside one transaction: the setting lasts until its end.
                return [f"{triggers_off};"] + [f"DELETE FROM {quote(table)};" for table in filled]
            cursor.execute(
                "SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger "
                "WHERE NOT tgisinternal AND tgrelid::regclass::text = ANY(%s)",
                [filled],
            )
            guarded = {row[0] for row in cursor.fetchall()}
        statements = [f"TRUNCATE {quote(table)} CASCADE;" for table in filled if table in guarded]
        statements += [f"DELETE FROM {quote(table)};" for table in filled if table not in guarded]
        return statements


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
