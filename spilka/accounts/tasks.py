"""Work for the task worker: what must not make a request slower for one address than
for another."""

from __future__ import annotations

from django.utils import translation
from django_tasks import task


@task(queue_name="email")
def password_reset_send(
    *,
    email: str,
    domain: str,
    use_https: bool,
    language: str,
    subject_template_name: str,
    email_template_name: str,
) -> None:
    """Mail a reset link to each active account with this address; nothing for none."""
    from spilka.accounts.forms import QueuedPasswordResetForm

    with translation.override(language):
        form = QueuedPasswordResetForm({"email": email})
        if form.is_valid():
            form.save(
                domain_override=domain,
                use_https=use_https,
                subject_template_name=subject_template_name,
                email_template_name=email_template_name,
            )
