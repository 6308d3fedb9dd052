"""Work for the task worker: what must not make a request slower for one address than
for another."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django_tasks import task

from spilka.lib.worker import MAIL_QUEUE, context_task_id, mail_once


@task(queue_name=MAIL_QUEUE, takes_context=True)
def password_reset_send(
    context: Any,
    *,
    email: str,
    domain: str,
    use_https: bool,
    language: str,
    subject_template_name: str,
    email_template_name: str,
) -> None:
    """Mail a reset link to each active account with this address; nothing for none."""
    from spilka.accounts.services import password_reset_mail

    with (
        mail_once(task_id=context_task_id(context), recipient="reset") as claim,
        translation.override(language),
    ):
        if claim.held():
            password_reset_mail(
                email=email,
                domain=domain,
                use_https=use_https,
                subject_template_name=subject_template_name,
                email_template_name=email_template_name,
            )
