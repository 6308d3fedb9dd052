"""Pages where recipients post needs, donors pledge and organisers run convoys."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from spilka.aid import access
from spilka.aid.forms import (
    ConvoyForm,
    CrewForm,
    LoadForm,
    NeedForm,
    NeedLineFormSet,
    PledgeForm,
    StopForm,
    VehicleForm,
)
from spilka.aid.models import (
    Handover,
    ManifestLine,
    PledgeLine,
    PledgeStatus,
)
from spilka.aid.services import convoys as convoy_services
from spilka.aid.services import needs as need_services
from spilka.aid.services.handovers import handover_token
from spilka.aid.waybill import waybill_pdf
from spilka.campaigns.selectors import campaigns_pickable_for
from spilka.events.zones import local, zone_or_none
from spilka.lib.forms import form_add_validation_error
from spilka.lib.paging import page_of, search_term, text_search
from spilka.lib.storage import private_file_open


def _bad(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
def need_create(request: HttpRequest) -> HttpResponse:
    organisations = access.organisations_managed_by(request.user)
    if not organisations.exists():
        raise PermissionDenied
    form = NeedForm(
        request.POST or None,
        organisations=organisations,
        campaigns=campaigns_pickable_for(user=request.user),
    )
    formset = NeedLineFormSet(request.POST or None, prefix="lines")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        lines = [
            (f["item"], f["quantity"], f.get("note", ""))
            for f in formset.cleaned_data
            if f and f.get("item")
        ]
        data = dict(form.cleaned_data)
        try:
            need = need_services.need_create(by=request.user, lines=lines, **data)
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("The need was posted."))
            return redirect(need)
    return render(
        request,
        "aid/need_form.html",
        {"form": form, "formset": formset},
        status=400 if request.method == "POST" else 200,
    )


def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    need = access.need_get_for_user(user=request.user, pk=pk)
    can_manage = access.can_manage(request.user, need.organisation_id)
    donor_ids = access.managed_org_ids(request.user)
    pledges = []
    if request.user.is_authenticated:
        qs = need.pledges.select_related("donor_organisation").prefetch_related(
            Prefetch("lines", queryset=PledgeLine.objects.select_related("item"))
        )
        if not (can_manage or access.is_superuser(request.user)):
            qs = qs.filter(donor_organisation_id__in=donor_ids)
        pledges = list(qs)
        for pledge in pledges:
            pledge.can_change = access.pledge_can_change(user=request.user, pledge=pledge)  # type: ignore[attr-defined]
    context = {
        "need": need,
        "lines": list(need.lines.select_related("item")),
        "can_manage": can_manage,
        "can_pledge": bool(donor_ids) and not need.is_final,
        "pledges": pledges,
    }
    return render(request, "aid/need_detail.html", context)


@login_required
def need_pledge(request: HttpRequest, pk: int) -> HttpResponse:
    need = access.need_get_for_user(user=request.user, pk=pk)
    organisations = access.organisations_managed_by(request.user)
    if not organisations.exists():
        raise PermissionDenied
    form = PledgeForm(request.POST or None, need=need, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            need_services.pledge_create(
                by=request.user,
                need=need,
                donor_organisation=form.cleaned_data["donor_organisation"],
                lines=form.cleaned_data["lines"],
                note=form.cleaned_data.get("note", ""),
            )
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("Thank you: the pledge is recorded."))
            return redirect(need)
    return render(
        request,
        "aid/pledge_form.html",
        {"need": need, "form": form, "rows": form.line_rows()},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def need_close(request: HttpRequest, pk: int) -> HttpResponse:
    need = access.need_get_for_user(user=request.user, pk=pk, write=True)
    try:
        need_services.need_close(
            need=need, by=request.user, cancel=request.POST.get("cancel") == "1"
        )
    except ValidationError as error:
        _bad(request, error)
    return redirect(need)


@login_required
def convoy_list(request: HttpRequest) -> HttpResponse:
    convoys = access.convoys_visible_to(request.user).select_related("organisation").order_by("-pk")
    q = search_term(request)
    if q:
        convoys = convoys.filter(text_search(["title", "reference"], q))
    page = page_of(request, convoys)
    return render(request, "aid/convoy_list.html", {"convoys": page, "page": page, "q": q})


@login_required
def convoy_create(request: HttpRequest) -> HttpResponse:
    organisations = access.organisations_managed_by(request.user)
    if not organisations.exists():
        raise PermissionDenied
    form = ConvoyForm(
        request.POST or None,
        organisations=organisations,
        campaigns=campaigns_pickable_for(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            convoy = convoy_services.convoy_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            return redirect(convoy)
    return render(
        request,
        "network/form.html",
        {"form": form, "title": _("New convoy"), "submit": _("Create")},
        status=400 if form.errors else 200,
    )


def _loadable_pledge_lines(user: Any, convoy: Any) -> list[PledgeLine]:
    donor_ids = {convoy.organisation_id} | access.managed_org_ids(user)
    return [
        line
        for line in PledgeLine.objects.filter(
            pledge__status=PledgeStatus.OFFERED, pledge__donor_organisation_id__in=donor_ids
        )
        .select_related("item", "pledge__donor_organisation", "need_line__need__organisation")
        .order_by("pledge_id", "pk")
        if line.undispatched > 0
    ]


@login_required
def convoy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    convoy = access.convoy_get_for_user(user=request.user, pk=pk)
    can_manage = access.can_manage(request.user, convoy.organisation_id)
    handovers = list(
        convoy.handovers.select_related("recipient").prefetch_related(
            Prefetch(
                "lines", queryset=ManifestLine.objects.select_related("item", "donor_organisation")
            )
        )
    )
    context: dict[str, Any] = {
        "convoy": convoy,
        "can_manage": can_manage,
        "handovers": handovers,
        "vehicles": list(convoy.vehicles.select_related("handover__recipient")),
        "stops": _stops_local(convoy),
        "crew": list(convoy.crew.all()) if can_manage else [],
        "transitions": _transition_buttons(convoy) if can_manage else [],
    }
    if can_manage and convoy.status in convoy_services.EDITABLE:
        context["loadable"] = _loadable_pledge_lines(request.user, convoy)
        context["vehicle_form"] = VehicleForm(convoy=convoy)
        context["crew_form"] = CrewForm()
        context["stop_form"] = StopForm()
    return render(request, "aid/convoy_detail.html", context)


@login_required
@require_POST
def convoy_load(request: HttpRequest, pk: int) -> HttpResponse:
    convoy = access.convoy_get_for_user(user=request.user, pk=pk, write=True)
    form = LoadForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
        return redirect(convoy)
    allowed = {line.pk: line for line in _loadable_pledge_lines(request.user, convoy)}
    pledge_line = allowed.get(form.cleaned_data["pledge_line"])
    if pledge_line is None:
        messages.error(request, _("That pledge is not yours to load, or nothing is left of it."))
        return redirect(convoy)
    try:
        convoy_services.manifest_line_add(
            by=request.user,
            convoy=convoy,
            pledge_line=pledge_line,
            quantity=form.cleaned_data["quantity"],
            box_number=form.cleaned_data.get("box_number", ""),
            lot=form.cleaned_data.get("lot", ""),
            expiry=form.cleaned_data.get("expiry"),
        )
    except ValidationError as error:
        _bad(request, error)
    else:
        messages.success(request, _("Loaded."))
    return redirect(convoy)


@login_required
@require_POST
def convoy_add(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    convoy = access.convoy_get_for_user(user=request.user, pk=pk, write=True)
    forms_by_kind = {
        "vehicle": VehicleForm(request.POST, convoy=convoy),
        "crew": CrewForm(request.POST),
        "stop": StopForm(request.POST),
    }
    form = forms_by_kind.get(what)
    if form is None:
        raise Http404
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
        return redirect(convoy)
    try:
        if what == "vehicle":
            convoy_services.vehicle_add(by=request.user, convoy=convoy, **form.cleaned_data)
        elif what == "crew":
            convoy_services.crew_add(by=request.user, convoy=convoy, **form.cleaned_data)
        else:
            data = dict(form.cleaned_data)
            zone = zone_or_none(convoy.time_zone)
            if data.get("planned_at") and zone:
                # Typed as the clock reads in the route's zone, like the route times page.
                data["planned_at"] = data["planned_at"].replace(tzinfo=None).replace(tzinfo=zone)
            convoy_services.route_stop_add(by=request.user, convoy=convoy, **data)
    except ValidationError as error:
        _bad(request, error)
    return redirect(convoy)


def _stops_local(convoy: Any) -> list[dict[str, Any]]:
    """Each stop with its times in the zone the organiser typed them in."""
    zone = zone_or_none(convoy.time_zone) or zone_or_none("UTC")
    return [
        {
            "stop": stop,
            "arrival": local(stop.planned_at, zone) if stop.planned_at and zone else None,
            "departure": local(stop.planned_departure, zone)
            if stop.planned_departure and zone
            else None,
        }
        for stop in convoy.stops.all()
    ]


def _transition_buttons(convoy: Any) -> list[dict[str, Any]]:
    return [
        {
            "to": state,
            "label": convoy_services.ACTION_LABELS[state],
            "irreversible": convoy_services.is_irreversible(convoy.status, state),
        }
        for state in convoy_services.transitions_from(convoy.status)
    ]


@login_required
def convoy_transition(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks first (a page with a required checkbox, no script needed); POST moves.

    A step that cannot be undone is taken only with the checkbox ticked, so one stray
    click on "Cancel convoy" never ends a convoy.
    """
    convoy = access.convoy_get_for_user(user=request.user, pk=pk, write=True)
    data = request.POST if request.method == "POST" else request.GET
    to = data.get("to", "")
    try:
        convoy_services.transition_check(convoy=convoy, to=to)
    except ValidationError as exc:
        _bad(request, exc)
        return redirect(convoy)
    irreversible = convoy_services.is_irreversible(convoy.status, to)
    error = ""
    if request.method == "POST":
        understood = data.get("understood") == "1"
        if irreversible and not understood:
            error = _("This step cannot be undone: tick the box to confirm you understand.")
        else:
            try:
                convoy_services.convoy_transition(
                    by=request.user, convoy=convoy, to=to, understood=understood
                )
            except ValidationError as exc:
                _bad(request, exc)
            return redirect(convoy)
    return render(
        request,
        "aid/convoy_transition_confirm.html",
        {
            "convoy": convoy,
            "to": to,
            "label": convoy_services.ACTION_LABELS[to],
            "consequence": convoy_services.CONSEQUENCES.get(to, ""),
            "irreversible": irreversible,
            "error": error,
        },
        status=400 if error else 200,
    )


def _confirm_url(request: HttpRequest, handover: Handover) -> str:
    # The recipient reads this page, not the organiser: a waybill printed from the Polish
    # interface must still send a Ukrainian recipient to the Ukrainian page.
    with translation.override(convoy_services.handover_language(handover)):
        path = reverse("aid:receive", kwargs={"pk": handover.pk, "token": handover_token(handover)})
    return request.build_absolute_uri(path)


@login_required
def handover_detail(request: HttpRequest, pk: int) -> HttpResponse:
    handover = access.handover_get_for_user(user=request.user, pk=pk)
    personal = access.handover_can_see_personal(user=request.user, handover=handover)
    lines = list(handover.lines.select_related("item", "donor_organisation"))
    if not personal:
        # A donor sees what happened to its own goods only.
        lines = [ln for ln in lines if access.can_manage(request.user, ln.donor_organisation_id)]
    context = {
        "handover": handover,
        "lines": lines,
        "personal": personal,
        "can_manage": access.can_manage(request.user, handover.convoy.organisation_id),
        "confirm_url": _confirm_url(request, handover)
        if personal and handover.status == "pending"
        else "",
    }
    return render(request, "aid/handover_detail.html", context)


@login_required
def handover_waybill(request: HttpRequest, pk: int) -> HttpResponse:
    handover = access.handover_get_for_user(user=request.user, pk=pk, write=True)
    pdf = waybill_pdf(handover=handover, confirm_url=_confirm_url(request, handover))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="waybill-{handover.convoy.reference}-{handover.pk}.pdf"'
    )
    return response


@login_required
def handover_photo(request: HttpRequest, pk: int) -> FileResponse:
    handover = access.handover_get_for_user(user=request.user, pk=pk)
    if (
        not access.handover_can_see_personal(user=request.user, handover=handover)
        or not handover.photo
    ):
        raise Http404
    return FileResponse(private_file_open(handover.photo), content_type="image/jpeg")
