from __future__ import annotations

import datetime
import logging
from typing import Any

from django.core.mail import EmailMultiAlternatives
from django_tasks import task

from spilka.lib.worker import MAIL_QUEUE, context_task_id, mail_once

log = logging.getLogger(__name__)


@task(queue_name=MAIL_QUEUE, takes_context=True)
def send_email(
    context: Any,
    *,
    to: list[str],
    subject: str,
    body: str,
    html_body: str = "",
    headers: dict[str, str] | None = None,
    attachments: list[dict[str, str]] | None = None,
) -> int:
    """Send one message (registration mails, reminders…); a re-run of this task sends none."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to, headers=headers or {})
    if html_body:
        message.attach_alternative(html_body, "text/html")
    for attachment in attachments or []:
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    with mail_once(task_id=context_task_id(context), recipient="message") as claim:
        return message.send() if claim.held() else 0


def enqueue_later(task_obj: Any, run_after: datetime.datetime, **kwargs: Any) -> bool:
    """Enqueue to run at ``run_after``. A backend that cannot defer (the in-process one used
    in development and tests) gets nothing: those reminders are the worker's job."""
    if not task_obj.get_backend().supports_defer:
        log.info("Task backend cannot defer; %s not scheduled", task_obj.name)
        return False
    task_obj.using(run_after=run_after).enqueue(**kwargs)
    return True
