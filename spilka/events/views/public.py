"""Public event pages: the list, the archive, one event, a series, and registering."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from spilka.events import access, jsonld, selectors, zones
from spilka.events.forms import RegistrationForm
from spilka.events.models import Event, EventKind, Topic
from spilka.events.recurrence import describe_rule
from spilka.events.services import registrations as services
from spilka.events.views.common import event_times, recording_view, time_context
from spilka.lib.abuse import anonymous_form_check
from spilka.lib.consents import ConsentChoice
from spilka.lib.forms import form_add_validation_error
from spilka.lib.languages import WORKING_LANGUAGE_CHOICES
from spilka.lib.pow import pow_challenge
from spilka.network.display import publicly_named


def _rows(events: Any, zone: str) -> list[dict[str, Any]]:
    return [{"event": e, **event_times(e, zone)} for e in events]


def event_list(request: HttpRequest) -> HttpResponse:
    times = time_context(request)
    page = Paginator(selectors.events_upcoming(request.user), 25).get_page(request.GET.get("page"))
    can_create = (
        request.user.is_authenticated and access.organisations_running_events(request.user).exists()
    )
    return render(
        request,
        "events/event_list.html",
        {
            "page": page,
            "rows": _rows(page, times["viewer_zone"]),
            "can_create": can_create,
            **times,
        },
    )


def event_archive(request: HttpRequest) -> HttpResponse:
    times = time_context(request)
    filters: dict[str, Any] = {
        "series": request.GET.get("series", "")[:80],
        "topic": request.GET.get("topic", "") if request.GET.get("topic") in Topic.values else "",
        "language": request.GET.get("language", "")[:8],
        "kind": request.GET.get("kind", "") if request.GET.get("kind") in EventKind.values else "",
    }
    qs = selectors.events_archive(request.user, **filters)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    series = access.series_visible_to(request.user).order_by("slug")
    return render(
        request,
        "events/event_archive.html",
        {
            "page": page,
            "rows": _rows(page, times["viewer_zone"]),
            "filters": filters,
            "series_choices": list(series),
            "topic_choices": Topic.choices,
            "kind_choices": EventKind.choices,
            "language_choices": WORKING_LANGUAGE_CHOICES,
            **times,
        },
    )


def _event_page(
    request: HttpRequest, event: Event, form: RegistrationForm | None = None, status: int = 200
) -> HttpResponse:
    data = selectors.event_page_data(event)
    times = time_context(request, event)
    if form is None:
        form = RegistrationForm(
            questions=data["questions"],
            organisers=publicly_named([event.organiser, *data["co_organisers"]]),
        )
    page_url = request.build_absolute_uri(event.get_absolute_url())
    context = {
        "event": event,
        "form": form,
        "challenge": pow_challenge(),
        "can_run": access.event_can_run(user=request.user, event=event),
        "refusal": services.registration_refusal(event),
        "is_past": event.is_past(),
        "recording_items": [recording_view(r) for r in data["recordings"]],
        "counts": selectors.event_counts(event) if event.capacity else None,
        "jsonld": jsonld.as_script(
            jsonld.event_jsonld(event, page_url=page_url, recordings=data["recordings"])
        )
        if event.is_public
        else "",
        "page_url": page_url,
        **data,
        **times,
        **event_times(event, times["viewer_zone"]),
    }
    if context["counts"] is not None:
        taken = context["counts"]["confirmed"] + context["counts"]["offered"]
        context["places_left"] = max(0, (event.capacity or 0) - taken)
    return render(request, "events/event_detail.html", context, status=status)


def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = access.event_get_for_user(user=request.user, slug=slug)
    return _event_page(request, event)


@require_POST
def event_register(request: HttpRequest, slug: str) -> HttpResponse:
    event = access.event_get_for_user(user=request.user, slug=slug)
    data = selectors.event_page_data(event)
    form = RegistrationForm(
        request.POST,
        questions=data["questions"],
        organisers=publicly_named([event.organiser, *data["co_organisers"]]),
    )
    refusal = services.registration_refusal(event)
    if refusal:
        form.add_error(None, refusal)
        return _event_page(request, event, form, status=400)
    screened = anonymous_form_check(request, form, "event-register")
    if screened is not None and screened.bot:
        return render(request, "events/registration_check_mail.html", {"event": event})
    if screened is not None:
        return _event_page(request, event, form, status=screened.status)
    try:
        services.event_register(
            event=event,
            full_name=form.cleaned_data["full_name"],
            email=form.cleaned_data["email"],
            answers=form.answers(),
            consents=[ConsentChoice(org, wording) for org, wording in form.consent_choices()],
            language=request.LANGUAGE_CODE,
            time_zone=zones.viewer_zone_name(request),
            base_url=request.build_absolute_uri("/").rstrip("/"),
        )
    except ValidationError as error:
        form_add_validation_error(form, error)
        return _event_page(request, event, form, status=400)
    # The same page for a new registration and for an address already registered (someone
    # else may have typed it): the private links go only to the address, by mail.
    return render(request, "events/registration_check_mail.html", {"event": event})


def series_detail(request: HttpRequest, slug: str) -> HttpResponse:
    series = access.series_get_for_user(user=request.user, slug=slug)
    times = time_context(request)
    upcoming = selectors.events_upcoming(request.user).filter(series=series)
    past = selectors.events_archive(request.user, series=series.slug)[:50]
    return render(
        request,
        "events/series_detail.html",
        {
            "series": series,
            "rule_words": describe_rule(series.recurrence),
            "upcoming": _rows(upcoming, times["viewer_zone"]),
            "past": _rows(past, times["viewer_zone"]),
            "can_run": access.series_can_run(user=request.user, series=series),
            **times,
        },
    )
