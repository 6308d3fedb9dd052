"""Organisers' pages: create and edit, speakers, questions, recordings, attendees,
check-in, CSV, messages, duplicates. Every view goes through the access module."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from spilka.events import access, selectors
from spilka.events.exports import ATTENDEES
from spilka.events.forms import (
    EventForm,
    MaterialForm,
    MessageForm,
    QuestionForm,
    RecordingForm,
    SpeakerForm,
)
from spilka.events.models import Event
from spilka.events.services import events as services
from spilka.events.services import registrations as reg_services
from spilka.events.views.common import event_times, moment_in, organiser_chosen, time_context
from spilka.exports.views import export_start
from spilka.lib.forms import form_add_validation_error
from spilka.lib.paging import page_of
from spilka.network.selectors import link_requests_pending_about

# Rows per page of the attendee and check-in lists.
ATTENDEES_PER_PAGE = 100

PENDING_MESSAGE = gettext_lazy(
    "Organisations you asked to co-organise are named on the event once they accept."
)


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    orgs, organiser = organiser_chosen(request)
    if organiser is None:
        return render(request, "events/event_choose_org.html", {"orgs": orgs})
    form = EventForm(request.POST or None, organiser=organiser, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(
                by=request.user,
                organiser=organiser,
                slug=form.cleaned_data["slug"],
                co_organisers=list(form.cleaned_data.get("co_organisers") or []),
                **form.service_fields(),
            )
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("The event is saved."))
            if link_requests_pending_about(event=event):
                messages.info(request, PENDING_MESSAGE)
            return redirect("events:manage", slug=event.slug)
    return render(
        request,
        "events/event_form.html",
        {"form": form, "organiser": organiser},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, slug: str) -> HttpResponse:
    event = access.event_get_for_user(user=request.user, slug=slug, write=True)
    asked = [link.organisation for link in link_requests_pending_about(event=event)]
    form = EventForm(
        request.POST or None,
        instance=event,
        organiser=event.organiser,
        user=request.user,
        # Organisations already asked stay ticked: saving again must not withdraw them.
        initial={"co_organisers": [*event.co_organisers.all(), *asked]},
    )
    if request.method == "POST":
        # The address stays: links people were sent keep working.
        form.data = cast("MultiValueDict[str, Any]", form.data).copy()  # a QueryDict
        form.data["slug"] = event.slug
        if form.is_valid():
            try:
                services.event_update(
                    event=Event.objects.get(pk=event.pk),
                    by=request.user,
                    co_organisers=list(form.cleaned_data.get("co_organisers") or []),
                    **form.service_fields(),
                )
            except ValidationError as error:
                form_add_validation_error(form, error)
            else:
                messages.success(request, _("The event is saved."))
                if link_requests_pending_about(event=event):
                    messages.info(request, PENDING_MESSAGE)
                return redirect("events:manage", slug=event.slug)
    return render(
        request,
        "events/event_form.html",
        {"form": form, "event": event, "organiser": event.organiser},
        status=400 if form.errors else 200,
    )


MANAGE_FORMS = {
    "speaker": SpeakerForm,
    "question": QuestionForm,
    "recording": RecordingForm,
    "material": MaterialForm,
}


@login_required
@require_http_methods(["GET", "POST"])
def event_manage(request: HttpRequest, slug: str) -> HttpResponse:
    """Speakers, questions, recordings and materials: one small form each."""
    event = access.event_get_for_user(user=request.user, slug=slug, write=True)
    which = request.POST.get("form", "") if request.method == "POST" else ""
    if request.method == "POST" and which not in MANAGE_FORMS:
        raise Http404
    forms = {
        name: cls(request.POST if name == which else None, prefix=name)
        for name, cls in MANAGE_FORMS.items()
    }
    if which:
        form = forms[which]
        if form.is_valid():
            data = form.cleaned_data
            try:
                if which == "speaker":
                    services.speaker_add(event=event, by=request.user, **data)
                elif which == "question":
                    services.question_add(
                        event=event,
                        by=request.user,
                        label=data["label"],
                        kind=data["kind"],
                        required=data["required"],
                        choices=form.choices(),
                    )
                elif which == "recording":
                    services.recording_add(event=event, by=request.user, **data)
                else:
                    services.material_add(event=event, by=request.user, **data)
            except ValidationError as error:
                form_add_validation_error(form, error)
            else:
                messages.success(request, _("Added."))
                return redirect("events:manage", slug=event.slug)
    return render(
        request,
        "events/event_manage.html",
        {
            "event": event,
            "forms": forms,
            "counts": selectors.event_counts(event),
            "pending_links": link_requests_pending_about(event=event),
            **selectors.event_page_data(event),
            **event_times(event, time_context(request, event)["viewer_zone"]),
        },
        status=400 if which else 200,
    )


@login_required
def attendees(request: HttpRequest, slug: str) -> HttpResponse:
    event = access.event_get_for_user(user=request.user, slug=slug, write=True)
    search = request.GET.get("q", "").strip()[:100]
    questions = list(event.questions.all())
    # Paged: a big event has tens of thousands of registrations (bench/scale.py).
    page = page_of(request, selectors.event_attendees(event, search), per_page=ATTENDEES_PER_PAGE)
    rows = [
        {"registration": r, "answers": [r.answers.get(str(q.pk), "") for q in questions]}
        for r in page
    ]
    return render(
        request,
        "events/attendees.html",
        {
            "event": event,
            "rows": rows,
            "page": page,
            "questions": questions,
            "search": search,
            "counts": selectors.event_counts(event),
        },
    )


@login_required
def checkin_list(request: HttpRequest, slug: str) -> HttpResponse:
    event = access.event_get_for_user(user=request.user, slug=slug, write=True)
    search = request.GET.get("q", "").strip()[:100]
    people = page_of(
        request,
        selectors.event_attendees(event, search).filter(status="confirmed"),
        per_page=ATTENDEES_PER_PAGE,
    )
    return render(
        request,
        "events/checkin_list.html",
        {
            "event": event,
            "people": people,
            "search": search,
            "counts": selectors.event_counts(event),
        },
    )


@login_required
@require_POST
def registration_checkin(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = access.event_get_for_user(user=request.user, slug=slug, write=True)
    registration = access.registration_get_for_organiser(user=request.user, event=event, pk=pk)
    try:
        reg_services.registration_check_in(
            registration=registration,
            by=request.user,
            checked_in=request.POST.get("undo") != "1",
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    back = request.POST.get("q", "").strip()[:100]
    url = reverse("events:checkin", kwargs={"slug": event.slug})
    # Encoded: a search typed with a line break or '&' must not break the redirect.
    return redirect(url + (f"?{urlencode({'q': back})}" if back else ""))


@login_required
@require_POST
def registration_decide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = access.event_get_for_user(user=request.user, slug=slug, write=True)
    registration = access.registration_get_for_organiser(user=request.user, event=event, pk=pk)
    decision = request.POST.get("decision")
    if decision not in {"approve", "decline"}:
        messages.error(request, _("Choose to approve or decline."))
        return redirect("events:attendees", slug=event.slug)
    try:
        reg_services.registration_decide(
            registration=registration, by=request.user, approve=decision == "approve"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("events:attendees", slug=event.slug)


@login_required
@require_http_methods(["GET", "POST"])
def attendees_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """The attendee list as CSV, written in the background (POST starts it)."""
    return export_start(request, kind=ATTENDEES, parameters={"slug": slug})


@login_required
@require_http_methods(["GET", "POST"])
def event_message(request: HttpRequest, slug: str) -> HttpResponse:
    event = access.event_get_for_user(user=request.user, slug=slug, write=True)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_message_send(
                event=event,
                by=request.user,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("Your message is on its way to registered people."))
            return redirect("events:manage", slug=event.slug)
    zone = time_context(request, event)["viewer_zone"]
    sent = page_of(request, event.messages.order_by("-created_at", "-pk"), per_page=20)
    for message in sent:
        message.sent_local = moment_in(message.created_at, zone, event)  # type: ignore[attr-defined]
    return render(
        request,
        "events/event_message.html",
        {"event": event, "form": form, "sent": sent},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def event_duplicate(request: HttpRequest, slug: str) -> HttpResponse:
    event = access.event_get_for_user(user=request.user, slug=slug, write=True)
    copy = services.event_duplicate(event=event, by=request.user)
    messages.success(request, _("A copy was made. Change its address, dates and details."))
    return redirect("events:edit", slug=copy.slug)
