"""A convoy's route: the planned arrival and departure at each stop."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from spilka.aid.models import Convoy, ConvoyStatus, RouteStop
from spilka.aid.models.convoys import validate_time_zone
from spilka.lib.audit import audit_record

# Once the convoy is home (or never left), its plan is history: kept as it was.
ROUTE_FROZEN = {ConvoyStatus.CONFIRMED, ConvoyStatus.CANCELLED, ConvoyStatus.RETURNED}


def _iso(value: datetime.datetime | None) -> str | None:
    return value.isoformat() if value else None


@transaction.atomic
def route_times_set(
    *,
    convoy: Convoy,
    by: Any,
    time_zone: str,
    times: dict[int, tuple[datetime.datetime | None, datetime.datetime | None]],
) -> list[RouteStop]:
    """Set each stop's planned arrival and departure, and the zone they were typed in.

    ``times`` maps a stop's id to ``(arrival, departure)``, aware datetimes or None. A
    departure must come after the arrival at the same stop; every problem is reported
    at once, by stop, and nothing is saved unless all are right.
    """
    validate_time_zone(time_zone)
    convoy = Convoy.objects.select_for_update(of=("self",)).get(pk=convoy.pk)
    if convoy.status in ROUTE_FROZEN:
        raise ValidationError(_("This convoy is finished: its route can no longer be changed."))
    stops = {s.pk: s for s in RouteStop.objects.select_for_update().filter(convoy=convoy)}
    unknown = set(times) - set(stops)
    if unknown:
        raise ValidationError(_("That stop is not on this convoy's route."))
    errors: dict[str, list[str]] = {}
    for pk, (arrival, departure) in times.items():
        if arrival and departure and departure <= arrival:
            errors.setdefault(f"departure_{pk}", []).append(
                _("%(place)s: the departure must come after the arrival.")
                % {"place": stops[pk].place}
            )
    if errors:
        raise ValidationError(errors)
    before: dict[str, Any] = {"time_zone": convoy.time_zone, "stops": {}}
    after: dict[str, Any] = {"time_zone": time_zone, "stops": {}}
    changed = []
    for pk, (arrival, departure) in sorted(times.items()):
        stop = stops[pk]
        if (stop.planned_at, stop.planned_departure) == (arrival, departure):
            continue
        before["stops"][str(pk)] = [_iso(stop.planned_at), _iso(stop.planned_departure)]
        after["stops"][str(pk)] = [_iso(arrival), _iso(departure)]
        stop.planned_at, stop.planned_departure = arrival, departure
        stop.full_clean()
        stop.save(update_fields=["planned_at", "planned_departure"])
        changed.append(stop)
    zone_changed = convoy.time_zone != time_zone
    if zone_changed:
        convoy.time_zone = time_zone
        convoy.save(update_fields=["time_zone", "updated_at"])
    if changed or zone_changed:
        audit_record(
            actor=by,
            action="aid.route.times_changed",
            obj=convoy,
            organisation=convoy.organisation,
            before=before,
            after=after,
        )
    return changed
