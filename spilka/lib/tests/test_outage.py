"""While the database refuses connections every page answers a 503 with Retry-After, in the
visitor's language, without touching the database; the API answers JSON in its own error
shape; /healthz still reports what is degraded (spilka/lib/outage.py)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection
from django.db.utils import OperationalError
from django.test import Client

from spilka.lib.outage import QuietOutages, database_down

pytestmark = pytest.mark.django_db


@contextmanager
def database_refusing() -> Iterator[list[int]]:
    """Every new query fails to connect, as when PostgreSQL refuses connections."""
    attempts: list[int] = []

    def refuse() -> None:
        attempts.append(1)
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed')

    real = connection.ensure_connection
    connection.ensure_connection = refuse  # type: ignore[method-assign]
    try:
        yield attempts
    finally:
        connection.ensure_connection = real  # type: ignore[method-assign]


def _client(client: Client) -> Client:
    client.raise_request_exception = False  # as in production: the handler answers
    return client


def _assert_outage_page(response, language: str) -> str:
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response["Content-Language"] == language
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert 'data-error-page="503"' in page
    assert "/static/spilka/spilka.css" in page or "spilka.css" in page
    return page


@pytest.mark.parametrize(("language", "home"), [("en", "To the home page"), ("uk", "На головну")])
def test_a_public_page_answers_503_in_the_visitors_language(demo, language, home):
    client = _client(Client())
    with database_refusing() as attempts:
        response = client.get(f"/{language}/organisations/")
    page = _assert_outage_page(response, language)
    assert attempts  # the page did try the database, and the answer needed it no more
    assert "data-outage" not in page  # nothing was sent: nothing to say about it
    assert home not in page  # a reading visitor is offered to try again


def test_a_signed_in_page_answers_503_although_the_session_cannot_be_read(usc_admin, login):
    client = _client(login(usc_admin))
    with database_refusing():
        response = client.get("/uk/accounts/")
    _assert_outage_page(response, "uk")


@pytest.mark.parametrize("language", ["en", "uk"])
def test_a_form_posted_during_the_outage_is_asked_to_check_before_sending_again(demo, language):
    client = _client(Client())
    with database_refusing():
        response = client.post(
            f"/{language}/petitions/iaea-zaporizhzhia/sign/",
            {"full_name": "Olena", "email": "olena@example.org", "country": "UA"},
        )
    page = _assert_outage_page(response, language)
    assert 'data-outage="maybe-saved"' in page
    assert 'href="/"' in page  # not a link that would GET the form's address


@pytest.mark.parametrize("language", ["en", "uk"])
def test_the_api_answers_json_503_in_its_error_shape(demo, language):
    client = _client(Client())
    with database_refusing():
        response = client.get("/api/v1/organisations/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Content-Language"] == language
    body = json.loads(response.content)
    assert set(body) == {"error", "detail"}
    assert body["detail"]["code"] == "unavailable"
    assert body["detail"]["retry_after_seconds"] == int(response["Retry-After"])
    assert body["detail"]["maybe_saved"] is False


def test_healthz_still_reports_the_database_degraded(anon):
    with database_refusing():
        response = _client(anon).get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "degraded"
    assert body["checks"]["database"] == {"ok": False, "error": True}


def test_other_errors_still_get_the_plain_500_page(anon, monkeypatch):
    from spilka.lib import views as lib_views

    def broken(*args, **kwargs):
        raise ValueError("a bug, not an outage")

    monkeypatch.setattr(lib_views, "report", broken)
    response = _client(anon).get("/healthz")
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert b'data-error-page="500"' in response.content


def test_one_line_is_logged_per_refused_request_and_no_stack_trace(demo, caplog):
    client = _client(Client())
    with caplog.at_level(logging.WARNING), database_refusing():
        client.get("/en/organisations/")
    lines = [r for r in caplog.records if r.name in ("spilka.lib.outage", "django.request")]
    assert [r.name for r in lines if QuietOutages().filter(r)] == ["spilka.lib.outage"]
    assert all(r.exc_info is None for r in lines if r.name == "spilka.lib.outage")


def test_an_outage_is_recognised_through_the_errors_raised_from_it():
    try:
        try:
            raise OperationalError("server closed the connection unexpectedly")
        except OperationalError as error:
            raise RuntimeError("rendering failed") from error
    except RuntimeError as wrapped:
        assert database_down(wrapped)
    assert not database_down(ValueError("no"))


def test_a_query_bug_is_not_taken_for_an_outage():
    import sqlite3

    def wrapped(driver_error):
        try:
            raise OperationalError(str(driver_error)) from driver_error
        except OperationalError as error:
            return error

    assert not database_down(wrapped(sqlite3.OperationalError("no such column: nickname")))
    assert database_down(wrapped(sqlite3.OperationalError("database is locked")))

    class PsycopgLike(Exception):
        def __init__(self, sqlstate):
            super().__init__(sqlstate)
            self.sqlstate = sqlstate

    assert not database_down(wrapped(PsycopgLike("42703")))  # undefined column: a bug
    assert database_down(wrapped(PsycopgLike("57014")))  # cancelled by statement_timeout
    assert database_down(wrapped(PsycopgLike(None)))  # the server never answered
