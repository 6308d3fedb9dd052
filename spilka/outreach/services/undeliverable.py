"""Addresses that bounce or complained: their supporters stop receiving mail.

Locks are taken in the one order every supporter writer keeps (docs/outreach.md, "Supporter
counts"): organisation by organisation in id order, and in each its supporter rows in id
order, then its counts row. A batch of bounce reports is one transaction, so it goes
through the organisations its addresses name in that order, never back to one it has left:
two batches naming the same organisations in opposite order, or a batch and a sign-up, a
petition confirmation or an import of the same supporters, then wait for each other in a
line, never in a circle.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from spilka.lib.audit import audit_record
from spilka.network.models import Organisation
from spilka.network.normalise import normalise_email
from spilka.outreach.models import MailingRecipient, RecipientStatus, Supporter, SupporterStatus
from spilka.outreach.services.counts import Change, supporter_counts_change

KINDS = {"bounce", "complaint"}


@transaction.atomic
def address_mark_undeliverable(
    *, email: str, kind: str, organisation: Organisation | None = None, via: str = ""
) -> int:
    """A bounce ("bounce") or spam complaint ("complaint") for ``email``: every organisation's
    supporter row with it stops receiving mail (the address is what fails), and its latest
    receipt is marked. ``via`` names the webhook that reported it (for the audit row).
    Returns how many supporters changed."""
    return addresses_mark_undeliverable(marks=[(email, kind)], organisation=organisation, via=via)[
        0
    ]


@transaction.atomic
def addresses_mark_undeliverable(
    *,
    marks: Iterable[tuple[str, str]],
    organisation: Organisation | None = None,
    via: str = "",
) -> list[int]:
    """``address_mark_undeliverable`` for a batch of (address, kind) in one transaction, in
    the lock order above. Returns, for each mark, how many supporters it changed."""
    marks = [(normalise_email(email), kind) for email, kind in marks]
    if any(kind not in KINDS for _email, kind in marks):
        raise ValueError("kind must be 'bounce' or 'complaint'")
    if not marks:
        return []
    emails = {email for email, _kind in marks}
    named = Supporter.objects.filter(email__in=emails)
    if organisation is not None:
        named = named.filter(organisation=organisation)
    changed = [0] * len(marks)
    organisation_ids = named.order_by("organisation_id").values_list("organisation_id", flat=True)
    for organisation_id in sorted(set(organisation_ids)):
        # One organisation at a time: its supporters locked in one query in id order, then
        # its counts. A petition confirmation announcing to several organisations takes
        # their locks in this order too.
        by_email: dict[str, list[Supporter]] = {}
        for supporter in (
            Supporter.objects.select_for_update(of=("self",))
            .filter(organisation_id=organisation_id, email__in=emails)
            .select_related("organisation")
            .order_by("pk")
        ):
            by_email.setdefault(supporter.email, []).append(supporter)
        changes: list[Change] = []
        for index, (email, kind) in enumerate(marks):
            for supporter in by_email.get(email, []):
                before = supporter.status
                if _mark(supporter, kind=kind, via=via):
                    changes.append((organisation_id, before, supporter.status))
                    changed[index] += 1
        supporter_counts_change(changes)
    return changed


def _mark(supporter: Supporter, *, kind: str, via: str) -> bool:
    """Mark the supporter's latest receipt and, unless already so, the supporter."""
    status = SupporterStatus.BOUNCED if kind == "bounce" else SupporterStatus.COMPLAINED
    receipt_status = RecipientStatus.BOUNCED if kind == "bounce" else RecipientStatus.COMPLAINED
    latest = (
        MailingRecipient.objects.filter(supporter=supporter, status=RecipientStatus.SENT)
        .order_by("-sent_at", "-id")
        .first()
    )
    if latest is not None:
        latest.status = receipt_status
        latest.save(update_fields=["status"])
    if supporter.status == status or (
        supporter.status == SupporterStatus.COMPLAINED and status == SupporterStatus.BOUNCED
    ):
        return False
    before = supporter.status
    supporter.status = status
    supporter.updated_at = timezone.now()
    supporter.save(update_fields=["status", "updated_at"])
    audit_record(
        actor="mail server",
        action=f"outreach.supporter.{status}",
        obj=supporter,
        organisation=supporter.organisation,
        before={"status": before},
        after={"status": status, "via": via} if via else {"status": status},
    )
    return True
