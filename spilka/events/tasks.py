"""Background work for events: reminders, waiting-list offers that lapse, messages. Each task
is defined beside the service it runs; this module names them under the path jobs already
queued were stored with."""

from spilka.events.services.events import event_message_deliver
from spilka.events.services.registrations import event_reminder, offer_expire

__all__ = ["event_message_deliver", "event_reminder", "offer_expire"]
