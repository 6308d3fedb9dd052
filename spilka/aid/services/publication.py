"""When a delivered manifest line may appear on public reports.

A line is public once its handover is confirmed, and not before the handover's
``publish_after`` nor its pledge's ``publish_after``: the donor and the convoy's organisers
may each ask for a delay (for safety, or to announce a gift together).
"""

from __future__ import annotations

import datetime

from spilka.aid.models import Handover, ManifestLine


def manifest_public_from_refresh(*, handover: Handover) -> None:
    """Recompute ``public_from`` on the handover's lines (call under the service's lock)."""
    if handover.confirmed_at is None:
        return
    lines = ManifestLine.objects.filter(handover=handover).select_related("pledge_line__pledge")
    groups: dict[datetime.datetime, list[int]] = {}
    for line in lines:
        moments = [handover.confirmed_at, handover.publish_after]
        if line.pledge_line_id is not None:
            moments.append(line.pledge_line.pledge.publish_after)  # type: ignore[union-attr]
        public_from = max(m for m in moments if m is not None)
        groups.setdefault(public_from, []).append(line.pk)
    for public_from, ids in groups.items():
        ManifestLine.objects.filter(pk__in=ids).update(public_from=public_from)
