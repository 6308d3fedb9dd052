"""The Redis intake: acknowledge a signature into a durable stream, write it in batches.

Why it exists: on PostgreSQL a signature written in the request waits for its own commit
(an fsync) in a web worker; appended to a Redis stream it costs one round trip, and the
drain writes up to 500 signers per commit through the same writer as the direct path
(``signing.signatures_write``). bench/sign.py measures both (bench/README.md).

The promise (docs/architecture.md): an acknowledged signature is committed in the
database or in the stream of a Redis that persists (append-only), and reaches the database
without anyone else acting, after any single fault.
- Only a Redis that persists is used (``intake_durable``: ``CONFIG GET appendonly``, or
  SPILKA_SIGN_INTAKE_DURABLE=true where CONFIG is disabled); otherwise, and whenever Redis
  cannot be reached, the request writes directly (``petition_sign``).
- Entries are read through a consumer group and acknowledged only after their batch has
  committed; a drain that dies leaves them pending and a later drain claims them.
- No flag outlives its drain: the drain holds a lease (``LEASE``, a few seconds) that it
  renews while it works; a signature that finds no lease takes it and queues a drain.
- Drains also run on a timer: the task worker's keeper (``intake_tick``, every heartbeat)
  queues one whenever entries wait and no drain holds the lease, so nothing waits for a
  later signature.
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from dataclasses import replace
from typing import Any

from django.conf import settings
from django.db.utils import InterfaceError, OperationalError
from django_tasks import task

from spilka.campaigns.models import Petition
from spilka.campaigns.services.signing import Signer, petition_sign, signatures_write
from spilka.lib.abuse import LIMITED, REPLAYED, AbuseMarks, marks_record

log = logging.getLogger(__name__)

STREAM = "spilka:sign-intake"
GROUP = "persist"
LEASE = "spilka:sign-intake:drain-lease"
LEASE_SECONDS = 10  # a drain renews it each batch; a dead drain's lease is gone this soon
BATCH = 500
SETTLE_SECONDS = 0.5
RUN_SECONDS = 60  # then the drain ends and the next one (signature or timer) takes over
CLAIM_IDLE_MS = 30_000  # entries pending this long belong to a drain that died
DURABLE_RECHECK_SECONDS = 60

_clients: dict[str, Any] = {}
_durable: dict[str, tuple[float, bool]] = {}


def _redis() -> Any:
    url = settings.SPILKA_SIGN_INTAKE_URL
    client = _clients.get(url)
    if client is None:
        import redis

        client = _clients[url] = redis.Redis.from_url(
            url, socket_timeout=2, socket_connect_timeout=1
        )
    return client


def _redis_errors() -> tuple[type[Exception], ...]:
    import redis

    return (redis.RedisError, OSError)


def intake_enabled() -> bool:
    return settings.SPILKA_SIGN_INTAKE == "redis"


def redis_persistence(client: Any) -> str | None:
    """None when the intake's Redis keeps what it acknowledged; else why not."""
    if settings.SPILKA_SIGN_INTAKE_DURABLE:
        return None
    try:
        answer = client.config_get("appendonly")
    except _redis_errors() as error:
        return f"cannot ask Redis whether it persists ({error}); set SPILKA_SIGN_INTAKE_DURABLE=true if it does"
    if answer.get("appendonly") != "yes" and answer.get(b"appendonly") != b"yes":
        return "Redis runs without append-only persistence (appendonly no)"
    return None


def intake_durable() -> bool:
    """Whether this process may acknowledge into the stream now (asked once a minute)."""
    if settings.SPILKA_SIGN_INTAKE_DURABLE:
        return True
    url = settings.SPILKA_SIGN_INTAKE_URL
    held = _durable.get(url)
    now = time.monotonic()
    if held is not None and held[0] > now:
        return held[1]
    problem = redis_persistence(_redis())
    if problem is not None:
        log.error("sign intake not used, signatures are written directly: %s", problem)
    _durable[url] = (now + DURABLE_RECHECK_SECONDS, problem is None)
    return problem is None


def signature_submit(
    signer: Signer, *, petition: Petition, marks: AbuseMarks | None = None
) -> str | None:
    """Accept a signature: into the intake stream, or straight into the database.

    ``marks`` are the anti-abuse marks the form still owes (``anonymous_form_screen``);
    they are recorded first, and a refusal (``abuse.LIMITED`` or ``abuse.REPLAYED``) is
    returned with nothing stored. None means accepted (and durably kept).
    """
    if intake_enabled():
        # Named before it is sent: when Redis fails after taking the entry (a restart cuts
        # the answer), the direct write below carries the same key, and the drain that
        # later finds the entry recognises it as written (no second row, no second mail).
        key = secrets.token_hex(16)
        recorded = False
        try:
            if intake_durable():
                shared = _cache_sharing_intake() if marks is not None else None
                if shared is not None:  # one script: the marks and the entry together
                    return _append(signer, key, marks, shared)
                if marks is not None:  # the marks live in another Redis: first, then the entry
                    recorded = True
                    refused = marks_record(marks)
                    if refused is not None:
                        return refused
                return _append(signer, key, None, None)
        except _redis_errors() as error:
            log.warning("sign intake unavailable, signing directly: %s", error)
        if recorded:
            marks = None
        signer = replace(signer, intake_key=key)
    if marks is not None:
        refused = marks_record(marks)  # the cache degrades to this process without Redis
        if refused is not None:
            return refused
    petition_sign(signer, petition=petition)
    return None


def _cache_sharing_intake() -> Any:
    """The default cache when it is the intake's Redis database (one server, same URL)."""
    from django.core.cache import caches

    from spilka.lib.cache import RedisCache

    cache = caches["default"]
    if isinstance(cache, RedisCache) and cache.single_server == settings.SPILKA_SIGN_INTAKE_URL:
        return cache
    return None


# After the form's anti-abuse marks (none: KEYS[1] and KEYS[2] empty), append and say
# whether a drain must be queued (1: this entry took the free lease). -2 a replayed
# proof-of-work solution, -1 over the rate limit; nothing appended either way. The
# solution is spent first, so a replay is not counted against the address (as in
# lib/abuse.marks_record); once appended the spent mark takes the form's ``pow_value``
# (a double click's twin is then recognised, as in marks_record).
_ACCEPT = (
    "if KEYS[1] ~= '' then "
    " if not redis.call('set', KEYS[2], 1, 'NX', 'EX', ARGV[3]) then return -2 end "
    " local n = redis.call('incr', KEYS[1]) "
    " if n == 1 then redis.call('expire', KEYS[1], ARGV[1]) end "
    " if n > tonumber(ARGV[2]) then return -1 end "
    "end "
    "redis.call('xadd', KEYS[3], '*', 's', ARGV[4]) "
    "if KEYS[1] ~= '' and ARGV[6] ~= '1' then redis.call('set', KEYS[2], ARGV[6], 'EX', ARGV[3]) end "
    "if redis.call('set', KEYS[4], 1, 'NX', 'EX', ARGV[5]) then return 1 end return 0"
)


_scripts: dict[int, Any] = {}


def _accept_script(client: Any) -> Any:
    script = _scripts.get(id(client))
    if script is None:
        script = _scripts[id(client)] = client.register_script(_ACCEPT)
    return script


def _append(signer: Signer, key: str, marks: AbuseMarks | None, cache: Any) -> str | None:
    # The key goes into the entry, not through ``replace``: a new Signer would check the
    # address it was built with once more.
    payload = json.dumps({**signer.to_dict(), "intake_key": key}, separators=(",", ":"))
    if marks is None:
        keys, args = ["", "", STREAM, LEASE], [0, 0, 0, payload, LEASE_SECONDS, 1]
        client = _redis()
    else:
        keys = [cache.full_key(marks.rate_key), cache.full_key(marks.pow_key), STREAM, LEASE]
        args = [
            marks.rate_seconds,
            marks.limit,
            marks.pow_seconds,
            payload,
            LEASE_SECONDS,
            marks.pow_value,
        ]
        client = cache.write_client()
    answer = _accept_script(client)(keys=keys, args=args, client=client)
    if answer == -1:
        return LIMITED
    if answer == -2:
        return REPLAYED
    if answer == 1:
        try:
            _queue_drain()
        except (OperationalError, InterfaceError) as error:
            # The entry is in the stream: acknowledged. Its drain is queued by the worker's
            # timer once this lease has run out and the database answers again; the visitor
            # is not shown an outage page for a signature that was kept.
            log.warning("sign intake: drain not queued (%s); the timer will queue it", error)
    return None


def _queue_drain() -> None:
    signature_intake_drain_task.enqueue()


def intake_tick() -> bool:
    """The timer (the worker's keeper calls it every heartbeat): queue a drain when entries
    wait and no drain holds the lease. Returns whether it queued one."""
    if not intake_enabled():
        return False
    try:
        client = _redis()
        if not client.xlen(STREAM) or not client.set(LEASE, 1, nx=True, ex=LEASE_SECONDS):
            return False
    except _redis_errors() as error:
        log.warning("sign intake timer: Redis unreachable (%s)", error)
        return False
    _queue_drain()
    return True


def _ensure_group(client: Any) -> None:
    import redis

    try:
        client.xgroup_create(STREAM, GROUP, id="0", mkstream=True)
    except redis.ResponseError as error:
        if "BUSYGROUP" not in str(error):
            raise


def signature_intake_drain(*, consumer: str = "drain") -> int:
    """Persist what waits in the stream; return how many entries were handled."""
    client = _redis()
    _ensure_group(client)
    handled = 0
    started = time.monotonic()
    while time.monotonic() - started < RUN_SECONDS:
        client.set(LEASE, 1, ex=LEASE_SECONDS)  # held (renewed) while this drain works
        # First what a drain that died left pending, then everything new.
        _, entries, *_ = client.xautoclaim(
            STREAM, GROUP, consumer, CLAIM_IDLE_MS, "0-0", count=BATCH
        )
        entries = entries or _read(client, consumer)
        if entries:
            handled += _persist_and_ack(client, entries)
            if len(entries) < BATCH:
                time.sleep(SETTLE_SECONDS)  # let a batch gather: one commit for many signers
            continue
        client.delete(LEASE)
        # An entry added after the read above but before the delete found the lease held
        # and counted on us: read once more. Anything later queues its own drain.
        entries = _read(client, consumer)
        if not entries:
            return handled
        handled += _persist_and_ack(client, entries)
        if not client.set(LEASE, 1, nx=True, ex=LEASE_SECONDS):
            return handled  # another drain was queued meanwhile; it takes the rest
    client.delete(LEASE)  # run long enough: the next signature or the timer queues another
    return handled


def _read(client: Any, consumer: str) -> list[tuple[bytes, dict[bytes, bytes]]]:
    response = client.xreadgroup(GROUP, consumer, {STREAM: ">"}, count=BATCH)
    return response[0][1] if response else []


def _persist_and_ack(client: Any, entries: list[tuple[bytes, dict[bytes, bytes]]]) -> int:
    # The key the request gave the entry (or, for entries queued before it did, the entry
    # id) names the signature: read again after a Redis restart lost the ack below, or
    # written directly by a request whose answer from Redis was cut, an entry already
    # written is recognised (signing.signatures_write).
    signers = []
    for entry_id, fields in entries:
        if b"s" in fields:
            signer = Signer.from_dict(json.loads(fields[b"s"]))
            if not signer.intake_key:
                signer = replace(signer, intake_key=entry_id.decode())
            signers.append(signer)
    signatures_write(signers)
    ids = [entry_id for entry_id, _ in entries]
    pipe = client.pipeline(transaction=False)
    pipe.xack(STREAM, GROUP, *ids)
    pipe.xdel(STREAM, *ids)
    pipe.execute()
    return len(entries)


def signature_intake_backlog() -> int:
    """Entries not yet persisted (read or not): zero once the drain has caught up."""
    if not intake_enabled():
        return 0
    return int(_redis().xlen(STREAM))


@task()
def signature_intake_drain_task() -> int:
    """Persist the signatures waiting in the intake stream (queued by ``_queue_drain`` and by
    the worker's timer, ``intake_tick``)."""
    return signature_intake_drain()
