"""Background work for events: reminders, waiting-list offers that lapse, messages. Each task
is defined beside the service it runs; this module names them under the path jobs already
queued were stored with."""

from spilka.events.services.events import event_message_deliver
from spilka.events.services.registrations import offer_expire
from spilka.events.services.reminders import event_reminder

__all__ = ["event_message_deliver", "event_reminder", "offer_expire"]
