"""Reads for event pages: lists without N+1."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from spilka.events.access import RUN_ROLES, events_visible_to
from spilka.events.models import (
    Event,
    EventStatus,
    Recording,
    Registration,
    RegistrationStatus,
)
from spilka.lib.desk import DeskItem, DeskStart, first_and_count
from spilka.lib.paging import Excerpt, excerpt
from spilka.network.access import has_role
from spilka.network.models import Organisation


def _list_qs(qs: QuerySet[Event]) -> QuerySet[Event]:
    return qs.select_related("organiser", "series").prefetch_related("recordings")


def events_upcoming(user: Any, now: datetime.datetime | None = None) -> QuerySet[Event]:
    now = now or timezone.now()
    return _list_qs(events_visible_to(user).filter(ends_at__gt=now)).order_by("starts_at", "pk")


def events_upcoming_public(
    *,
    organisation: Organisation | None = None,
    limit: int = 5,
    now: datetime.datetime | None = None,
) -> Excerpt[Event]:
    """Public events not yet over and not cancelled, soonest first, for a front page. With ``organisation``: those it organises or co-organises.

    Only what an anonymous visitor may see, so it may be cached; times are put in the
    reader's zone when shown (``events.views.common.event_times``). At most three queries.
    """
    now = now or timezone.now()
    qs = Event.objects.filter(is_public=True, ends_at__gt=now).exclude(status=EventStatus.CANCELLED)
    if organisation is not None:
        co = Event.co_organisers.through.objects.filter(
            event_id=OuterRef("pk"), organisation_id=organisation.pk
        )
        qs = qs.filter(Q(organiser=organisation) | Exists(co))
    # The shared event row links a recording when there is one: prefetched, not per row.
    return excerpt(
        qs.select_related("organiser", "series")
        .prefetch_related("recordings")
        .order_by("starts_at", "pk"),
        limit,
    )


def events_archive(
    user: Any,
    *,
    series: str = "",
    topic: str = "",
    language: str = "",
    kind: str = "",
    now: datetime.datetime | None = None,
) -> QuerySet[Event]:
    """Past events, newest first; those with recordings are what the archive is for."""
    now = now or timezone.now()
    qs = events_visible_to(user).filter(ends_at__lte=now)
    if series:
        qs = qs.filter(series__slug=series)
    if topic:
        qs = qs.filter(topic=topic)
    if language:
        # JSON list membership, portable across SQLite and PostgreSQL.
        qs = qs.filter(languages__icontains=f'"{language}"')
    if kind:
        qs = qs.filter(kind=kind)
    qs = qs.annotate(has_recording=Exists(Recording.objects.filter(event_id=OuterRef("pk"))))
    return _list_qs(qs).order_by("-starts_at", "-pk")


def event_page_data(event: Event) -> dict[str, Any]:
    return {
        "speakers": list(event.speakers.all()),
        "recordings": list(event.recordings.all()),
        "materials": list(event.materials.all()),
        "co_organisers": list(event.co_organisers.all()),
        "questions": list(event.questions.all()),
    }


def event_counts(event: Event) -> dict[str, int]:
    rows = Registration.objects.filter(event=event).aggregate(
        confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
        offered=Count("pk", filter=Q(status=RegistrationStatus.OFFERED)),
        waitlisted=Count("pk", filter=Q(status=RegistrationStatus.WAITLISTED)),
        pending=Count("pk", filter=Q(status=RegistrationStatus.PENDING)),
        checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
    )
    return {key: value or 0 for key, value in rows.items()}


def event_attendees(event: Event, search: str = "") -> QuerySet[Registration]:
    qs = Registration.objects.filter(event=event).exclude(
        status__in=[RegistrationStatus.CANCELLED, RegistrationStatus.EXPIRED]
    )
    if search:
        qs = qs.filter(Q(full_name__icontains=search) | Q(email__icontains=search))
    return qs.prefetch_related(Prefetch("consents")).order_by("status", "full_name", "pk")


def campaign_events(campaign: Any, user: Any, limit: int = 10) -> list[Event]:
    return list(
        _list_qs(events_visible_to(user).filter(campaign=campaign)).order_by("-starts_at")[:limit]
    )


# --- The organiser's desk --------------------------------------------------------------
def desk_items_for(user: Any, organisation: Organisation) -> list[Any]:
    """Registrations waiting for approval at events this organisation runs (its admins and
    organisers only: co-organisers see no attendee data). One query."""

    if not has_role(user, organisation, RUN_ROLES):
        return []
    n, first = first_and_count(
        Registration.objects.filter(
            event__organiser=organisation, status=RegistrationStatus.PENDING
        ),
        "event__slug",
    )
    if not n or not first:
        return []
    label = ngettext(
        "%(count)s event registration to approve", "%(count)s event registrations to approve", n
    ) % {"count": n}
    return [
        DeskItem(
            kind="events.registrations",
            label=label,
            count=n,
            url=reverse("events:attendees", kwargs={"slug": first["event__slug"]}),
        )
    ]


def desk_starts_for(user: Any, organisation: Organisation) -> list[Any]:
    if not has_role(user, organisation, RUN_ROLES):
        return []
    url = reverse("events:create") + "?org=" + organisation.slug
    return [DeskStart(kind="events.event", label=_("New event"), url=url)]
