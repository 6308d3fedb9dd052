"""The webhook delivery task, defined beside the work it runs (``spilka.webhooks.delivery``);
named here under the path jobs already queued were stored with."""

from spilka.webhooks.delivery import webhook_deliver

__all__ = ["webhook_deliver"]
