from __future__ import annotations

from django_tasks import task


@task(queue_name="email")
def signature_mail(*, signature_id: int, kind: str, base_url: str) -> bool:
    """Send a petition signer their confirmation (or "already signed") mail."""
    from spilka.campaigns.services.petitions import signature_mail_send

    return signature_mail_send(signature_id=signature_id, kind=kind, base_url=base_url)
