"""The campaigns tasks, defined beside the services they run; imported here under the names
tasks queued by earlier versions carry."""

from spilka.campaigns.services.signature_intake import (
    signature_intake_drain_task as signature_intake_drain,
)
from spilka.campaigns.services.signature_mail import signature_mail, signature_mail_batch

__all__ = ["signature_intake_drain", "signature_mail", "signature_mail_batch"]
