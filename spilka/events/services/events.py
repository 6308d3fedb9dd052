"""Creating and changing events and series, their speakers, questions and recordings."""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from spilka.campaigns.selectors import campaign_check_pickable
from spilka.events.mail import registration_mail
from spilka.events.models import (
    Event,
    EventMessage,
    EventStatus,
    Material,
    Question,
    Recording,
    Registration,
    RegistrationStatus,
    Series,
    Speaker,
)
from spilka.events.recurrence import occurrences
from spilka.events.services.reminders import reminders_schedule
from spilka.lib.audit import audit_record, snapshot
from spilka.lib.slugs import slug_from
from spilka.network.link_requests import co_organisers_request
from spilka.network.models import Organisation
from spilka.network.selectors import organisations_check_pickable

EVENT_FIELDS = {
    "kind",
    "campaign",
    "series",
    "title",
    "description",
    "original_language",
    "topic",
    "languages",
    "starts_at",
    "ends_at",
    "time_zone",
    "is_online",
    "venue_name",
    "address",
    "city",
    "country",
    "join_url",
    "join_details",
    "capacity",
    "is_public",
    "status",
    "registration_enabled",
    "requires_approval",
    "join_after_email_confirmation",
    "registration_opens_at",
    "registration_closes_at",
    "turnout",
}


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - EVENT_FIELDS
    if unknown:
        raise TypeError(f"Unknown event fields: {sorted(unknown)}")


@transaction.atomic
def event_create(
    *,
    by: Any,
    organiser: Organisation,
    slug: str,
    co_organisers: list[Organisation] | None = None,
    co_organisers_confirmed: bool | None = None,
    **fields: Any,
) -> Event:
    """Create an event. Each co-organiser named is asked, and joins once it accepts
    (at once when ``by`` answers for it too; the demo passes ``co_organisers_confirmed``)."""
    _check_fields(fields)
    organisations_check_pickable(
        user=by, organisations=co_organisers or [], field="co_organisers", purpose="co_organiser"
    )
    campaign_check_pickable(campaign=fields.get("campaign"), organisation=organiser)
    event = Event(organiser=organiser, slug=slug, **fields)
    event.full_clean()
    event.save()
    audit_record(
        actor=by,
        action="events.event.created",
        obj=event,
        organisation=organiser,
        after=snapshot(event),
    )
    if co_organisers:
        co_organisers_request(
            by=by, desired=co_organisers, event=event, confirmed=co_organisers_confirmed
        )
    if event.starts_at > timezone.now() and event.status == EventStatus.SCHEDULED:
        reminders_schedule(event)
    return event


@transaction.atomic
def event_update(
    *, event: Event, by: Any, co_organisers: list[Any] | None = None, **fields: Any
) -> Event:
    """Change an event. A new start resets and reschedules reminders; a cancellation
    tells every registrant. New co-organisers are asked and join once they accept; the
    ones left out are removed."""

    _check_fields(fields)
    event = (
        Event.objects.select_for_update(of=("self",)).select_related("organiser").get(pk=event.pk)
    )
    before = snapshot(event)
    if "campaign" in fields and fields["campaign"] != event.campaign:
        campaign_check_pickable(campaign=fields["campaign"], organisation=event.organiser)
    for name, value in fields.items():
        setattr(event, name, value)
    event.full_clean()
    before_co = sorted(event.co_organisers.values_list("pk", flat=True))
    if co_organisers is not None:
        organisations_check_pickable(
            user=by,
            organisations=co_organisers,
            already=event.co_organisers.all(),
            field="co_organisers",
            purpose="co_organiser",
        )
        co_organisers_request(by=by, desired=co_organisers, event=event)
    after_co = sorted(event.co_organisers.values_list("pk", flat=True))
    after = snapshot(event)
    if before == after and before_co == after_co:
        return event
    event.save()
    audit_record(
        actor=by,
        action="events.event.updated",
        obj=event,
        organisation=event.organiser,
        # A co-organiser removed finds it on its own audit page too.
        also=Organisation.objects.filter(pk__in={*before_co, *after_co}),
        before={**before, "co_organisers": before_co},
        after={**after, "co_organisers": after_co},
    )
    moved = before["starts_at"] != after["starts_at"]
    if moved:
        # Reminders count from the new start: everyone gets them again, at the new times.
        event.registrations.update(reminder_24h_sent_at=None, reminder_1h_sent_at=None)
    became_active = before["status"] != after["status"] and event.status in (
        EventStatus.SCHEDULED,
        EventStatus.MOVED_ONLINE,
    )
    if (moved or became_active) and event.starts_at > timezone.now():
        reminders_schedule(event)
    if before["status"] != EventStatus.CANCELLED and event.status == EventStatus.CANCELLED:
        for registration in event.registrations.filter(
            status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.PENDING]
        ).select_related("event"):
            registration.event = event
            registration_mail(registration, "event_cancelled")
    return event


def _free_slug(base: str) -> str:
    base = slug_from(base, max_length=70, fallback="event")
    slug, n = base, 2
    while Event.objects.filter(slug=slug).exists() or Series.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


@transaction.atomic
def event_duplicate(*, event: Event, by: Any) -> Event:
    """A copy to edit: same texts, speakers and questions; no registrations, recordings.
    The original's co-organisers are asked again; a campaign the organiser no longer runs
    is left out."""
    fields = {name: getattr(event, name) for name in EVENT_FIELDS}
    fields.update(status=EventStatus.SCHEDULED, turnout=None)
    try:
        campaign_check_pickable(campaign=fields["campaign"], organisation=event.organiser)
    except ValidationError:
        # The organiser no longer runs that campaign: the copy is not counted in it.
        fields["campaign"] = None
    copy = event_create(
        by=by, organiser=event.organiser, slug=_free_slug(f"{event.slug}-copy"), **fields
    )
    # The original's co-organisers agreed to the original, not to the copy: each is asked
    # again (not picked again: they were pickable when first asked) and joins on accepting.
    invited = co_organisers_request(by=by, desired=list(event.co_organisers.all()), event=copy)
    Speaker.objects.bulk_create(
        Speaker(
            event=copy,
            name=s.name,
            organisation_name=s.organisation_name,
            bio=s.bio,
            position=s.position,
        )
        for s in event.speakers.all()
    )
    Question.objects.bulk_create(
        Question(
            event=copy,
            label=q.label,
            kind=q.kind,
            choices=q.choices,
            required=q.required,
            position=q.position,
        )
        for q in event.questions.all()
    )
    audit_record(
        actor=by,
        action="events.event.duplicated",
        obj=copy,
        organisation=event.organiser,
        before={"source": event.pk},
        after={"copy": copy.pk, "invited": invited["invited"]},
    )
    return copy


def _add_child(model: type, *, event: Event, by: Any, action: str, **fields: Any) -> Any:
    obj = model(event=event, **fields)
    obj.full_clean()
    obj.save()
    audit_record(
        actor=by, action=action, obj=obj, organisation=event.organiser, after=snapshot(obj)
    )
    return obj


@transaction.atomic
def speaker_add(*, event: Event, by: Any, **fields: Any) -> Speaker:
    fields.setdefault("position", event.speakers.count())
    return _add_child(Speaker, event=event, by=by, action="events.speaker.added", **fields)


@transaction.atomic
def question_add(*, event: Event, by: Any, **fields: Any) -> Question:
    fields.setdefault("position", event.questions.count())
    return _add_child(Question, event=event, by=by, action="events.question.added", **fields)


@transaction.atomic
def recording_add(
    *, event: Event, by: Any, url: str, title: str = "", language: str = ""
) -> Recording:
    return _add_child(
        Recording,
        event=event,
        by=by,
        action="events.recording.added",
        url=url,
        title=title,
        language=language,
        position=event.recordings.count(),
    )


@transaction.atomic
def material_add(*, event: Event, by: Any, title: str, url: str) -> Material:
    return _add_child(
        Material, event=event, by=by, action="events.material.added", title=title, url=url
    )


@transaction.atomic
def event_message_send(*, event: Event, by: Any, subject: str, body: str) -> EventMessage:
    """Write an organiser's message to confirmed registrants; the task queue delivers it."""
    subject, body = subject.strip(), body.strip()
    if not subject or not body:
        raise ValidationError(_("Give a subject and a message."))
    message = EventMessage(
        event=event,
        subject=subject,
        body=body,
        sent_by=(by.get_username() if getattr(by, "is_authenticated", False) else str(by))[:254],
    )
    message.full_clean()
    message.save()
    audit_record(
        actor=by,
        action="events.message.sent",
        obj=message,
        organisation=event.organiser,
        after={"subject": subject},
    )
    pk = message.pk
    transaction.on_commit(lambda: event_message_deliver.enqueue(message_id=pk))
    return message


def event_message_deliver_now(*, message_id: int) -> int:
    """Queue one mail per confirmed registrant (from the worker). Idempotent."""

    with transaction.atomic():
        claimed = EventMessage.objects.filter(pk=message_id, delivered_at__isnull=True).update(
            delivered_at=timezone.now()
        )
        if not claimed:
            return 0
        message = EventMessage.objects.select_related("event", "event__organiser").get(
            pk=message_id
        )
        count = 0
        for registration in Registration.objects.filter(
            event=message.event, status=RegistrationStatus.CONFIRMED
        ):
            registration.event = message.event
            registration_mail(registration, "message", message=message)
            count += 1
        EventMessage.objects.filter(pk=message_id).update(recipients=count)
    return count


@transaction.atomic
def series_create(*, by: Any, organiser: Organisation, slug: str, **fields: Any) -> Series:
    series = Series(organiser=organiser, slug=slug, **fields)
    series.full_clean()
    series.save()
    audit_record(
        actor=by,
        action="events.series.created",
        obj=series,
        organisation=organiser,
        after=snapshot(series),
    )
    return series


@transaction.atomic
def series_generate(
    *,
    series: Series,
    by: Any,
    after: datetime.date,
    until: datetime.date,
    count: int | None = None,
    **event_fields: Any,
) -> list[Event]:
    """Create the series' occurrences in a date range (skipping those that exist), at
    most ``count`` of them when given."""
    if not series.recurrence:
        raise ValidationError(_("This series has no recurrence rule."))
    existing = set(series.events.values_list("starts_at", flat=True))
    created: list[Event] = []
    for start in occurrences(
        rule=series.recurrence,
        time_zone=series.time_zone,
        local_start_time=series.local_start_time,
        after=after,
        until=until,
    ):
        if start in existing:
            continue
        if count is not None and len(created) >= count:
            break
        fields = {
            "kind": "online_forum",
            "title": series.title,
            "description": series.description,
            "original_language": series.original_language,
            "is_online": True,
            "is_public": series.is_public,
            **event_fields,
        }
        created.append(
            event_create(
                by=by,
                organiser=series.organiser,
                slug=_free_slug(f"{series.slug}-{start.astimezone(series_zone(series)):%Y-%m-%d}"),
                series=series,
                starts_at=start,
                ends_at=start + datetime.timedelta(minutes=series.duration_minutes),
                time_zone=series.time_zone,
                **fields,
            )
        )
    return created


def series_zone(series: Series) -> Any:
    return zoneinfo.ZoneInfo(series.time_zone)


# The background entry point beside the work it runs (spilka/events/tasks.py keeps the old
# path for jobs already queued).
@task(queue_name="default")
def event_message_deliver(*, message_id: int) -> int:
    return event_message_deliver_now(message_id=message_id)
