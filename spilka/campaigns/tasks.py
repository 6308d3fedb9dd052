from __future__ import annotations

from django_tasks import task


@task(queue_name="email")
def signature_mail(*, signature_id: int, kind: str, base_url: str) -> bool:
    """Send a petition signer their confirmation (or "already signed") mail."""
    from spilka.campaigns.services.petitions import signature_mail_send

    return signature_mail_send(signature_id=signature_id, kind=kind, base_url=base_url)


@task(queue_name="email")
def signature_mail_batch(*, signature_ids: list[int], kind: str, base_url: str) -> int:
    """Send the mails of a batch of signatures persisted together from the intake stream."""
    from spilka.campaigns.services.petitions import signature_mail_send

    return sum(
        signature_mail_send(signature_id=signature_id, kind=kind, base_url=base_url)
        for signature_id in signature_ids
    )


@task()
def signature_intake_drain() -> int:
    """Persist the signatures waiting in the intake stream (see services.signature_intake)."""
    from spilka.campaigns.services.signature_intake import signature_intake_drain as drain

    return drain()
