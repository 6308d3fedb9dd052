"""Mails about joint statements, and the signed links in them that confirm a signature."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from spilka.campaigns.access.statements import (
    COSIGN_CONFIRM_SALT,
    INDIVIDUAL_CONFIRM_SALT,
    email_digest,
)
from spilka.campaigns.models import CoSignature, IndividualSignatory
from spilka.lib.mail import email_send_after_commit
from spilka.lib.signing import token_make


def cosign_link_make(cosignature: CoSignature) -> str:
    # Bound to the officer's address: a later request for the same organisation by someone
    # else makes an older link useless.
    payload = [cosignature.pk, email_digest(cosignature.officer_email)]
    return token_make(payload, purpose=COSIGN_CONFIRM_SALT)


def individual_link_make(signatory: IndividualSignatory) -> str:
    payload = [signatory.pk, email_digest(signatory.email)]
    return token_make(payload, purpose=INDIVIDUAL_CONFIRM_SALT)


def statement_mail_send(*, to: str, template: str, context: dict[str, Any], language: str) -> None:
    with translation.override(language):
        subject = " ".join(
            render_to_string(f"campaigns/email/{template}_subject.txt", context).split()
        )
        body = render_to_string(f"campaigns/email/{template}.txt", context)
    email_send_after_commit(to=[to], subject=subject, body=body)


def statement_url(base_url: str, name: str, language: str, **kwargs: Any) -> str:
    with translation.override(language):
        return base_url + reverse(name, kwargs=kwargs)
