"""The query planner's statistics after a bulk load.

PostgreSQL plans from statistics that ANALYZE gathers; autovacuum gathers them in time on
most servers, but it may be off (it is on some test and CI servers) or not have run yet
right after a load. Until then the planner takes every freshly filled table for empty and
picks plans that read whole tables row by row: the demo's outreach backfill asked 640
small questions at 20 ms each instead of 0.5 ms. Whoever loads many rows at once (the
demo, a restore) calls this when done.
"""

from __future__ import annotations

from django.db import connection


def refresh_planner_statistics() -> None:
    """ANALYZE every table of the database (PostgreSQL; SQLite plans without them)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
