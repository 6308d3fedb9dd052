"""Reminders 24 h and 1 h before: each sent once, whatever the worker does."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail

from spilka.events.models import Registration
from spilka.events.services import events as event_services
from spilka.events.services import registrations as services
from spilka.events.services import reminders
from spilka.events.tests.conftest import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def event_with_people(ussc):
    event = make_event(ussc, capacity=2)
    for email in ("a@example.org", "b@example.org", "c@example.org"):  # c waits
        services.event_register(event=event, full_name="P", email=email)
    mail.outbox.clear()
    return event


def _send(event, which, now, capture):
    with capture(execute=True):
        return reminders.reminders_send(event_id=event.pk, which=which, now=now)


def test_each_reminder_is_sent_once_even_if_the_task_runs_twice(
    event_with_people, django_capture_on_commit_callbacks
):
    event = event_with_people
    at_24h = event.starts_at - datetime.timedelta(hours=24)
    assert _send(event, "24h", at_24h, django_capture_on_commit_callbacks) == 2
    assert _send(event, "24h", at_24h, django_capture_on_commit_callbacks) == 0
    at_1h = event.starts_at - datetime.timedelta(minutes=59)
    assert _send(event, "1h", at_1h, django_capture_on_commit_callbacks) == 2
    assert _send(event, "1h", at_1h, django_capture_on_commit_callbacks) == 0
    assert sorted(m.to[0] for m in mail.outbox) == [
        "a@example.org",
        "a@example.org",
        "b@example.org",
        "b@example.org",
    ]
    assert all("secret-forum-123" in m.body for m in mail.outbox)
    assert all(m.attachments[0][0] == "event.ics" for m in mail.outbox)


def test_a_claimed_reminder_is_not_sent_again_after_a_worker_restart(event_with_people):
    """The marker and the queued mail commit together: a claimed row is a queued mail."""
    event = event_with_people
    Registration.objects.filter(event=event, email="a@example.org").update(
        reminder_24h_sent_at=event.starts_at - datetime.timedelta(hours=24)
    )
    sent = reminders.reminders_send(
        event_id=event.pk, which="24h", now=event.starts_at - datetime.timedelta(hours=23)
    )
    assert sent == 1


def test_a_reminder_task_for_an_old_start_does_nothing_after_the_event_moved(
    event_with_people, django_capture_on_commit_callbacks
):
    event = event_with_people
    old_24h = event.starts_at - datetime.timedelta(hours=24)
    event_services.event_update(
        event=event,
        by="t",
        starts_at=event.starts_at + datetime.timedelta(days=7),
        ends_at=event.ends_at + datetime.timedelta(days=7),
    )
    assert _send(event, "24h", old_24h, django_capture_on_commit_callbacks) == 0
    event.refresh_from_db()
    new_24h = event.starts_at - datetime.timedelta(hours=24)
    assert _send(event, "24h", new_24h, django_capture_on_commit_callbacks) == 2


def test_moving_the_event_resets_sent_reminders(
    event_with_people, django_capture_on_commit_callbacks
):
    event = event_with_people
    _send(
        event,
        "24h",
        event.starts_at - datetime.timedelta(hours=24),
        django_capture_on_commit_callbacks,
    )
    event_services.event_update(
        event=event,
        by="t",
        starts_at=event.starts_at + datetime.timedelta(days=2),
        ends_at=event.ends_at + datetime.timedelta(days=2),
    )
    assert not Registration.objects.filter(reminder_24h_sent_at__isnull=False).exists()


def test_no_reminder_for_a_cancelled_event(event_with_people):
    event = event_with_people
    event_services.event_update(event=event, by="t", status="cancelled")
    assert (
        reminders.reminders_send(
            event_id=event.pk, which="1h", now=event.starts_at - datetime.timedelta(hours=1)
        )
        == 0
    )


def test_reminders_are_queued_for_the_right_times_after_commit(
    ussc, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.dummy.DummyBackend",
            "QUEUES": ["default", "email"],
        }
    }
    from spilka.events.tasks import event_reminder

    backend = event_reminder.get_backend()
    backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event = make_event(ussc)
    queued = {
        r.kwargs["which"]: r.task.run_after
        for r in backend.results
        if r.task.name == "event_reminder"
    }
    assert queued == {
        "24h": event.starts_at - datetime.timedelta(hours=24),
        "1h": event.starts_at - datetime.timedelta(hours=1),
    }
    backend.clear()


def test_a_day_before_reminder_sent_late_does_not_say_tomorrow(
    event_with_people, django_capture_on_commit_callbacks
):
    """The worker was down: at 10 h before, the 24 h reminder names no day."""
    event = event_with_people
    ten_hours_before = event.starts_at - datetime.timedelta(hours=10)
    assert _send(event, "24h", ten_hours_before, django_capture_on_commit_callbacks) == 2
    subjects = {m.subject for m in mail.outbox}
    assert subjects == {f"Coming up: {event}"}


def test_a_day_before_reminder_overtaken_by_the_hour_before_one_is_skipped(
    event_with_people, django_capture_on_commit_callbacks
):
    event = event_with_people
    an_hour_before = event.starts_at - datetime.timedelta(minutes=58)
    assert _send(event, "24h", an_hour_before, django_capture_on_commit_callbacks) == 0
    assert _send(event, "1h", an_hour_before, django_capture_on_commit_callbacks) == 2
    assert len(mail.outbox) == 2  # one reminder each, the hour-before one
    assert not Registration.objects.filter(reminder_24h_sent_at__isnull=False).exists()


def test_an_hour_before_reminder_sent_late_is_reworded(
    event_with_people, django_capture_on_commit_callbacks
):
    event = event_with_people
    on_time = event.starts_at - datetime.timedelta(minutes=55)
    assert _send(event, "1h", on_time, django_capture_on_commit_callbacks) == 2
    assert {m.subject for m in mail.outbox} == {f"Starting in an hour: {event}"}
    mail.outbox.clear()
    Registration.objects.update(reminder_1h_sent_at=None)
    ten_minutes_before = event.starts_at - datetime.timedelta(minutes=10)
    assert _send(event, "1h", ten_minutes_before, django_capture_on_commit_callbacks) == 2
    assert {m.subject for m in mail.outbox} == {f"Coming up: {event}"}
