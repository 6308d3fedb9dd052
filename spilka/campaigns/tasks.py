from __future__ import annotations

from typing import Any

from django_tasks import task

from spilka.lib.worker import MAIL_QUEUE, context_task_id, mail_once


@task(queue_name=MAIL_QUEUE, takes_context=True)
def signature_mail(context: Any, *, signature_id: int, kind: str, base_url: str) -> bool:
    """Send a petition signer their confirmation (or "already signed") mail, once per run."""
    from spilka.campaigns.services.petitions import signature_mail_send

    with mail_once(task_id=context_task_id(context), recipient=f"signature:{signature_id}") as due:
        return due and signature_mail_send(signature_id=signature_id, kind=kind, base_url=base_url)


@task(queue_name=MAIL_QUEUE, takes_context=True)
def signature_mail_batch(
    context: Any, *, signature_ids: list[int], kind: str, base_url: str
) -> int:
    """Send the mails of a batch of signatures persisted together from the intake stream.

    Each signer is marked as mailed by this run before their mail leaves: the same task run
    again (the reaper's, after a worker died mid-batch) mails only those not reached yet.
    """
    from spilka.campaigns.services.petitions import signature_mail_send

    task_id = context_task_id(context)
    sent = 0
    for signature_id in signature_ids:
        with mail_once(task_id=task_id, recipient=f"signature:{signature_id}") as due:
            if due:
                sent += signature_mail_send(signature_id=signature_id, kind=kind, base_url=base_url)
    return sent


@task()
def signature_intake_drain() -> int:
    """Persist the signatures waiting in the intake stream (see services.signature_intake)."""
    from spilka.campaigns.services.signature_intake import signature_intake_drain as drain

    return drain()
