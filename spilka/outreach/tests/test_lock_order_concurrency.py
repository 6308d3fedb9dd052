"""Writers of supporters and their counts take locks in one order (PostgreSQL): supporter
rows in id order first, the organisations' counts last. Bounce batches naming two
organisations' addresses in opposite order, or racing petition confirmations to both, all
succeed and count right."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from spilka.lib.testing import run_in_threads
from spilka.outreach.bounces.events import MailEvent
from spilka.outreach.models import BounceKind, Supporter, SupporterStatus
from spilka.outreach.services.bounces import bounce_events_record
from spilka.outreach.services.counts import supporter_counts_differences
from spilka.outreach.tests.test_counts_concurrency import announce_sign_up

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrency need PostgreSQL (CI runs it)",
    ),
]

THREADS = 8


def test_bounce_batches_naming_two_organisations_in_opposite_order_all_succeed(
    usc, razem, announce
):
    for n in range(THREADS):
        announce(usc, f"usc{n}@example.org")
        announce(razem, f"razem{n}@example.org")
    announce(usc, "both@example.org")
    announce(razem, "both@example.org")

    def batch(n: int):
        addresses = [f"usc{n}@example.org", f"razem{n}@example.org", "both@example.org"]
        if n % 2:
            addresses.reverse()  # half the batches name the other organisation first
        events = [
            MailEvent(event_id=f"{n}:{address}", kind=BounceKind.BOUNCE, email=address)
            for address in addresses
        ]
        return bounce_events_record(provider="postmark", events=events)

    results = run_in_threads(batch, THREADS)

    assert [r for r in results if isinstance(r, Exception)] == []
    assert sum(r.supporters_marked for r in results) == 2 * THREADS + 2
    assert not Supporter.objects.exclude(status=SupporterStatus.BOUNCED).exists()
    assert supporter_counts_differences() == {}


def test_bounce_batches_racing_confirmations_to_two_organisations_all_succeed(usc, razem, announce):
    # A confirmation announces to each organisation in id order, in one transaction: the
    # supporter, its counts, the next organisation's supporter, its counts.
    first, second = sorted([usc, razem], key=lambda organisation: organisation.pk)
    pairs = THREADS // 2
    for n in range(pairs):
        announce(first, f"other{n}@example.org")
        announce(second, f"signer{n}@example.org")  # known to the second organisation only

    def work(n: int):
        pair = n // 2
        if n % 2:
            with transaction.atomic():
                for organisation in (first, second):
                    announce_sign_up(organisation.pk, f"signer{pair}@example.org")
            return None
        events = [
            MailEvent(event_id=f"{n}:{address}", kind=BounceKind.BOUNCE, email=address)
            for address in (f"other{pair}@example.org", f"signer{pair}@example.org")
        ]
        return bounce_events_record(provider="postmark", events=events)

    results = run_in_threads(work, THREADS)

    assert [r for r in results if isinstance(r, Exception)] == []
    assert supporter_counts_differences() == {}
