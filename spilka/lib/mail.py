"""Email: sent through Django's backends from the task queue, never inside a request.

In development the ``OutboxEmailBackend`` keeps every message in the database, where
staff read it at /outbox/ (a newcomer can click a confirmation link there).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction


class OutboxEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMultiAlternatives]) -> int:
        from spilka.lib.models import OutboxMessage

        count = 0
        for message in email_messages:
            html = ""
            for content, mimetype in getattr(message, "alternatives", []) or []:
                if mimetype == "text/html":
                    html = str(content)
            OutboxMessage.objects.create(
                from_email=message.from_email or "",
                to=", ".join(message.recipients()),
                subject=str(message.subject)[:500],
                body=str(message.body),
                html_body=html,
                headers={str(k): str(v) for k, v in (message.extra_headers or {}).items()},
            )
            count += 1
        return count


def email_send_after_commit(
    *,
    to: list[str],
    subject: str,
    body: str,
    html_body: str = "",
    headers: dict[str, str] | None = None,
) -> None:
    """Queue a message once the surrounding transaction commits.

    A slow or broken SMTP server then delays the worker, never the visitor's request.
    """
    from spilka.lib.tasks import send_email

    def _enqueue() -> None:
        send_email.enqueue(
            to=to, subject=subject, body=body, html_body=html_body, headers=headers or {}
        )

    transaction.on_commit(_enqueue)
