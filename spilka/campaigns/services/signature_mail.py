"""The mails a petition signer gets: the confirmation link, or "you have already signed".

The tasks that send them are defined here, beside the service they run: a service queues
them (in its own transaction: the task queue is a table of the same database, so a
committed signature always has its mail on the way), the worker renders and sends them.
Each signer's mail is claimed by the run before it leaves and marked sent after
(``mail_once``): a task run again after a worker died mails only those not reached yet.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from spilka.campaigns.models import Signature, SignatureStatus
from spilka.campaigns.tokens import CONFIRM_SALT, WITHDRAW_SALT, make_token
from spilka.lib import ratelimit
from spilka.lib.worker import MAIL_QUEUE, MailClaim, context_task_id, mail_once


def signature_mail_send(
    *, signature_id: int, kind: str, base_url: str, claim: MailClaim | None = None
) -> bool:
    """Render a signer's mail in their language and send it (from the task worker), if
    ``claim`` is still this run's when the mail is about to leave."""
    signature = Signature.objects.select_related("petition").filter(pk=signature_id).first()
    if signature is None or signature.status == SignatureStatus.WITHDRAWN:
        return False  # withdrawn or expired meanwhile: nothing to say
    if kind == "confirm" and signature.status != SignatureStatus.PENDING:
        return False
    if not ratelimit.address_mail_allowed(signature.email):
        return False  # signing many petitions with one address must not flood its inbox
    with translation.override(signature.language):
        confirm = reverse(
            "campaigns:signature_confirm", kwargs={"token": make_token(signature.pk, CONFIRM_SALT)}
        )
        withdraw = reverse(
            "campaigns:signature_withdraw",
            kwargs={"token": make_token(signature.pk, WITHDRAW_SALT)},
        )
        context = {
            "signature": signature,
            "petition": signature.petition,
            "confirm_url": base_url + confirm,
            "withdraw_url": base_url + withdraw,
            "hours": settings.SPILKA_SIGNATURE_CONFIRM_HOURS,
        }
        subject = " ".join(render_to_string(f"campaigns/email/{kind}_subject.txt", context).split())
        body = render_to_string(f"campaigns/email/{kind}.txt", context)
    if claim is not None and not claim.held():
        return False  # another run of the task took this mail over
    EmailMessage(subject=subject, body=body, to=[signature.email]).send()
    return True


@task(queue_name=MAIL_QUEUE, takes_context=True)
def signature_mail(context: Any, *, signature_id: int, kind: str, base_url: str) -> bool:
    """Send a petition signer their confirmation (or "already signed") mail, once per run."""
    task_id = context_task_id(context)
    with mail_once(task_id=task_id, recipient=f"signature:{signature_id}") as claim:
        return bool(claim) and signature_mail_send(
            signature_id=signature_id, kind=kind, base_url=base_url, claim=claim
        )


@task(queue_name=MAIL_QUEUE, takes_context=True)
def signature_mail_batch(
    context: Any, *, signature_ids: list[int], kind: str, base_url: str
) -> int:
    """Send the mails of a batch of signatures written together (``signatures_write``)."""
    task_id = context_task_id(context)
    sent = 0
    for signature_id in signature_ids:
        with mail_once(task_id=task_id, recipient=f"signature:{signature_id}") as claim:
            if claim:
                sent += signature_mail_send(
                    signature_id=signature_id, kind=kind, base_url=base_url, claim=claim
                )
    return sent


def queue_signature_mail(signature: Signature, kind: str, base_url: str) -> None:
    """Queue one signer's mail in the caller's transaction. Nothing of it on the hot path."""
    signature_mail.enqueue(signature_id=signature.pk, kind=kind, base_url=base_url)
