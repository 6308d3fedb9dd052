"""Recording bounce and complaint reports from mail providers (spilka/outreach/bounces/)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from spilka.lib.ratelimit import hashed
from spilka.outreach.bounces.events import MailEvent
from spilka.outreach.models import BounceKind, InboundMailEvent, Supporter
from spilka.outreach.services.undeliverable import addresses_mark_undeliverable

MARKS: dict[str, str] = {BounceKind.BOUNCE: "bounce", BounceKind.COMPLAINT: "complaint"}


@dataclass
class BounceOutcome:
    recorded: int = 0
    repeated: int = 0
    supporters_marked: int = 0


def address_hash(email: str) -> str:
    """The salted hash an address's bounce reports are counted (and erased) by."""
    return hashed("bounce:" + email)


def _row(provider: str, event: MailEvent) -> InboundMailEvent:
    return InboundMailEvent(
        provider=provider,
        event_id=event.event_id,
        kind=event.kind,
        address_hash=address_hash(event.email),
        reason=event.reason,
        occurred_at=event.occurred_at,
    )


def _mark(provider: str, rows: list[tuple[InboundMailEvent, MailEvent]]) -> int:
    """Mark the addresses of the new permanent bounces and complaints, all in one call:
    every supporter of the batch is locked before any count changes (docs/outreach.md,
    "Supporter counts"). Only addresses some organisation knows reach the service (one
    query for the batch); the answer to the provider is the same either way."""
    marking = [(row, event) for row, event in rows if event.kind in MARKS]
    known = set(
        Supporter.objects.filter(email__in={event.email for _row, event in marking}).values_list(
            "email", flat=True
        )
    )
    marking = [(row, event) for row, event in marking if event.email in known]
    changed = addresses_mark_undeliverable(
        marks=[(event.email, MARKS[event.kind]) for _row, event in marking], via=provider
    )
    for (row, _event), n in zip(marking, changed, strict=True):
        row.supporters_marked = n
        row.save(update_fields=["supporters_marked"])
    return sum(changed)


@transaction.atomic
def bounce_events_record(*, provider: str, events: list[MailEvent]) -> BounceOutcome:
    """Record each report once: a permanent bounce or a complaint marks the address through
    ``address_mark_undeliverable`` (its status change and audit row); a soft bounce is only
    counted. An event already recorded (a provider's retry, a replayed request, the same id
    twice in one batch) changes nothing."""
    outcome = BounceOutcome()
    fresh: dict[str, MailEvent] = {}
    for event in events:
        fresh.setdefault(event.event_id, event)
    seen = set(
        InboundMailEvent.objects.filter(provider=provider, event_id__in=list(fresh)).values_list(
            "event_id", flat=True
        )
    )
    new = [event for event_id, event in fresh.items() if event_id not in seen]
    outcome.repeated = len(events) - len(new)
    try:
        with transaction.atomic():
            rows = InboundMailEvent.objects.bulk_create([_row(provider, e) for e in new])
    except IntegrityError:
        # A concurrent request recorded some of the same events: one at a time, then.
        return _record_one_by_one(provider, new, outcome)
    outcome.recorded = len(rows)
    outcome.supporters_marked = _mark(provider, list(zip(rows, new, strict=True)))
    return outcome


def _record_one_by_one(provider: str, events: list[MailEvent], outcome: BounceOutcome):
    created = []
    for event in events:
        try:
            with transaction.atomic():
                created.append((_row(provider, event), event))
                created[-1][0].save(force_insert=True)
        except IntegrityError:
            created.pop()
            outcome.repeated += 1
    outcome.recorded = len(created)
    outcome.supporters_marked = _mark(provider, created)
    return outcome


def bounce_count(*, email: str, kind: str = "soft_bounce") -> int:
    """How many reports of ``kind`` an address has had (soft bounces by default)."""
    return InboundMailEvent.objects.filter(address_hash=address_hash(email), kind=kind).count()
