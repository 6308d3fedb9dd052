"""The test suite's PostgreSQL backend (tests/postgresql/base.py) empties the tables as
Django's flush does: every table, the append-only ledger included, whatever order the
foreign keys would want."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
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
    if connection.ops.triggers_off_sql():  # a superuser, as in CI: triggers off, then DELETE
        assert statements[0] == "SET LOCAL session_replication_role = replica;"
        assert 'DELETE FROM "funds_transaction";' in statements
        assert len(statements) == len(filled) + 1  # the empty tables are left alone
    else:
        assert 'TRUNCATE "funds_transaction" CASCADE;' in statements
        assert len(statements) == len(filled)
    connection.ops.execute_sql_flush(statements)

    assert _filled_tables() == []
    _assert_triggers_are_back_on()


def test_a_flush_of_tables_already_empty_is_djangos_own_so_content_types_come_back(postgresql):
    # Django's flush creates content types and permissions again only after a non-empty
    # list of statements; the next test's demo restore counts on them.
    connection.ops.execute_sql_flush(sql_flush(no_style(), connection, reset_sequences=False))
    assert _filled_tables() == []

    statements = sql_flush(no_style(), connection, reset_sequences=False)
    assert statements and statements[0].startswith("TRUNCATE ")
    call_command("flush", verbosity=0, interactive=False)
    assert ContentType.objects.exists()


def test_a_role_that_may_not_turn_triggers_off_gets_the_same_empty_tables(postgresql, monkeypatch):
    monkeypatch.setattr(connection.ops, "_may_skip_triggers", False)
    load_demo_fresh(load_all)
    filled = _filled_tables()

    statements = sql_flush(no_style(), connection, reset_sequences=False)
    assert 'TRUNCATE "funds_transaction" CASCADE;' in statements
    assert len(statements) == len(filled)  # the empty tables are left alone
    connection.ops.execute_sql_flush(statements)

    assert _filled_tables() == []


def test_the_demo_restored_with_triggers_off_is_the_demo_and_leaves_them_on(postgresql):
    load_demo_fresh(load_all)  # the copy, written back with triggers off
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM campaigns_signature s "
            "LEFT JOIN campaigns_petition p ON p.id = s.petition_id WHERE p.id IS NULL"
        )
        assert cursor.fetchone()[0] == 0  # every signature's petition came with it
    assert _filled_tables()
    _assert_triggers_are_back_on()


def _assert_triggers_are_back_on() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SHOW session_replication_role")
        assert cursor.fetchone()[0] == "origin"
