"""A provider delivering the same bounce report several times at once (PostgreSQL): one
report recorded, each supporter marked once, one audit row each."""

from __future__ import annotations

import pytest
from django.db import connection

from spilka.lib.models import AuditEntry
from spilka.lib.testing import run_in_threads
from spilka.outreach.bounces.events import MailEvent
from spilka.outreach.models import BounceKind, InboundMailEvent, Supporter, SupporterStatus
from spilka.outreach.services.bounces import bounce_events_record

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrency need PostgreSQL (CI runs it)",
    ),
]

THREADS = 8
OLENA = "olena.petrenko@example.org"


def _bounce(event_id: str) -> MailEvent:
    return MailEvent(event_id=event_id, kind=BounceKind.BOUNCE, email=OLENA)


def test_the_same_report_posted_at_once_is_recorded_once(usc, razem, announce):
    announce(usc, OLENA)
    announce(razem, OLENA)

    results = run_in_threads(
        lambda n: bounce_events_record(provider="mailgun", events=[_bounce("same")]), THREADS
    )

    assert not [r for r in results if isinstance(r, Exception)]
    assert sum(r.recorded for r in results) == 1
    assert sum(r.repeated for r in results) == THREADS - 1
    assert InboundMailEvent.objects.count() == 1
    assert set(Supporter.objects.filter(email=OLENA).values_list("status", flat=True)) == {
        SupporterStatus.BOUNCED
    }
    assert AuditEntry.objects.filter(action="outreach.supporter.bounced").count() == 2


def test_different_reports_for_one_address_at_once_mark_each_supporter_once(usc, razem, announce):
    announce(usc, OLENA)
    announce(razem, OLENA)

    results = run_in_threads(
        lambda n: bounce_events_record(provider="postmark", events=[_bounce(f"Bounce:{n}")]),
        THREADS,
    )

    assert not [r for r in results if isinstance(r, Exception)]
    assert InboundMailEvent.objects.count() == THREADS
    assert sum(r.supporters_marked for r in results) == 2
    assert AuditEntry.objects.filter(action="outreach.supporter.bounced").count() == 2
