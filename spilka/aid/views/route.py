"""The convoy's route times page, and the pledge's own page (publish delay, cancelling)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from spilka.aid import access
from spilka.aid.forms import PledgePublishForm, RouteTimesForm
from spilka.aid.models import PledgeStatus
from spilka.aid.services import needs as need_services
from spilka.aid.services.route import ROUTE_FROZEN, route_times_set
from spilka.events.zones import local, viewer_zone, zone_or_none
from spilka.lib.forms import form_add_validation_error


def _zone_name(request: HttpRequest, stored: str = "") -> str:
    """The zone a form starts in: what was stored, else the browser's, else the site's."""
    return stored if zone_or_none(stored) else viewer_zone(request, settings.TIME_ZONE).key


@login_required
@require_http_methods(["GET", "POST"])
def convoy_route(request: HttpRequest, pk: int) -> HttpResponse:
    convoy = access.convoy_get_for_user(user=request.user, pk=pk, write=True)
    stops = list(convoy.stops.all())
    stored = "" if convoy.time_zone == "UTC" and not stops else convoy.time_zone
    zone_name = _zone_name(request, stored)
    form = RouteTimesForm(request.POST or None, stops=stops, zone_name=zone_name)
    frozen = convoy.status in ROUTE_FROZEN
    if request.method == "POST" and not frozen and form.is_valid():
        try:
            route_times_set(
                convoy=convoy,
                by=request.user,
                time_zone=form.cleaned_data["time_zone"],
                times=form.cleaned_data["times"],
            )
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("The route times are saved."))
            return redirect(convoy)
    return render(
        request,
        "aid/convoy_route.html",
        {"convoy": convoy, "form": form, "rows": form.rows(), "frozen": frozen},
        status=400 if request.method == "POST" else 200,
    )


def _pledge_page(request: HttpRequest, pledge, form, status: int = 200) -> HttpResponse:  # type: ignore[no-untyped-def]
    zone = zone_or_none(_zone_name(request))
    return render(
        request,
        "aid/pledge_detail.html",
        {
            "pledge": pledge,
            "lines": list(pledge.lines.select_related("item", "need_line")),
            "form": form,
            "publish_after": local(pledge.publish_after, zone)
            if pledge.publish_after and zone
            else None,
            "can_cancel": pledge.status == PledgeStatus.OFFERED,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def pledge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = access.pledge_get_for_user(user=request.user, pk=pk, write=True)
    zone_name = _zone_name(request)
    initial = {}
    if pledge.publish_after:
        zone = zone_or_none(zone_name)
        initial["publish_after"] = pledge.publish_after.astimezone(zone).replace(tzinfo=None)
    form = PledgePublishForm(request.POST or None, zone_name=zone_name, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                need_services.pledge_set_publish_after(
                    pledge=pledge, by=request.user, publish_after=form.cleaned_data["publish_after"]
                )
            except ValidationError as error:
                form_add_validation_error(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("aid:pledge", pk=pledge.pk)
        return _pledge_page(request, pledge, form, status=400)
    return _pledge_page(request, pledge, form)


@login_required
@require_http_methods(["GET", "POST"])
def pledge_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks first; POST cancels only with the box ticked."""
    pledge = access.pledge_get_for_user(user=request.user, pk=pk, write=True)
    error = ""
    if request.method == "POST":
        if request.POST.get("understood") != "1":
            error = _("Tick the box to confirm you want to cancel this pledge.")
        else:
            try:
                need_services.pledge_cancel(pledge=pledge, by=request.user)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                messages.success(request, _("The pledge is cancelled."))
                return redirect("aid:pledge", pk=pledge.pk)
    return render(
        request,
        "aid/pledge_cancel.html",
        {"pledge": pledge, "error": error},
        status=400 if error else 200,
    )
