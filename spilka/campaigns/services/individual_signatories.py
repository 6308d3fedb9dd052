"""Signing a joint statement in one's own name, confirmed from an emailed link."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from spilka.campaigns.access.statements import email_digest
from spilka.campaigns.models import IndividualSignatory, Statement
from spilka.campaigns.services.statement_mail import (
    individual_link_make,
    statement_mail_send,
    statement_url,
)
from spilka.campaigns.services.statements import statement_lead, statement_require_open
from spilka.lib import ratelimit
from spilka.lib.audit import audit_record
from spilka.network.normalise import normalise_email


def _send_individual_confirmation(
    signatory: IndividualSignatory, language: str, base_url: str
) -> None:
    if not ratelimit.address_mail_allowed(signatory.email):
        return  # the address has had its share of mail this hour: same answer, no mail
    statement_mail_send(
        to=signatory.email,
        template="cosign_individual_confirm",
        context={
            "signatory": signatory,
            "statement": signatory.statement,
            "confirm_url": statement_url(
                base_url,
                "campaigns:individual_confirm",
                language,
                token=individual_link_make(signatory),
            ),
            "hours": settings.SPILKA_SIGNATURE_CONFIRM_HOURS,
        },
        language=language,
    )


def individual_sign(
    *,
    statement: Statement,
    full_name: str,
    email: str,
    affiliation: str = "",
    country: str = "",
    language: str = "en",
    base_url: str = "",
) -> tuple[IndividualSignatory, bool]:
    """Sign in one's own name, waiting for email confirmation; ``(signatory, created)``."""
    if not statement.allow_individuals:
        raise ValidationError(_("This statement is signed by organisations only."), code="closed")
    statement_require_open(statement)
    email = normalise_email(email)
    try:
        with transaction.atomic():
            signatory = IndividualSignatory(
                statement=statement,
                full_name=full_name.strip(),
                email=email,
                affiliation=affiliation.strip(),
                country=country,
            )
            signatory.full_clean(validate_unique=False, validate_constraints=False)
            signatory.save()
            audit_record(
                actor="signer",
                action="campaigns.individual_signatory.created",
                obj=signatory,
                organisation=statement_lead(statement),
                after={"statement": statement.pk, "confirmed": False},
            )
            _send_individual_confirmation(signatory, language, base_url)
            # From now on this address is answered like one that signed before: a second
            # try within the window sends nothing either way.
            cache.add(f"individual-resend:{signatory.pk}", 1, timeout=600)
        return signatory, True
    except IntegrityError:
        pass
    # Signed before: the page says the same, and the address gets one mail as a new signer
    # would: a fresh link if unconfirmed, else a note that it is already listed.
    with transaction.atomic():
        signatory = IndividualSignatory.objects.select_for_update(of=("self",)).get(
            statement=statement, email=email
        )
        if cache.add(f"individual-resend:{signatory.pk}", 1, timeout=600):
            if signatory.confirmed_at is None:
                _send_individual_confirmation(signatory, language, base_url)
            else:
                statement_mail_send(
                    to=signatory.email,
                    template="individual_already_signed",
                    context={"statement": statement},
                    language=language,
                )
    return signatory, False


@transaction.atomic
def individual_confirm(*, signatory_id: int, digest: str) -> IndividualSignatory | None:
    signatory = (
        IndividualSignatory.objects.select_for_update(of=("self",))
        .select_related("statement", "statement__campaign")
        .filter(pk=signatory_id)
        .first()
    )
    if signatory is None or email_digest(signatory.email) != digest:
        return None
    if signatory.confirmed_at is not None:
        return signatory
    signatory.confirmed_at = timezone.now()
    signatory.save(update_fields=["confirmed_at"])
    audit_record(
        actor="signer",
        action="campaigns.individual_signatory.confirmed",
        obj=signatory,
        organisation=statement_lead(signatory.statement),
        before={"confirmed": False},
        after={"confirmed": True},
    )
    return signatory


@transaction.atomic
def individuals_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete unconfirmed individual signatures (and the personal data in them) past their time."""
    deleted, _count = IndividualSignatory.objects.filter(
        confirmed_at__isnull=True,
        created_at__lte=(now or timezone.now())
        - datetime.timedelta(hours=settings.SPILKA_SIGNATURE_CONFIRM_HOURS),
    ).delete()
    return deleted
