"""The test suite's PostgreSQL backend (tests/postgresql/base.py) empties the tables as
Django's flush does: every table, the append-only ledger included, whatever order the
foreign keys would want."""

from __future__ import annotations

import pytest
from django.core.management.color import no_style
from django.core.management.sql import sql_flush
from django.db import connection

from spilka.demo import load_all
from tests.demo_snapshot import load_demo_fresh

pytestmark = pytest.mark.django_db(transaction=True)


def _filled_tables() -> list[str]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        filled = []
        for table in connection.introspection.django_table_names(only_existing=True):
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {quote(table)})")
            if cursor.fetchone()[0]:
                filled.append(table)
    return filled


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the suite's own PostgreSQL backend (CI runs it)")


def test_the_test_databases_use_the_suites_backend(postgresql):
    assert type(connection.ops).__module__ == "tests.postgresql.base"


def test_a_flush_empties_every_table_the_demo_filled_ledger_included(postgresql):
    load_demo_fresh(load_all)
    filled = _filled_tables()
    assert {"funds_transaction", "accounts_user", "network_organisation"} <= set(filled)

    statements = sql_flush(no_style(), connection, reset_sequences=False)
    assert 'TRUNCATE "funds_transaction" CASCADE;' in statements
    assert len(statements) == len(filled)  # the empty tables are left alone
    connection.ops.execute_sql_flush(statements)

    assert _filled_tables() == []
    assert sql_flush(no_style(), connection, reset_sequences=False) == []
