"""Who may see or run events.

An event is run by its organiser organisation: its admins and organisers see attendees,
check people in, export and message them. Co-organisers are named on the page but see no
attendee data (least privilege). Members-only events are seen by anyone with a role in an
organising organisation; public ones by everybody. Nothing else decides this.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from spilka.events.models import Event, Registration, Series
from spilka.network.access import is_superuser, user_roles
from spilka.network.models import Organisation, Role

RUN_ROLES = frozenset({str(Role.ADMIN), str(Role.ORGANISER)})


def event_can_run(*, user: Any, event: Event) -> bool:
    if is_superuser(user):
        return True
    return bool(user_roles(user).get(event.organiser_id, set()) & RUN_ROLES)


def series_can_run(*, user: Any, series: Series) -> bool:
    if is_superuser(user):
        return True
    return bool(user_roles(user).get(series.organiser_id, set()) & RUN_ROLES)


def events_visible_to(user: Any) -> QuerySet[Event]:
    qs = Event.objects.all()
    if is_superuser(user):
        return qs
    org_ids = list(user_roles(user))
    if not org_ids:
        return qs.filter(is_public=True)
    co = Event.co_organisers.through.objects.filter(
        event_id=OuterRef("pk"), organisation_id__in=org_ids
    )
    return qs.filter(Q(is_public=True) | Q(organiser_id__in=org_ids) | Exists(co))


def events_listed_for(user: Any) -> QuerySet[Event]:
    """``events_visible_to`` for lists that anyone may page through (the API): another
    organisation's public event is listed only when that organisation is public too."""
    if is_superuser(user):
        return Event.objects.all()
    org_ids = list(user_roles(user))
    co = Event.co_organisers.through.objects.filter(
        event_id=OuterRef("pk"), organisation_id__in=org_ids
    )
    own = Q(organiser_id__in=org_ids) | Exists(co)
    return events_visible_to(user).filter(Q(organiser__is_public=True) | own)


def series_visible_to(user: Any) -> QuerySet[Series]:
    qs = Series.objects.all()
    if is_superuser(user):
        return qs
    org_ids = list(user_roles(user))
    return qs.filter(Q(is_public=True) | Q(organiser_id__in=org_ids))


def event_get_for_user(*, user: Any, slug: str, write: bool = False) -> Event:
    event = (
        events_visible_to(user)
        .select_related("organiser", "series", "campaign")
        .filter(slug=slug)
        .first()
    )
    if event is None:
        raise Http404
    if write and not event_can_run(user=user, event=event):
        raise PermissionDenied
    return event


def series_get_for_user(*, user: Any, slug: str, write: bool = False) -> Series:
    series = series_visible_to(user).select_related("organiser").filter(slug=slug).first()
    if series is None:
        raise Http404
    if write and not series_can_run(user=user, series=series):
        raise PermissionDenied
    return series


def registration_get_for_organiser(*, user: Any, event: Event, pk: int) -> Registration:
    if not event_can_run(user=user, event=event):
        raise PermissionDenied
    registration = event.registrations.filter(pk=pk).first()
    if registration is None:
        raise Http404
    return registration


def organisations_running_events(user: Any) -> QuerySet[Organisation]:
    """Organisations in whose name ``user`` may create events."""
    if is_superuser(user):
        return Organisation.objects.all()
    ids = [org_id for org_id, held in user_roles(user).items() if held & RUN_ROLES]
    return Organisation.objects.filter(pk__in=ids)
