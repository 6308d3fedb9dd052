"""/healthz: 200 when all is well, 503 "degraded" naming each failing check; counts and
ages only, never anything private."""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from spilka.lib import cache as lib_cache
from spilka.lib import health
from spilka.lib.models import WorkerHeartbeat
from spilka.lib.worker import heartbeat_beat

pytestmark = pytest.mark.django_db


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}
    }
    DBTaskResult.objects.all().delete()  # what loading the demo queued (rolled back after)
    heartbeat_beat(worker_id="w", queues="*", started_at=timezone.now())


def _get(client):
    response = client.get("/healthz")
    return response.status_code, json.loads(response.content)


def test_all_well_with_a_beating_worker_and_a_short_queue(anon, db_tasks):
    from spilka.lib.tasks import send_email

    send_email.enqueue(to=["private@example.org"], subject="Secret subject", body="b")
    status, body = _get(anon)
    assert status == 200
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "worker", "tasks", "sign_intake"}
    assert body["checks"]["tasks"]["oldest_waiting_seconds"] == {"email": 0}
    text = json.dumps(body)
    assert "private@example.org" not in text and "Secret" not in text


def test_a_silent_worker_is_degraded(anon, db_tasks):
    WorkerHeartbeat.objects.update(beat_at=timezone.now() - datetime.timedelta(minutes=10))
    status, body = _get(anon)
    assert status == 503
    assert body["status"] == "degraded"
    assert body["failing"] == ["worker"]
    assert body["checks"]["worker"]["heartbeat_age_seconds"] >= 600


def test_no_worker_ever_is_degraded(anon, db_tasks):
    WorkerHeartbeat.objects.all().delete()
    status, body = _get(anon)
    assert (status, body["failing"]) == (503, ["worker"])


def test_a_task_waiting_too_long_is_degraded(anon, db_tasks, settings):
    from spilka.campaigns.tasks import signature_intake_drain

    result = signature_intake_drain.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(
        run_after=timezone.now() - datetime.timedelta(hours=1)
    )
    status, body = _get(anon)
    assert (status, body["failing"]) == (503, ["tasks"])
    assert body["checks"]["tasks"]["oldest_waiting_seconds"]["default"] >= 3600


def test_a_task_deferred_to_later_is_not_waiting(anon, db_tasks):
    from spilka.campaigns.tasks import signature_intake_drain

    signature_intake_drain.using(run_after=timezone.now() + datetime.timedelta(days=1)).enqueue()
    status, body = _get(anon)
    assert status == 200
    assert body["checks"]["tasks"]["oldest_waiting_seconds"] == {}


def test_redis_down_is_degraded(anon, settings):
    lib_cache._outages.clear()
    settings.CACHES = {
        "default": {
            "BACKEND": "spilka.lib.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:6390/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }
    try:
        status, body = _get(anon)
    finally:
        lib_cache._outages.clear()
    assert (status, body["failing"]) == (503, ["cache"])


def test_a_database_that_does_not_answer_is_degraded(anon, monkeypatch):
    from django.db import OperationalError

    def refused():
        raise OperationalError("connection refused to 10.0.0.5")

    monkeypatch.setitem(health.CHECKS, "database", refused)
    status, body = _get(anon)
    assert (status, body["failing"]) == (503, ["database"])
    assert "10.0.0.5" not in json.dumps(body)  # the error is logged, not shown


def test_a_sign_intake_backlog_is_reported_and_degrades_past_the_limit(anon, monkeypatch, settings):
    from spilka.campaigns.services import signature_intake

    monkeypatch.setattr(signature_intake, "intake_enabled", lambda: True)
    monkeypatch.setattr(signature_intake, "signature_intake_backlog", lambda: 12)
    status, body = _get(anon)
    assert status == 200
    assert body["checks"]["sign_intake"] == {"ok": True, "backlog": 12}
    settings.SPILKA_HEALTH_INTAKE_BACKLOG = 10
    status, body = _get(anon)
    assert (status, body["failing"]) == (503, ["sign_intake"])


def test_an_unreachable_sign_intake_is_degraded(anon, monkeypatch):
    import redis

    from spilka.campaigns.services import signature_intake

    def down():
        raise redis.ConnectionError("refused")

    monkeypatch.setattr(signature_intake, "intake_enabled", lambda: True)
    monkeypatch.setattr(signature_intake, "signature_intake_backlog", down)
    status, body = _get(anon)
    assert (status, body["failing"]) == (503, ["sign_intake"])


def test_a_load_balancer_can_ask_about_the_database_alone(anon, db_tasks):
    WorkerHeartbeat.objects.all().delete()  # the worker is down: no reason to drop this server
    response = anon.get("/healthz?only=database")
    assert response.status_code == 200
    assert set(json.loads(response.content)["checks"]) == {"database"}
    assert anon.get("/healthz").status_code == 503
