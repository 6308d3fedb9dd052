"""Background work for events: reminders, waiting-list offers that lapse, messages."""

from __future__ import annotations

from django_tasks import task


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
