"""Recording bounce and complaint reports from mail providers (spilka/outreach/bounces/)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from spilka.lib.ratelimit import hashed
from spilka.outreach.bounces.events import MailEvent
from spilka.outreach.models import BounceKind, InboundMailEvent
from spilka.outreach.services.supporters import address_mark_undeliverable


@dataclass
class BounceOutcome:
    recorded: int = 0
    repeated: int = 0
    supporters_marked: int = 0


def address_hash(email: str) -> str:
    """The salted hash an address's bounce reports are counted (and erased) by."""
    return hashed("bounce:" + email)


def bounce_events_record(*, provider: str, events: list[MailEvent]) -> BounceOutcome:
    """Record each report once: a permanent bounce or a complaint marks the address through
    ``address_mark_undeliverable`` (its status change and audit row); a soft bounce is only
    counted. An event already recorded (a provider's retry, a replayed request) changes
    nothing. Each event commits on its own, so one that fails leaves the others recorded."""
    outcome = BounceOutcome()
    for event in events:
        with transaction.atomic():
            if InboundMailEvent.objects.filter(provider=provider, event_id=event.event_id).exists():
                outcome.repeated += 1
                continue
            try:
                with transaction.atomic():
                    row = InboundMailEvent.objects.create(
                        provider=provider,
                        event_id=event.event_id,
                        kind=event.kind,
                        address_hash=address_hash(event.email),
                        reason=event.reason,
                        occurred_at=event.occurred_at,
                    )
            except IntegrityError:  # the same event, recorded by a concurrent request
                outcome.repeated += 1
                continue
            outcome.recorded += 1
            if event.kind == BounceKind.SOFT_BOUNCE:
                continue
            row.supporters_marked = address_mark_undeliverable(
                email=event.email,
                kind="complaint" if event.kind == BounceKind.COMPLAINT else "bounce",
                via=provider,
            )
            row.save(update_fields=["supporters_marked"])
            outcome.supporters_marked += row.supporters_marked
    return outcome


def bounce_count(*, email: str, kind: str = "soft_bounce") -> int:
    """How many reports of ``kind`` an address has had (soft bounces by default)."""
    return InboundMailEvent.objects.filter(address_hash=address_hash(email), kind=kind).count()
