"""Email: sent through Django's backends from the task queue, never inside a request.

In development the ``OutboxEmailBackend`` keeps every message in the database, where
staff read it at /outbox/ (a newcomer can click a confirmation link there).
"""

from __future__ import annotations

import base64
from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction

from spilka.lib.models import OutboxMessage
from spilka.lib.tasks import send_email


class OutboxEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        count = 0
        for message in email_messages:
            html = ""
            for content, mimetype in getattr(message, "alternatives", []) or []:
                if mimetype == "text/html":
                    html = str(content)
            attachments = []
            for attachment in message.attachments or []:
                filename, content, mimetype = attachment
                if isinstance(content, bytes):
                    try:
                        content = content.decode("utf-8")
                    except UnicodeDecodeError:
                        content = base64.b64encode(content).decode("ascii")
                        filename = filename + ".base64"
                attachments.append(
                    {"filename": filename, "content": str(content), "mimetype": mimetype or ""}
                )
            OutboxMessage.objects.create(
                attachments=attachments,
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
    attachments: list[dict[str, str]] | None = None,
) -> None:
    """Queue a message once the surrounding transaction commits.

    A slow or broken SMTP server then delays the worker, never the visitor's request.
    ``attachments`` are text files: ``{"filename": ..., "content": ..., "mimetype": ...}``
    (an ``.ics`` invitation, a CSV), so the task's arguments stay JSON.
    """

    def _enqueue() -> None:
        send_email.enqueue(
            to=to,
            subject=subject,
            body=body,
            html_body=html_body,
            headers=headers or {},
            attachments=attachments or [],
        )

    transaction.on_commit(_enqueue)
