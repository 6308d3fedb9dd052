"""The Redis intake: a sign form is acknowledged into a stream and persisted in batches.

Needs the Redis server at 127.0.0.1:6379 (CI has it); skipped with a reason otherwise.
"""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection

from spilka.campaigns.models import Signature, SignatureConsent, SignatureStatus
from spilka.campaigns.services import signature_intake as intake
from spilka.campaigns.services.signing import Signer, signatures_write
from spilka.campaigns.tests.conftest import link_from_mail
from spilka.lib.models import AuditEntry
from spilka.lib.testing import (
    NEEDS_REDIS,
    errors_in_threads,
    own_redis_url,
    redis_up,
    unreachable_redis_url,
)

pytestmark = pytest.mark.skipif(not redis_up(), reason=NEEDS_REDIS)


@pytest.fixture
def redis_intake(settings):
    settings.SPILKA_SIGN_INTAKE = "redis"
    settings.SPILKA_SIGN_INTAKE_DURABLE = True  # declared: the test Redis runs without append-only
    # A database of its own, emptied around each test.
    settings.SPILKA_SIGN_INTAKE_URL = own_redis_url()
    client = intake._redis()
    client.flushdb()
    yield client
    client.flushdb()


def _entry(petition, n: int, **overrides) -> Signer:
    values = {
        "petition_id": petition.pk,
        "full_name": f"Signer {n}",
        "email": f"signer-{n}@example.org",
        "country": "PL",
        "postcode": "",
        "organisation_name": "",
        "show_name": False,
        "consents": [],
        "language": "pl",
        "base_url": "http://testserver",
    }
    values.update(overrides)
    return Signer(**values)


@pytest.mark.django_db
def test_a_signature_through_the_intake_is_stored_mailed_and_confirmable(
    redis_intake, petition, sign, client
):
    usc = petition.campaign.lead_organisation
    response = sign(petition, email="Mariia@Example.org", **{f"consent_{usc.pk}": "on"})
    assert response.status_code == 302
    assert response["Location"].endswith("/thanks/")
    # Tests run tasks at once: the drain the request scheduled has already run.
    signature = Signature.objects.get(petition=petition, email="mariia@example.org")
    assert signature.status == SignatureStatus.PENDING
    assert SignatureConsent.objects.filter(signature=signature, organisation=usc).exists()
    assert AuditEntry.objects.filter(
        action="campaigns.signature.created", object_id=str(signature.pk)
    ).exists()
    assert redis_intake.xlen(intake.STREAM) == 0
    assert redis_intake.get(intake.LEASE) is None
    [message] = mail.outbox
    before = petition.confirmed_count
    client.post(link_from_mail(message))
    petition.refresh_from_db()
    assert petition.confirmed_count == before + 1


@pytest.mark.django_db
def test_a_batch_stores_one_signature_per_address_and_repeats_get_the_repeat_path(
    redis_intake, petition, django_capture_on_commit_callbacks
):
    signatures_write([_entry(petition, 0)])
    with django_capture_on_commit_callbacks(execute=True):
        signatures_write(
            [
                _entry(petition, 0),  # already stored
                _entry(petition, 1),
                _entry(petition, 1, full_name="Twice in one batch"),
                _entry(petition, 2),
            ]
        )
    stored = Signature.objects.filter(petition=petition, email__startswith="signer-")
    assert sorted(stored.values_list("email", flat=True)) == [
        "signer-0@example.org",
        "signer-1@example.org",
        "signer-2@example.org",
    ]
    assert stored.get(email="signer-1@example.org").full_name == "Signer 1"
    confirmations = [m for m in mail.outbox if "signer-1@" in m.to[0] or "signer-2@" in m.to[0]]
    assert len(confirmations) >= 2


@pytest.mark.django_db
def test_entries_left_pending_by_a_drain_that_died_are_persisted_by_the_next(
    redis_intake, petition, monkeypatch
):
    intake._ensure_group(redis_intake)
    for n in range(3):
        redis_intake.xadd(intake.STREAM, {"s": json.dumps(_entry(petition, 100 + n).to_dict())})
    # A drain reads them, then dies before persisting or acknowledging.
    redis_intake.xreadgroup(intake.GROUP, "dead", {intake.STREAM: ">"}, count=10)
    assert Signature.objects.filter(email__startswith="signer-10").count() == 0
    monkeypatch.setattr(intake, "CLAIM_IDLE_MS", 0)
    assert intake.signature_intake_drain(consumer="next") == 3
    assert Signature.objects.filter(email__startswith="signer-10").count() == 3
    assert redis_intake.xlen(intake.STREAM) == 0


@pytest.mark.django_db
def test_entries_queued_with_an_address_hash_before_the_upgrade_are_persisted_without_it(
    redis_intake, petition
):
    old = {**_entry(petition, 200).to_dict(), "ip_hash": "0123456789abcdef"}
    redis_intake.xadd(intake.STREAM, {"s": json.dumps(old)})
    assert intake.signature_intake_drain() == 1
    row = Signature.objects.filter(email="signer-200@example.org").values().get()
    assert "0123456789abcdef" not in {str(value) for value in row.values()}
    assert redis_intake.xlen(intake.STREAM) == 0


@pytest.mark.django_db
def test_without_redis_the_request_signs_directly_and_loses_nothing(settings, petition, sign):
    settings.SPILKA_SIGN_INTAKE = "redis"
    settings.SPILKA_SIGN_INTAKE_DURABLE = True  # declared: the test Redis runs without append-only
    settings.SPILKA_SIGN_INTAKE_URL = unreachable_redis_url()
    response = sign(petition, email="offline@example.org")
    assert response.status_code == 302
    assert Signature.objects.filter(petition=petition, email="offline@example.org").exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL (CI runs it)"
)
def test_eight_threads_submitting_at_once_leave_exactly_one_row_per_address(
    redis_intake, open_petition
):
    petition = open_petition

    def submit_every_address_twice(n: int) -> None:
        for k in range(25):
            # Every address is submitted twice, by two different threads.
            intake.signature_submit(
                Signer(
                    petition_id=petition.pk,
                    full_name=f"Thread {n}",
                    email=f"load-{(n * 25 + k) % 100}@example.org",
                    country="GB",
                    language="en",
                    base_url="http://testserver",
                ),
                petition=petition,
            )

    errors = errors_in_threads(submit_every_address_twice, 8)
    intake.signature_intake_drain(consumer="final")  # whatever a thread left for later
    assert errors == []
    assert Signature.objects.filter(petition=petition, email__startswith="load-").count() == 100
    assert redis_intake.xlen(intake.STREAM) == 0


@pytest.mark.django_db
def test_a_process_reuses_a_petitions_state_for_the_configured_second(settings, petition):
    from spilka.campaigns.models import Petition
    from spilka.campaigns.selectors import campaigns as selectors

    settings.SPILKA_PETITION_STATE_SECONDS = 60
    selectors._recent_states.clear()
    first = selectors.petition_state_recent(petition.slug)
    Petition.objects.filter(pk=petition.pk).update(status="closed")
    assert selectors.petition_state_recent(petition.slug) == first  # within the window
    selectors._recent_states.clear()  # the window has passed
    assert selectors.petition_state_recent(petition.slug).status == "closed"
    settings.SPILKA_PETITION_STATE_SECONDS = 0
    Petition.objects.filter(pk=petition.pk).update(status="open")
    assert selectors.petition_state_recent(petition.slug).status == "open"


# --- Durability: nothing acknowledged waits for a later signature ----------------------


@pytest.mark.django_db
def test_a_drain_killed_mid_batch_is_finished_by_the_next_timer_run(
    redis_intake, petition, monkeypatch
):
    from spilka.lib import worker
    from spilka.lib.worker import Keeper

    # The keeper drops its connections between ticks; here one holds the test's transaction.
    monkeypatch.setattr(worker, "close_old_connections", lambda: None)
    monkeypatch.setattr(worker, "forget_connections", lambda: None)
    intake._ensure_group(redis_intake)
    for n in range(4):
        redis_intake.xadd(intake.STREAM, {"s": json.dumps(_entry(petition, 300 + n).to_dict())})
    # A drain took the lease, read the batch, and was SIGKILLed before committing it.
    redis_intake.set(intake.LEASE, 1, ex=intake.LEASE_SECONDS)
    redis_intake.xreadgroup(intake.GROUP, "killed", {intake.STREAM: ">"}, count=10)
    assert 0 < redis_intake.ttl(intake.LEASE) <= intake.LEASE_SECONDS  # it cannot outlive it
    redis_intake.delete(intake.LEASE)  # ...and it has run out: the killed drain renews nothing
    monkeypatch.setattr(intake, "CLAIM_IDLE_MS", 0)
    mail.outbox.clear()

    Keeper(worker_id="timer", queues="default").tick()  # the worker's timer; tasks run at once

    stored = Signature.objects.filter(email__startswith="signer-30")
    assert stored.count() == 4
    assert redis_intake.xlen(intake.STREAM) == 0
    assert redis_intake.get(intake.LEASE) is None
    assert sorted(m.to[0] for m in mail.outbox) == sorted(stored.values_list("email", flat=True))


@pytest.mark.django_db
def test_entries_read_again_after_redis_lost_the_ack_are_neither_stored_nor_mailed_twice(
    redis_intake, petition
):
    """Redis killed after a drain committed but before its XACK/XDEL reached the append-only
    file: on restart the entries are back. bench/faults.py saw 148 second mails from this."""
    intake._ensure_group(redis_intake)
    entries = [_entry(petition, 400 + n) for n in range(3)]
    ids = [redis_intake.xadd(intake.STREAM, {"s": json.dumps(e.to_dict())}) for e in entries]
    mail.outbox.clear()
    intake.signature_intake_drain()
    assert Signature.objects.filter(email__startswith="signer-40").count() == 3
    assert len(mail.outbox) == 3
    # The restart replays the file: the same entries, with the same ids, back in the stream.
    redis_intake.delete(intake.STREAM)
    for entry_id, entry in zip(ids, entries, strict=True):
        redis_intake.xadd(intake.STREAM, {"s": json.dumps(entry.to_dict())}, id=entry_id)
    intake._ensure_group(redis_intake)
    cache.clear()  # the cache shared that Redis: its "mailed just now" marks went with it
    intake.signature_intake_drain()

    assert Signature.objects.filter(email__startswith="signer-40").count() == 3
    assert len(mail.outbox) == 3  # nobody mailed twice
    assert redis_intake.xlen(intake.STREAM) == 0


@pytest.mark.django_db
def test_the_timer_queues_no_drain_while_a_live_drain_holds_the_lease_or_nothing_waits(
    redis_intake, petition
):
    assert intake.intake_tick() is False  # nothing waits
    redis_intake.xadd(intake.STREAM, {"s": json.dumps(_entry(petition, 400).to_dict())})
    redis_intake.set(intake.LEASE, 1, ex=intake.LEASE_SECONDS)
    assert intake.intake_tick() is False  # the drain holding the lease will take it
    assert redis_intake.xlen(intake.STREAM) == 1


@pytest.mark.django_db
def test_with_redis_down_a_signature_is_committed_and_mailed_in_the_request(
    settings, petition, sign
):
    settings.SPILKA_SIGN_INTAKE = "redis"
    settings.SPILKA_SIGN_INTAKE_DURABLE = True
    settings.SPILKA_SIGN_INTAKE_URL = unreachable_redis_url()
    mail.outbox.clear()
    response = sign(petition, email="redis-down@example.org")
    assert response.status_code == 302
    assert response["Location"].endswith("/thanks/")
    signature = Signature.objects.get(petition=petition, email="redis-down@example.org")
    assert AuditEntry.objects.filter(
        action="campaigns.signature.created", object_id=str(signature.pk)
    ).exists()
    assert [m.to for m in mail.outbox] == [["redis-down@example.org"]]


@pytest.mark.django_db
def test_a_redis_without_append_only_is_not_trusted_with_signatures(settings, petition, sign):
    from spilka.campaigns.intake_checks import check_intake_persists

    settings.SPILKA_SIGN_INTAKE = "redis"
    settings.SPILKA_SIGN_INTAKE_DURABLE = False
    settings.SPILKA_SIGN_INTAKE_URL = own_redis_url()
    client = intake._redis()
    client.flushdb()
    intake._durable.clear()
    if client.config_get("appendonly").get("appendonly") == "yes":
        pytest.skip("this Redis persists; the refusal cannot be shown")
    [error] = check_intake_persists()
    assert error.id == "spilka.E001" and "appendonly" in error.msg
    response = sign(petition, email="no-aof@example.org")
    assert response.status_code == 302
    assert Signature.objects.filter(petition=petition, email="no-aof@example.org").exists()
    assert client.xlen(intake.STREAM) == 0  # never acknowledged into the volatile store
    intake._durable.clear()


def test_the_check_is_silent_when_the_intake_is_off_or_declared_durable(settings):
    from spilka.campaigns.intake_checks import check_intake_persists

    settings.SPILKA_SIGN_INTAKE = "direct"
    assert check_intake_persists() == []
    settings.SPILKA_SIGN_INTAKE = "redis"
    settings.SPILKA_SIGN_INTAKE_URL = own_redis_url()
    settings.SPILKA_SIGN_INTAKE_DURABLE = True
    assert check_intake_persists() == []


@pytest.mark.django_db
def test_a_signature_kept_in_the_stream_is_acknowledged_though_the_database_refuses_its_drain(
    redis_intake, petition, sign, monkeypatch
):
    from django.db.utils import OperationalError

    def refused() -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr(intake, "_queue_drain", refused)
    response = sign(petition, email="kept@example.org")
    assert response.status_code == 302  # acknowledged: it is in the stream, not an outage page
    assert response["Location"].endswith("/thanks/")
    assert redis_intake.xlen(intake.STREAM) == 1
    monkeypatch.undo()  # the database is back; the lease of the refused drain runs out
    redis_intake.delete(intake.LEASE)
    assert intake.intake_tick() is True  # the timer queues the drain (run at once in tests)
    assert Signature.objects.filter(petition=petition, email="kept@example.org").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("drain_first", [False, True])
def test_an_entry_redis_took_before_its_answer_was_cut_is_stored_and_mailed_once(
    redis_intake, petition, sign, monkeypatch, drain_first
):
    """bench/faults.py, Redis restarted: Redis ran the append, its answer never came, the
    request signed directly; the drain then found the entry too and mailed a second time."""
    import redis

    real_append = intake._append

    def cut(*args, **kwargs):
        real_append(*args, **kwargs)
        raise redis.ConnectionError("Connection closed by server.")

    monkeypatch.setattr(intake, "_append", cut)
    if not drain_first:  # the drain runs after Redis is back, on the timer
        monkeypatch.setattr(intake, "_queue_drain", lambda: None)
    mail.outbox.clear()
    response = sign(petition, email="cut-answer@example.org")
    assert response["Location"].endswith("/thanks/")
    monkeypatch.undo()
    # With Redis down the web process kept its "mailed a moment ago" mark in its own memory:
    # the worker that drains does not see it.
    cache.clear()
    redis_intake.delete(intake.LEASE)
    intake.intake_tick()
    assert redis_intake.xlen(intake.STREAM) == 0
    assert Signature.objects.filter(petition=petition, email="cut-answer@example.org").count() == 1
    assert [m.to for m in mail.outbox] == [["cut-answer@example.org"]]
