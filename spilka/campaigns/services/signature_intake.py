"""The sign path of a viral petition: acknowledge fast, persist in batches.

With ``SPILKA_SIGN_INTAKE=redis`` (the default when Redis is configured) a valid sign form
is appended to a Redis stream and acknowledged at once; a task drains the stream into the
database in batches, one transaction per batch (the design Proca uses with its queue). A
batch costs the database far less than a transaction per signer, and the web process
spends its time on the checks that must happen in the request (CSRF, proof-of-work,
rate limit, form validation).

Nothing is lost or doubled:
- entries are read through a consumer group and acknowledged (XACK) only after their batch
  has committed; a drain that dies leaves them pending, and the next drain claims them;
- a batch re-read after a crash meets the unique (petition, email) constraint and takes the
  "signed again" path, as a repeat signer would;
- a drain is scheduled by the first entry that finds no drain running (a flag set with
  SET NX); the drain clears the flag before its final read, so an entry added at any moment
  is either read by the running drain or schedules the next one;
- when Redis cannot be reached the request falls back to the direct path (one transaction).

When the shared cache is the same Redis database (the usual set-up), one script does the
whole acceptance in one round trip: it marks the proof-of-work solution spent, counts the
address for the rate limit, appends the entry and says whether a drain must be scheduled.
A refused form leaves no entry; an accepted one cannot be replayed.

Without Redis (a laptop, SQLite) every signature takes the direct path, ``petition_sign``.
"""

from __future__ import annotations

import datetime
import json
import logging
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from spilka.campaigns.models import Petition, Signature, SignatureConsent, SignatureStatus
from spilka.campaigns.services.petitions import ConsentChoice, petition_sign
from spilka.lib.abuse import LIMITED, REPLAYED, AbuseMarks, marks_record
from spilka.lib.models import AuditEntry
from spilka.network.models import Organisation
from spilka.network.normalise import normalise_email

log = logging.getLogger(__name__)

STREAM = "spilka:sign-intake"
GROUP = "persist"
FLAG = "spilka:sign-intake:drain-scheduled"
FLAG_SECONDS = 120  # a drain that died frees the flag after this long
BATCH = 500
SETTLE_SECONDS = 0.5
CLAIM_IDLE_MS = 60_000  # entries pending this long belong to a drain that died


@dataclass(frozen=True)
class SignatureIntake:
    """A validated sign form, as it travels through the stream (JSON, no model objects)."""

    petition_id: int
    full_name: str
    email: str
    country: str
    postcode: str
    organisation_name: str
    show_name: bool
    consents: list[tuple[int, str]]  # (organisation id, wording agreed to)
    language: str
    base_url: str


_clients: dict[str, Any] = {}


def _redis() -> Any:
    url = settings.SPILKA_SIGN_INTAKE_URL
    client = _clients.get(url)
    if client is None:
        import redis

        client = _clients[url] = redis.Redis.from_url(
            url, socket_timeout=2, socket_connect_timeout=1
        )
    return client


def intake_enabled() -> bool:
    return settings.SPILKA_SIGN_INTAKE == "redis"


def signature_submit(
    *,
    petition: Petition,
    full_name: str,
    email: str,
    country: str,
    postcode: str = "",
    organisation_name: str = "",
    show_name: bool = False,
    consents: list[ConsentChoice] | None = None,
    language: str = "en",
    base_url: str = "",
    marks: AbuseMarks | None = None,
) -> str | None:
    """Accept a signature: into the intake stream, or straight into the database.

    ``marks`` are the anti-abuse marks the form still owes (``anonymous_form_screen``);
    they are recorded first, and a refusal (``abuse.LIMITED`` or ``abuse.REPLAYED``) is
    returned with nothing stored. None means accepted.
    """
    shared = _cache_sharing_intake() if marks is not None and intake_enabled() else None
    if marks is not None and shared is None:
        refused = marks_record(marks)
        if refused is not None:
            return refused
        marks = None
    if intake_enabled():
        entry = SignatureIntake(
            petition_id=petition.pk,
            full_name=full_name.strip(),
            email=normalise_email(email),
            country=str(country),
            postcode=postcode.strip(),
            organisation_name=organisation_name.strip(),
            show_name=show_name,
            consents=[(c.organisation.pk, c.wording) for c in consents or []],
            language=language,
            base_url=base_url,
        )
        try:
            return _append(entry, marks, shared)
        except (OSError, _redis_errors()) as error:
            log.warning("sign intake unavailable, signing directly: %s", error)
        if marks is not None:
            refused = marks_record(marks)
            if refused is not None:
                return refused
    petition_sign(
        petition=petition,
        full_name=full_name,
        email=email,
        country=country,
        postcode=postcode,
        organisation_name=organisation_name,
        show_name=show_name,
        consents=consents,
        language=language,
        base_url=base_url,
    )
    return None


def _redis_errors() -> type[Exception]:
    import redis

    return redis.RedisError


def _cache_sharing_intake() -> Any:
    """The default cache when it is the intake's Redis database (one server, same URL)."""
    from django.core.cache import caches

    from spilka.lib.cache import RedisCache

    cache = caches["default"]
    if isinstance(cache, RedisCache) and cache.single_server == settings.SPILKA_SIGN_INTAKE_URL:
        return cache
    return None


# Append, and say whether a drain must be scheduled: one round trip, one command.
_APPEND = (
    "redis.call('xadd', KEYS[1], '*', 's', ARGV[1]) "
    "if redis.call('set', KEYS[2], 1, 'NX', 'EX', ARGV[2]) then return 1 end return 0"
)
# The same, after the form's anti-abuse marks: -2 a replayed proof-of-work solution, -1
# over the rate limit (nothing appended either way). The solution is spent first, so a
# replay is not counted against the address (as in lib/abuse.marks_record). Once the entry
# is appended, the spent mark takes the form's ``pow_value`` (a double click's twin is
# then recognised, as in marks_record).
_ACCEPT = (
    "if not redis.call('set', KEYS[2], 1, 'NX', 'EX', ARGV[3]) then return -2 end "
    "local n = redis.call('incr', KEYS[1]) "
    "if n == 1 then redis.call('expire', KEYS[1], ARGV[1]) end "
    "if n > tonumber(ARGV[2]) then return -1 end "
    "redis.call('xadd', KEYS[3], '*', 's', ARGV[4]) "
    "if ARGV[6] ~= '1' then redis.call('set', KEYS[2], ARGV[6], 'EX', ARGV[3]) end "
    "if redis.call('set', KEYS[4], 1, 'NX', 'EX', ARGV[5]) then return 1 end return 0"
)
_scripts: dict[tuple[int, str], Any] = {}


def _script(client: Any, source: str) -> Any:
    script = _scripts.get((id(client), source))
    if script is None:
        script = _scripts[(id(client), source)] = client.register_script(source)
    return script


def _append(entry: SignatureIntake, marks: AbuseMarks | None, cache: Any) -> str | None:
    payload = json.dumps(entry.__dict__, separators=(",", ":"))
    if marks is None:
        scheduled = _script(_redis(), _APPEND)(keys=[STREAM, FLAG], args=[payload, FLAG_SECONDS])
    else:
        scheduled = _script(cache.write_client(), _ACCEPT)(
            keys=[cache.full_key(marks.rate_key), cache.full_key(marks.pow_key), STREAM, FLAG],
            args=[
                marks.rate_seconds,
                marks.limit,
                marks.pow_seconds,
                payload,
                FLAG_SECONDS,
                marks.pow_value,
            ],
        )
        if scheduled == -1:
            return LIMITED
        if scheduled == -2:
            return REPLAYED
    if scheduled == 1:
        from spilka.campaigns.tasks import signature_intake_drain

        signature_intake_drain.enqueue()
    return None


def _ensure_group(client: Any) -> None:
    import redis

    try:
        client.xgroup_create(STREAM, GROUP, id="0", mkstream=True)
    except redis.ResponseError as error:
        if "BUSYGROUP" not in str(error):
            raise


def signature_intake_drain(*, consumer: str = "drain") -> int:
    """Persist everything in the stream; return how many entries were handled."""
    client = _redis()
    _ensure_group(client)
    handled = 0
    # First what a drain that died left pending, then everything new.
    _, claimed, *_ = client.xautoclaim(STREAM, GROUP, consumer, CLAIM_IDLE_MS, "0-0", count=BATCH)
    if claimed:
        handled += _persist_and_ack(client, claimed)
    while True:
        entries = _read(client, consumer)
        if entries:
            handled += _persist_and_ack(client, entries)
            client.expire(FLAG, FLAG_SECONDS)  # still alive
            if len(entries) < BATCH:
                # Let a batch gather: one transaction for many signers is the point.
                time.sleep(SETTLE_SECONDS)
            continue
        client.delete(FLAG)
        # An entry added after the read above but before the delete found the flag set and
        # counted on us: read once more. Anything later schedules its own drain.
        entries = _read(client, consumer)
        if not entries:
            return handled
        handled += _persist_and_ack(client, entries)
        if not client.set(FLAG, 1, nx=True, ex=FLAG_SECONDS):
            return handled  # another drain was scheduled meanwhile; it takes the rest


def _read(client: Any, consumer: str) -> list[tuple[bytes, dict[bytes, bytes]]]:
    response = client.xreadgroup(GROUP, consumer, {STREAM: ">"}, count=BATCH)
    return response[0][1] if response else []


def _persist_and_ack(client: Any, entries: list[tuple[bytes, dict[bytes, bytes]]]) -> int:
    intakes = []
    for _, fields in entries:
        if fields and b"s" in fields:
            values = json.loads(fields[b"s"])
            values.pop("ip_hash", None)  # queued before signatures stopped keeping it
            intakes.append(SignatureIntake(**values))
    signatures_persist(intakes)
    ids = [entry_id for entry_id, _ in entries]
    pipe = client.pipeline(transaction=False)
    pipe.xack(STREAM, GROUP, *ids)
    pipe.xdel(STREAM, *ids)
    pipe.execute()
    return len(entries)


def signatures_persist(intakes: list[SignatureIntake]) -> None:
    """Write a batch of accepted signatures: one transaction, a few statements.

    New signers are inserted together with their consents and audit rows and their
    confirmation mails queued as one task; repeat signers (already in the database, or twice
    in the batch) take the same path as a repeat signer on the direct path.
    """
    if not intakes:
        return
    petitions = Petition.objects.select_related("campaign").in_bulk(
        {i.petition_id for i in intakes}
    )
    repeats: list[SignatureIntake] = []
    try:
        with transaction.atomic():
            fresh = _split_fresh(intakes, petitions, repeats)
            _insert(fresh, petitions)
    except IntegrityError:
        # Another writer (the direct path) won a race for one of these addresses: fall
        # back to one transaction per signer, which settles each case on its own.
        for intake in intakes:
            _persist_one(intake, petitions)
        return
    for intake in repeats:
        _persist_one(intake, petitions)


def _split_fresh(
    intakes: list[SignatureIntake],
    petitions: dict[int, Petition],
    repeats: list[SignatureIntake],
) -> list[SignatureIntake]:
    by_petition: dict[int, set[str]] = defaultdict(set)
    for intake in intakes:
        by_petition[intake.petition_id].add(intake.email)
    existing: set[tuple[int, str]] = set()
    for petition_id, emails in by_petition.items():
        existing.update(
            (petition_id, email)
            for email in Signature.objects.filter(
                petition_id=petition_id, email__in=emails
            ).values_list("email", flat=True)
        )
    fresh: list[SignatureIntake] = []
    seen: set[tuple[int, str]] = set()
    for intake in intakes:
        key = (intake.petition_id, intake.email)
        if intake.petition_id not in petitions:
            continue  # the petition was deleted meanwhile: nothing to sign
        if key in existing or key in seen:
            repeats.append(intake)
        else:
            seen.add(key)
            fresh.append(intake)
    return fresh


def _expiry() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(hours=settings.SPILKA_SIGNATURE_CONFIRM_HOURS)


def _insert(fresh: list[SignatureIntake], petitions: dict[int, Petition]) -> None:
    if not fresh:
        return
    expires_at = _expiry()
    signatures = Signature.objects.bulk_create(
        [
            Signature(
                petition_id=i.petition_id,
                full_name=i.full_name,
                email=i.email,
                country=i.country,
                postcode=i.postcode,
                organisation_name=i.organisation_name,
                show_name=i.show_name,
                language=i.language,
                expires_at=expires_at,
            )
            for i in fresh
        ]
    )
    known_orgs = set(
        Organisation.objects.filter(
            pk__in={org_id for i in fresh for org_id, _ in i.consents}
        ).values_list("pk", flat=True)
    )
    SignatureConsent.objects.bulk_create(
        SignatureConsent(
            signature=signature, organisation_id=org_id, wording=wording, language=i.language
        )
        for signature, i in zip(signatures, fresh, strict=True)
        for org_id, wording in i.consents
        if org_id in known_orgs
    )
    # The same audit row petition_sign writes, one per signature, in one statement.
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=None,
            actor_label="signer",
            action="campaigns.signature.created",
            organisation_id=petitions[i.petition_id].campaign.lead_organisation_id,
            object_type=Signature._meta.label_lower,
            object_id=str(signature.pk),
            object_repr=f"{i.full_name} – {petitions[i.petition_id]}"[:300],
            after={"petition": i.petition_id, "status": SignatureStatus.PENDING},
        )
        for signature, i in zip(signatures, fresh, strict=True)
    )
    by_base: dict[str, list[int]] = defaultdict(list)
    for signature, i in zip(signatures, fresh, strict=True):
        by_base[i.base_url].append(signature.pk)
    from spilka.campaigns.tasks import signature_mail_batch

    for base_url, ids in by_base.items():
        transaction.on_commit(
            lambda ids=ids, base_url=base_url: signature_mail_batch.enqueue(
                signature_ids=ids, kind="confirm", base_url=base_url
            )
        )


def _persist_one(intake: SignatureIntake, petitions: dict[int, Petition]) -> None:
    petition = petitions.get(intake.petition_id)
    if petition is None:
        return
    organisations = Organisation.objects.in_bulk([org_id for org_id, _ in intake.consents])
    petition_sign(
        petition=petition,
        full_name=intake.full_name,
        email=intake.email,
        country=intake.country,
        postcode=intake.postcode,
        organisation_name=intake.organisation_name,
        show_name=intake.show_name,
        consents=[
            ConsentChoice(organisations[org_id], wording)
            for org_id, wording in intake.consents
            if org_id in organisations
        ],
        language=intake.language,
        base_url=intake.base_url,
    )


def signature_intake_backlog() -> int:
    """Entries not yet persisted (read or not): zero once the drain has caught up."""
    if not intake_enabled():
        return 0
    return int(_redis().xlen(STREAM))
