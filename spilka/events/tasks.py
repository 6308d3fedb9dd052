"""Background work for events: reminders, waiting-list offers that lapse, messages."""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django_tasks import task

log = logging.getLogger(__name__)


def enqueue_later(task_obj: Any, run_after: datetime.datetime, **kwargs: Any) -> bool:
    """Enqueue to run at ``run_after``. A backend that cannot defer (the in-process one used
    in development and tests) gets nothing: those reminders are the worker's job."""
    if not task_obj.get_backend().supports_defer:
        log.info("Task backend cannot defer; %s not scheduled", task_obj.name)
        return False
    task_obj.using(run_after=run_after).enqueue(**kwargs)
    return True


@task(queue_name="default")
def event_reminder(*, event_id: int, which: str) -> int:
    from spilka.events.services.registrations import reminders_send

    return reminders_send(event_id=event_id, which=which)


@task(queue_name="default")
def offer_expire(*, registration_id: int) -> bool:
    from spilka.events.services.registrations import offer_expire_due

    return offer_expire_due(registration_id=registration_id) is not None


@task(queue_name="default")
def event_message_deliver(*, message_id: int) -> int:
    from spilka.events.services.events import event_message_deliver_now

    return event_message_deliver_now(message_id=message_id)
