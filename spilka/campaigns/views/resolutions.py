"""Model resolution pages: public progress, charts, progress reports, verification, versions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from spilka.campaigns import access, selectors
from spilka.campaigns.charts import (
    ADOPTED_COLOUR,
    IN_PROGRESS_COLOUR,
    UNVERIFIED_COLOUR,
    country_chart,
    timeline_chart,
)
from spilka.campaigns.forms.resolutions import (
    AdoptionFilterForm,
    AdoptionReportForm,
    ResolutionForm,
    ResolutionVersionForm,
)
from spilka.campaigns.models import Adoption, Resolution
from spilka.campaigns.services import resolutions as services
from spilka.lib.forms import form_add_validation_error
from spilka.lib.translated import pick
from spilka.network.access import user_roles

PAGE_SIZE = 50
COLOURS = {
    "adopted": ADOPTED_COLOUR,
    "unverified": UNVERIFIED_COLOUR,
    "pending": IN_PROGRESS_COLOUR,
}


def _headline(progress: selectors.ResolutionProgress) -> str:
    if not progress.bodies:
        return _("Not yet adopted by any body.")
    bodies = ngettext("%(count)d body", "%(count)d bodies", progress.bodies) % {
        "count": progress.bodies
    }
    places = ngettext("%(count)d country", "%(count)d countries", progress.countries) % {
        "count": progress.countries
    }
    return _("Adopted by %(bodies)s in %(countries)s") % {"bodies": bodies, "countries": places}


def _filters(form: AdoptionFilterForm) -> tuple[dict[str, str], int, int]:
    """Apply what is valid, explain what is not (with a 400)."""
    filters = {"country": "", "status": ""}
    if not form.is_bound:
        return filters, 1, 200
    form.is_valid()
    for key in filters:
        if key not in form.errors:
            filters[key] = form.cleaned_data.get(key) or ""
    page = 1 if "page" in form.errors else form.cleaned_data.get("page") or 1
    return filters, page, 400 if form.errors else 200


def _charts(progress: selectors.ResolutionProgress) -> dict[str, Any]:
    return {
        "timeline": timeline_chart(progress.timeline, today=timezone.localdate()),
        "countries_chart": country_chart(progress.by_country),
        "colours": COLOURS,
    }


def resolution_detail(request: HttpRequest, slug: str) -> HttpResponse:
    resolution = access.resolution_get_for_user(user=request.user, slug=slug)
    campaign = resolution.campaign
    form = AdoptionFilterForm(request.GET or None)
    filters, page_number, status = _filters(form)
    progress = selectors.resolution_progress(resolution)
    versions = selectors.resolution_versions(resolution)
    for version in versions:
        version.display = pick(version.text, resolution.original_language)  # type: ignore[attr-defined]
    adoptions = selectors.resolution_adoptions(resolution, **filters)
    page = Paginator(adoptions, PAGE_SIZE).get_page(page_number)
    can_run = access.campaign_can_run(user=request.user, campaign=campaign)
    own_bodies = {
        org_id for org_id, held in user_roles(request.user).items() if held & access.RUN_ROLES
    }
    context = {
        "resolution": resolution,
        "campaign": campaign,
        "current": versions[0] if versions else None,
        "earlier": versions[1:],
        "progress": progress,
        "headline": _headline(progress),
        "form": form,
        "filters": filters,
        "country_choices": progress.country_choices,
        "page": page,
        "can_run": can_run,
        "can_report": can_run or bool(own_bodies),
        "own_bodies": own_bodies,
        **_charts(progress),
    }
    return render(request, "campaigns/resolution_detail.html", context, status=status)


def _chart_svg(request: HttpRequest, slug: str, template: str) -> HttpResponse:
    resolution = access.resolution_get_for_user(user=request.user, slug=slug)
    progress = selectors.resolution_progress(resolution)
    return render(
        request,
        f"campaigns/{template}",
        {"resolution": resolution, "standalone": True, **_charts(progress)},
        content_type="image/svg+xml; charset=utf-8",
    )


def resolution_timeline_svg(request: HttpRequest, slug: str) -> HttpResponse:
    return _chart_svg(request, slug, "resolution_chart_timeline.html")


def resolution_countries_svg(request: HttpRequest, slug: str) -> HttpResponse:
    return _chart_svg(request, slug, "resolution_chart_countries.html")


@login_required
@require_http_methods(["GET", "POST"])
def resolution_create(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = access.campaign_get_for_user(user=request.user, slug=slug, write=True)
    form = ResolutionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            resolution = services.resolution_create(
                by=request.user,
                campaign=campaign,
                slug=data["slug"],
                title=data["title"],
                text=data["text"],
                original_language=data["original_language"],
                is_public=data["is_public"],
            )
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("The resolution was created."))
            return redirect(resolution)
    return render(
        request,
        "campaigns/resolution_form.html",
        {"campaign": campaign, "form": form, "title": _("New model resolution")},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def resolution_version_add(request: HttpRequest, slug: str) -> HttpResponse:
    resolution = access.resolution_get_for_user(user=request.user, slug=slug, write=True)
    current = resolution.versions.order_by("-number").first()
    form = ResolutionVersionForm(
        request.POST or None,
        resolution=resolution,
        initial={"text": current.text if current else {}},
    )
    if request.method == "POST" and form.is_valid():
        try:
            version = services.resolution_version_add(
                by=request.user,
                resolution=resolution,
                text=form.cleaned_data["text"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(
                request, _("Version %(number)d was added.") % {"number": version.number}
            )
            return redirect(resolution)
    return render(
        request,
        "campaigns/resolution_form.html",
        {
            "campaign": resolution.campaign,
            "resolution": resolution,
            "form": form,
            "title": _("New version of the text"),
        },
        status=400 if form.errors else 200,
    )


def _report(
    request: HttpRequest,
    form: AdoptionReportForm,
    resolution: Resolution,
    adoption: Adoption | None,
) -> Adoption | None:
    """Run the report through the services; None (with errors on the form) if refused."""
    data = form.cleaned_data
    # On the general report form an empty box keeps what an earlier report said; on an
    # adoption's own form, which shows the current values, it clears them.
    keep = adoption is None
    try:
        with transaction.atomic():
            body = adoption.body if adoption is not None else data.get("body")
            if body is None:
                body = services.adoption_body_create(
                    by=request.user,
                    name=data["new_body_name"],
                    country=data["new_body_country"],
                    kind=data.get("new_body_kind") or "union_branch",
                    language=request.LANGUAGE_CODE,
                )
            return services.adoption_report(
                by=request.user,
                resolution=resolution,
                body=body,
                status=data["status"],
                meeting_date=data["meeting_date"],
                version=data["version"],
                amended_text=(data["amended_text"] or None) if keep else data["amended_text"],
                evidence_url=(data["evidence_url"] or None) if keep else data["evidence_url"],
                evidence_file=data["evidence_file"] or None,
                note=(data["note"] or None) if keep else data["note"],
            )
    except ValidationError as error:
        form_add_validation_error(form, error)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def adoption_report(request: HttpRequest, slug: str) -> HttpResponse:
    resolution = access.resolution_get_for_user(user=request.user, slug=slug)
    can_run = access.campaign_can_run(user=request.user, campaign=resolution.campaign)
    bodies = access.resolution_bodies_for_reporter(user=request.user, resolution=resolution)
    if not can_run and not bodies.exists():
        raise PermissionDenied
    form = AdoptionReportForm(
        request.POST or None,
        request.FILES or None,
        resolution=resolution,
        user=request.user,
        can_create_body=can_run,
    )
    if request.method == "POST" and form.is_valid():
        adoption = _report(request, form, resolution, None)
        if adoption is not None:
            messages.success(
                request,
                _("Progress recorded for %(body)s.") % {"body": adoption.body.display_name},
            )
            return redirect(reverse("campaigns:resolution", args=[slug]) + "#bodies")
    return render(
        request,
        "campaigns/resolution_report.html",
        {"resolution": resolution, "campaign": resolution.campaign, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def adoption_update(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    resolution = access.resolution_get_for_user(user=request.user, slug=slug)
    adoption = access.adoption_get_for_user(
        user=request.user, resolution=resolution, pk=pk, write=True
    )
    initial = {
        "status": adoption.status,
        "meeting_date": adoption.meeting_date,
        "version": adoption.version_id,
        "amended_text": adoption.amended_text,
        "evidence_url": adoption.evidence_url,
        "note": adoption.note,
    }
    form = AdoptionReportForm(
        request.POST or None,
        request.FILES or None,
        resolution=resolution,
        fixed_body=adoption.body,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        updated = _report(request, form, resolution, adoption)
        if updated is not None:
            messages.success(
                request,
                _("Progress recorded for %(body)s.") % {"body": adoption.body.display_name},
            )
            return redirect(reverse("campaigns:resolution", args=[slug]) + "#bodies")
        adoption.refresh_from_db()
    return render(
        request,
        "campaigns/resolution_report.html",
        {
            "resolution": resolution,
            "campaign": resolution.campaign,
            "adoption": adoption,
            "form": form,
            "history": selectors.adoption_history(adoption),
            "can_run": access.campaign_can_run(user=request.user, campaign=resolution.campaign),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def adoption_verify(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    resolution = access.resolution_get_for_user(user=request.user, slug=slug, write=True)
    adoption = access.adoption_get_for_user(user=request.user, resolution=resolution, pk=pk)
    services.adoption_verify(by=request.user, adoption=adoption)
    messages.success(
        request, _("The report for %(body)s is verified.") % {"body": adoption.body.display_name}
    )
    return redirect(reverse("campaigns:resolution", args=[slug]) + f"#adoption-{adoption.pk}")
