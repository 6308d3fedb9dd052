"""Organisers start a recurring series: the rule and its first occurrences in one form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from spilka.events.forms import SeriesForm
from spilka.events.services.series import series_start
from spilka.events.views.common import organiser_chosen
from spilka.events.zones import viewer_zone_name
from spilka.lib.forms import form_add_validation_error


@login_required
@require_http_methods(["GET", "POST"])
def series_create(request: HttpRequest) -> HttpResponse:
    orgs, organiser = organiser_chosen(request)
    if organiser is None:
        return render(
            request,
            "events/event_choose_org.html",
            {"orgs": orgs, "target": "events:series_create"},
        )
    form = SeriesForm(
        request.POST or None, initial={"time_zone": viewer_zone_name(request) or "UTC"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            series, events = series_start(
                by=request.user, organiser=organiser, **form.service_fields()
            )
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "The series is saved with %(count)d event.",
                    "The series is saved with %(count)d events.",
                    len(events),
                )
                % {"count": len(events)},
            )
            return redirect(series)
    return render(
        request,
        "events/series_form.html",
        {"form": form, "organiser": organiser},
        status=400 if form.errors else 200,
    )
