from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from spilka.funds.models import Donor, Fund, ImportBatch, Transaction, TransactionKind
from spilka.funds.services.ledger import transaction_post
from spilka.lib.supporters import SupporterAction, supporter_action_announce
from spilka.network.models import Organisation
from spilka.network.normalise import normalise_email
from spilka.webhooks import payloads
from spilka.webhooks.services import webhook_emit

CONSENT_WORDING = (
    "I would like to hear from this organisation by email. I can unsubscribe at any time."
)


def donor_find_or_create(
    *,
    organisation: Organisation,
    name: str = "",
    email: str = "",
    show_name: bool = False,
    consented_updates: bool = False,
) -> Donor | None:
    name, email = (name or "").strip()[:200], normalise_email(email) if email else ""
    if not name and not email:
        return None
    donor = None
    if email:
        donor = Donor.objects.filter(
            organisation=organisation, email=email, erased_at__isnull=True
        ).first()
    if donor is None:
        donor = Donor(organisation=organisation, name=name, email=email)
    # Opt-ins only ever widen from the donor's own latest word.
    donor.show_name = donor.show_name or show_name
    donor.consented_updates = donor.consented_updates or consented_updates
    donor.name = donor.name or name
    donor.full_clean()
    donor.save()
    return donor


@transaction.atomic
def donation_record(
    *,
    fund: Fund,
    amount: Decimal | str,
    currency: str,
    occurred_on: datetime.date,
    by: Any,
    donor_name: str = "",
    donor_email: str = "",
    show_name: bool = False,
    consented_updates: bool = False,
    reference: str = "",
    description: str = "",
    counterparty: Organisation | None = None,
    rate: Decimal | str | None = None,
    rate_confirmed: bool = False,
    import_batch: ImportBatch | None = None,
    counterparty_confirmed: bool | None = None,
) -> Transaction:
    """A donation (or, with ``counterparty``, a grant from a union body)."""
    donor = donor_find_or_create(
        organisation=fund.organisation,
        name=donor_name,
        email=donor_email,
        show_name=show_name,
        consented_updates=consented_updates,
    )
    entry = transaction_post(
        fund=fund,
        kind=TransactionKind.GRANT if counterparty is not None else TransactionKind.DONATION,
        amount=amount,
        currency=currency,
        occurred_on=occurred_on,
        by=by,
        description=description,
        reference=reference,
        counterparty=counterparty,
        donor=donor,
        rate=rate,
        rate_confirmed=rate_confirmed,
        import_batch=import_batch,
        counterparty_confirmed=counterparty_confirmed,
    )
    webhook_emit(
        organisation=fund.organisation_id, event="donation.recorded", data=payloads.donation(entry)
    )
    if donor is not None and donor.email and consented_updates:
        supporter_action_announce(
            SupporterAction(
                organisation_id=fund.organisation_id,
                email=donor.email,
                name=donor.name,
                language="en",
                country="",
                kind="donated",
                object_key=f"funds.fund:{fund.pk}",
                object_label=str(fund),
                occurred_at=timezone.now(),
                consented_to_updates=True,
                consent_wording=CONSENT_WORDING,
            )
        )
    return entry
