"""An event's attendees, exported in the background (spilka/exports)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from spilka.events import access, selectors
from spilka.events.models import Event
from spilka.exports.registry import ExportKind, Params, export_kind_register
from spilka.lib.translated import pick

CHUNK = 2000


def _event(user: Any, params: Params) -> Event:
    """The event, for those who may change it (its organisers) only."""
    return access.event_get_for_user(user=user, slug=str(params.get("slug", "")), write=True)


def attendee_export_rows(event: Event, params: Params) -> Iterator[list[Any]]:
    """The header (the question labels are the organiser's words, escaped like any cell),
    then one row per registration that still stands."""
    questions = list(event.questions.all())
    yield [
        _("Name"),
        _("Email"),
        _("Status"),
        _("Language"),
        _("Registered at"),
        _("Checked in"),
    ] + [pick(q.label).text for q in questions]
    registrations = selectors.event_attendees(event).prefetch_related(None)
    for r in registrations.iterator(chunk_size=CHUNK):
        yield [
            r.full_name,
            r.email,
            r.get_status_display(),
            r.language,
            r.created_at,
            r.checked_in_at,
            *[r.answers.get(str(q.pk), "") for q in questions],
        ]


ATTENDEES = export_kind_register(
    ExportKind(
        name="events.attendees",
        label=gettext_lazy("Attendees"),
        audit_action="events.attendees.exported",
        subject=_event,
        organisation=lambda event: event.organiser,
        count=lambda event, params: selectors.event_attendees(event).count(),
        rows=attendee_export_rows,
        filename=lambda event, params, fmt: f"{event.slug}-attendees.{fmt}",
        sheet_title=gettext_lazy("Attendees"),
        formats=("csv",),
    )
)
