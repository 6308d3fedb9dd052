"""How many supporters each organisation has in each status (``SupporterCount``), kept
exact by every service that adds, changes or removes supporters.

A service tells ``supporter_counts_change`` what it did, in its own transaction, once it
holds the supporter rows it changed (``select_for_update``), so the status it read is the
one it replaced: ``(organisation id, status before, status after)``, ``None`` before for a
new supporter and after for a removed one. Organisations are updated in id order, so two
transactions touching the same organisations take their row locks in the same order.

``supporter_counts_rebuild`` counts again from the supporters. It locks the organisation's
row before counting: a writer that changed supporters before waits no longer than its own
commit and is seen by the count; one that changes them after waits for the lock and adds
its change to the fresh figures. (This holds at READ COMMITTED, Django's default.)
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Count, F

from spilka.outreach.models import Supporter, SupporterCount, SupporterStatus

Change = tuple[int, str | None, str | None]


def supporter_counts_change(changes: Iterable[Change]) -> None:
    """Add what the caller did to the counts: each change is (organisation id, status
    before or None for a new supporter, status after or None for a removed one)."""
    deltas: dict[int, Counter[str]] = defaultdict(Counter)
    for organisation_id, before, after in changes:
        if before == after:
            continue
        if before is not None:
            deltas[organisation_id][before] -= 1
        if after is not None:
            deltas[organisation_id][after] += 1
    for organisation_id in sorted(deltas):
        moved = {status: n for status, n in deltas[organisation_id].items() if n}
        if not moved:
            continue
        if not SupporterCount.objects.filter(organisation_id=organisation_id).update(
            **{status: F(status) + n for status, n in moved.items()}
        ):
            # No row yet: counted from scratch, which already includes this change.
            supporter_counts_rebuild(organisation_id=organisation_id)


@transaction.atomic
def supporter_counts_rebuild(*, organisation_id: int) -> SupporterCount:
    """Count the organisation's supporters again and store the figures."""
    row = _locked_row(organisation_id)
    fresh = dict(
        Supporter.objects.filter(organisation_id=organisation_id)
        .order_by()
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    for status in SupporterStatus.values:
        setattr(row, status, fresh.get(status, 0))
    row.save()
    return row


def supporter_counts_rebuild_all() -> int:
    """Recount every organisation that has supporters or a row of counts; returns how many.
    One transaction per organisation, so writers wait for one count at a time."""
    organisation_ids = set(
        Supporter.objects.order_by().values_list("organisation_id", flat=True).distinct()
    )
    organisation_ids |= set(SupporterCount.objects.values_list("organisation_id", flat=True))
    for organisation_id in sorted(organisation_ids):
        supporter_counts_rebuild(organisation_id=organisation_id)
    return len(organisation_ids)


def supporter_counts_differences() -> dict[int, dict[str, tuple[int, int]]]:
    """Organisations whose stored counts differ from a fresh count: for each, the statuses
    that differ as (stored, counted). Empty when every figure is right."""
    counted: dict[int, Counter[str]] = defaultdict(Counter)
    for organisation_id, status, n in (
        Supporter.objects.order_by()
        .values("organisation_id", "status")
        .annotate(n=Count("id"))
        .values_list("organisation_id", "status", "n")
    ):
        counted[organisation_id][status] = n
    stored = {row.organisation_id: row.by_status() for row in SupporterCount.objects.all()}
    differences: dict[int, dict[str, tuple[int, int]]] = {}
    for organisation_id in sorted(set(counted) | set(stored)):
        have = stored.get(organisation_id, {})
        wrong = {
            status: (have.get(status, 0), counted[organisation_id][status])
            for status in SupporterStatus.values
            if have.get(status, 0) != counted[organisation_id][status]
        }
        if wrong:
            differences[organisation_id] = wrong
    return differences


def _locked_row(organisation_id: int) -> SupporterCount:
    row = SupporterCount.objects.select_for_update().filter(organisation_id=organisation_id).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():  # a savepoint: another transaction may add the row first
            return SupporterCount.objects.create(organisation_id=organisation_id)
    except IntegrityError:
        return SupporterCount.objects.select_for_update().get(organisation_id=organisation_id)
