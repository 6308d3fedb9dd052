"""The demo for transactional (and so browser) tests, loaded once per test process.

A transactional test empties every table after it runs, so each test that needs the demo
loaded it again: about 8 CPU-seconds on SQLite (half of them the outreach supporters'
backfill) and thousands of commits on PostgreSQL. ``load_demo_fresh(loader)`` runs the
loader once per process (or not at all: the session's own load of the demo keeps its copy,
``load_demo_remembered``), keeps a copy of every table as the loader left it, and for the
next test writes that copy back into the emptied tables: the same rows, primary keys and
all, as the loader made. Each test still starts from exactly the demo and nothing else, and
what it changes is emptied after it as before.

- PostgreSQL: ``COPY`` of each table that holds rows, out and back in.
- SQLite: the whole database, copied into a second in-memory database and back with
  SQLite's backup API (as Django clones an in-memory test database). One page-by-page
  copy in C replaced an ``INSERT`` per row from Python: 160 -> 6 ms of CPU for the demo
  (median of ten).

The copy is only written back into tables as empty as the ones it was taken from (the
row counts are compared first); anywhere else (a test that made rows of its own first, or
a rolled-back test, where the session's demo is already loaded) the loader runs as
before.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.management.color import no_style
from django.db import connection, transaction

from spilka.lib import process_cache

# PostgreSQL: each table's rows as ``COPY`` wrote them; SQLite: a copy of the database.
Dumped = dict[str, bytes] | sqlite3.Connection


@dataclass
class _Snapshot:
    empty_counts: dict[str, int]
    result: Any
    tables: Dumped


_snapshots: dict[str, _Snapshot] = {}


def _tables() -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True))


def _counts(tables: list[str]) -> dict[str, int]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join(
                f"SELECT '{table}', COUNT(*) FROM {quote(table)}" for table in tables
            )
        )
        return dict(cursor.fetchall())


def _dump(tables: list[str]) -> Dumped:
    if connection.vendor != "postgresql":
        connection.ensure_connection()
        copy = sqlite3.connect(":memory:")
        connection.connection.backup(copy)
        return copy
    quote = connection.ops.quote_name
    dumped: dict[str, bytes] = {}
    with connection.cursor() as cursor:
        for table in tables:
            data = bytearray()
            with cursor.cursor.copy(f"COPY {quote(table)} TO STDOUT") as copy:
                for block in copy:
                    data += block
            if data:
                dumped[table] = bytes(data)
    return dumped


def _restore(tables: list[str], dumped: Dumped, counts: dict[str, int]) -> None:
    if isinstance(dumped, sqlite3.Connection):
        # Every table, content types and sequences included, as they were when copied.
        dumped.backup(connection.connection)
        return
    # The tables are as empty as after the flush the copy was taken from: only those the
    # flush filled again (content types, permissions) hold rows. Deleting those few is
    # cheaper than emptying all of them again (on PostgreSQL a TRUNCATE of every table
    # cost 0.4 s per test).
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        # The suite's PostgreSQL backend (tests/postgresql) may turn triggers off for this
        # transaction: the copied rows were checked when they were first written.
        triggers_off = getattr(connection.ops, "triggers_off_sql", lambda: None)()
        if triggers_off:
            cursor.execute(triggers_off)
        for table in tables:
            if counts.get(table):
                cursor.execute(f"DELETE FROM {quote(table)}")
        for table, data in dumped.items():
            with cursor.cursor.copy(f"COPY {quote(table)} FROM STDIN") as copy:
                copy.write(data)
        # The emptied tables' sequences may have been reset: keep them past the rows.
        models = [m for m in _all_models() if m._meta.db_table in dumped]
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


def _all_models() -> list[Any]:
    return list(apps.get_models(include_auto_created=True))


def _forget_cached_state() -> None:
    # The rows changed underneath every cache: start from none, as after a real load.
    ContentType.objects.clear_cache()
    for cache in caches.all():
        cache.clear()
    process_cache.clear_all()


def load_demo_remembered(loader: Callable[[], Any]) -> Any:
    """Run ``loader()`` into freshly migrated tables and keep its copy, so the first
    ``load_demo_fresh(loader)`` of this process writes the copy back rather than running
    the loader a second time (the session loads the demo once for the tests that roll
    back; the transactional tests, after emptying the tables, want the same rows)."""
    empty_counts = migrated_counts()
    result = loader()
    remember(loader, empty_counts, result)
    return result


def migrated_counts() -> dict[str, int]:
    """The row counts of freshly migrated tables (to hand to ``remember``)."""
    return _counts(_tables())


def remember(loader: Callable[[], Any], empty_counts: dict[str, int], result: Any) -> None:
    """Keep a copy of the tables as they are, as if ``loader()`` had just filled freshly
    migrated tables (which had ``empty_counts`` rows) and returned ``result``: for a
    database copied from one the loader filled (tests/template_db.py)."""
    _snapshots[_key(loader)] = _Snapshot(
        empty_counts=empty_counts, result=result, tables=_dump(_tables())
    )


def _key(loader: Callable[[], Any]) -> str:
    return f"{loader.__module__}.{loader.__qualname__}"


def load_demo_fresh(loader: Callable[[], Any]) -> Any:
    """``loader()``'s tables for this test, from a copy after the first time in a process."""
    if connection.in_atomic_block:
        # A test rolled back after it runs: the session's demo is there; load as before.
        return loader()
    key = _key(loader)
    tables = _tables()
    snapshot = _snapshots.get(key)
    if snapshot is not None and _counts(tables) == snapshot.empty_counts:
        _restore(tables, snapshot.tables, snapshot.empty_counts)
        _forget_cached_state()
        return snapshot.result
    empty_counts = _counts(tables)
    result = loader()
    if snapshot is None:
        remember(loader, empty_counts, result)
    return result
