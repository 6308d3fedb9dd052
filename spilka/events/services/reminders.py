"""Reminders before an event: the 24 h and 1 h mails to each confirmed registrant.

Reminders are claimed per registration by a conditional UPDATE (``... WHERE
reminder_sent_at IS NULL``) in the same transaction that queues the mail, so a task that
runs twice, or a worker that restarts, sends each once.
"""

from __future__ import annotations

import datetime
from functools import partial

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from spilka.events.mail import registration_mail
from spilka.events.models import Event, EventStatus, Registration, RegistrationStatus
from spilka.lib.tasks import enqueue_later

REMINDERS = {"24h": datetime.timedelta(hours=24), "1h": datetime.timedelta(hours=1)}


def reminders_send(*, event_id: int, which: str, now: datetime.datetime | None = None) -> int:
    """Send the ``which`` ("24h"/"1h") reminder to each confirmed registrant, once.

    Checks the event's current time: a task scheduled for a start that has since moved
    does nothing (the move scheduled new ones). Returns how many were queued now.
    """
    now = now or timezone.now()
    offset = REMINDERS[which]
    field = f"reminder_{which}_sent_at"
    event = Event.objects.select_related("organiser").filter(pk=event_id).first()
    if event is None or event.status in (EventStatus.CANCELLED, EventStatus.POSTPONED):
        return 0
    due_at = event.starts_at - offset
    # Early by more than five minutes: this task was for an earlier date. Too late: the
    # event has started, a reminder would only confuse.
    if now < due_at - datetime.timedelta(minutes=5) or now >= event.starts_at:
        return 0
    # Late (the worker was down): "Tomorrow" an hour before would mislead. Past a quarter
    # of its lead time a reminder names no time ("Coming up", with the start), and one
    # overtaken by a shorter reminder's time is left to that one.
    late = now > due_at + offset / 4
    if late and any(
        other < offset and now >= event.starts_at - other - datetime.timedelta(minutes=5)
        for other in REMINDERS.values()
    ):
        return 0
    sent = 0
    ids = list(
        Registration.objects.filter(
            event=event, status=RegistrationStatus.CONFIRMED, **{f"{field}__isnull": True}
        ).values_list("pk", flat=True)
    )
    for pk in ids:
        with transaction.atomic():
            claimed = Registration.objects.filter(
                pk=pk, status=RegistrationStatus.CONFIRMED, **{f"{field}__isnull": True}
            ).update(**{field: now})
            if not claimed:
                continue  # another run got there first
            registration = Registration.objects.select_related("event", "event__organiser").get(
                pk=pk
            )
            registration_mail(registration, "reminder", which=which, late=late)
            sent += 1
    return sent


def reminders_schedule(event: Event) -> None:
    """Queue the 24 h and 1 h reminders for the event's current start (after commit)."""
    pk, starts_at = event.pk, event.starts_at
    for which, offset in REMINDERS.items():
        transaction.on_commit(
            partial(enqueue_later, event_reminder, starts_at - offset, event_id=pk, which=which)
        )


# The background entry point beside the work it runs.
@task(queue_name="default")
def event_reminder(*, event_id: int, which: str) -> int:
    return reminders_send(event_id=event_id, which=which)
