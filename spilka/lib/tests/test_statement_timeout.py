"""``SPILKA_DB_STATEMENT_TIMEOUT_MS``: a web request's statement that runs too long is
cancelled by PostgreSQL and answered with the outage page (503), while the worker's and the
commands' connections keep no limit (spilka/lib/db_timeout.py, installed by spilka/wsgi.py)."""

from __future__ import annotations

import importlib
import sys

import pytest
from django.db import connection
from django.db.backends.signals import connection_created
from django.test import Client
from django.test.utils import CaptureQueriesContext

from spilka.lib import db_timeout
from spilka.network import selectors

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="statement_timeout is PostgreSQL's"
)


def _limit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return cursor.fetchone()[0]


@pytest.fixture
def web_server(settings):
    """This process as a web server with a 500 ms limit, on the connection it opens next."""
    settings.SPILKA_DB_STATEMENT_TIMEOUT_MS = 500
    assert db_timeout.statement_timeout_install()
    connection.close()
    yield
    connection_created.disconnect(dispatch_uid="spilka-statement-timeout")
    connection.close()  # no connection with the limit outlives the test


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_request_whose_statement_runs_too_long_answers_the_outage_page(web_server, monkeypatch):
    def slow(**kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(30)")
        return []

    monkeypatch.setattr(selectors, "directory_countries", slow)
    client = Client(raise_request_exception=False)  # as in production: the handler answers
    response = client.get("/uk/organisations/")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response["Content-Language"] == "uk"
    assert 'data-error-page="503"' in response.content.decode()
    # The connection stays usable for the next request.
    monkeypatch.undo()
    assert client.get("/uk/organisations/").status_code == 200


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_web_servers_connections_carry_the_limit_and_the_others_none(settings, web_server):
    assert _limit() == "500ms"
    connection_created.disconnect(dispatch_uid="spilka-statement-timeout")
    connection.close()
    # A worker or a command shares the environment but never installs it: no limit.
    assert settings.SPILKA_DB_STATEMENT_TIMEOUT_MS == 500
    assert _limit() == "0"


def test_off_by_default_nothing_is_installed(settings):
    settings.SPILKA_DB_STATEMENT_TIMEOUT_MS = 0
    assert db_timeout.statement_timeout_install() is False


def test_the_wsgi_module_installs_it(monkeypatch):
    installed: list[bool] = []
    monkeypatch.setattr(db_timeout, "statement_timeout_install", lambda: installed.append(True))
    monkeypatch.delitem(sys.modules, "spilka.wsgi", raising=False)
    importlib.import_module("spilka.wsgi")
    assert installed == [True]


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite case")
@pytest.mark.django_db
def test_a_sqlite_connection_is_left_as_it_is(settings):
    settings.SPILKA_DB_STATEMENT_TIMEOUT_MS = 500
    with CaptureQueriesContext(connection) as queries:
        db_timeout.statement_timeout_set(sender=type(connection), connection=connection)
    assert len(queries) == 0
