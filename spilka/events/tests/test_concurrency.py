"""Many people registering for the last places at once, on PostgreSQL: never over capacity."""

import pytest
from django.db import connection

from spilka.events.models import Registration, RegistrationStatus
from spilka.events.services import registrations as services
from spilka.events.services import reminders
from spilka.events.tests.conftest import make_event
from spilka.lib.testing import errors_in_threads

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrency need PostgreSQL (CI runs it)",
    ),
]

THREADS = 8


def _count(event, status):
    return Registration.objects.filter(event=event, status=status).count()


def test_eight_threads_registering_never_exceed_capacity_and_the_rest_wait(demo):
    event = make_event(demo["ussc"], capacity=5)
    per_thread = 4

    def work(n):
        for i in range(per_thread):
            services.event_register(event=event, full_name="P", email=f"t{n}-{i}@example.org")

    assert errors_in_threads(work, THREADS) == []
    assert _count(event, RegistrationStatus.CONFIRMED) == 5
    assert _count(event, RegistrationStatus.WAITLISTED) == THREADS * per_thread - 5


def test_cancellations_at_once_offer_each_freed_place_once(demo):
    event = make_event(demo["ussc"], capacity=4)
    regs = [
        services.event_register(event=event, full_name="P", email=f"p{i}@example.org").registration
        for i in range(12)
    ]
    confirmed = [r for r in regs if r.status == RegistrationStatus.CONFIRMED]
    assert len(confirmed) == 4

    def work(n):
        # Two threads cancel each confirmed registration: idempotent, one offer per place.
        services.registration_cancel(registration_id=confirmed[n % 4].pk)

    assert errors_in_threads(work, THREADS) == []
    assert _count(event, RegistrationStatus.CANCELLED) == 4
    assert _count(event, RegistrationStatus.OFFERED) == 4
    assert _count(event, RegistrationStatus.WAITLISTED) == 4


def test_the_same_address_from_eight_threads_is_one_registration(demo):
    event = make_event(demo["ussc"], capacity=3)

    def work(n):
        services.event_register(event=event, full_name="P", email="same@example.org")

    assert errors_in_threads(work, THREADS) == []
    assert Registration.objects.filter(event=event).count() == 1


def test_reminders_from_eight_workers_at_once_go_out_once_each(demo):
    import datetime

    event = make_event(demo["ussc"])
    for i in range(6):
        services.event_register(event=event, full_name="P", email=f"r{i}@example.org")
    when = event.starts_at - datetime.timedelta(hours=1)
    sent = []

    def work(n):
        sent.append(reminders.reminders_send(event_id=event.pk, which="1h", now=when))

    assert errors_in_threads(work, THREADS) == []
    assert sum(sent) == 6
    assert Registration.objects.filter(event=event, reminder_1h_sent_at__isnull=False).count() == 6
