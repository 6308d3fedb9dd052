"""An organisation's resources page, public with the organisation; kept by its organisers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from spilka.lib.forms import form_add_validation_error
from spilka.publishing import access, selectors
from spilka.publishing.forms import ResourceLinkForm
from spilka.publishing.models import ResourceLink
from spilka.publishing.services import resources as services


def resources_page(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = access.resources_organisation_get_for_user(user=request.user, slug=slug)
    context = {
        "organisation": organisation,
        "links": selectors.resource_links(organisation),
        "can_edit": access.has_role(request.user, organisation, access.WRITE_ROLES),
    }
    return render(request, "publishing/resources.html", context)


@login_required
def resources_manage(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = access.resources_organisation_get_for_user(
        user=request.user, slug=slug, write=True
    )
    form = ResourceLinkForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_link_create(
                by=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("The link was added."))
            return redirect("publishing:resources_manage", slug=slug)
    context = {
        "organisation": organisation,
        "links": selectors.resource_links(organisation),
        "form": form,
    }
    return render(
        request, "publishing/resources_manage.html", context, status=400 if form.errors else 200
    )


def _link(request: HttpRequest, slug: str, pk: int) -> ResourceLink:
    organisation = access.resources_organisation_get_for_user(
        user=request.user, slug=slug, write=True
    )
    link = ResourceLink.objects.filter(organisation=organisation, pk=pk).first()
    if link is None:
        raise Http404
    return link


@login_required
def resource_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    link = _link(request, slug, pk)
    form = ResourceLinkForm(request.POST if request.method == "POST" else None, instance=link)
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_link_update(link=link, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("The link was saved."))
            return redirect("publishing:resources_manage", slug=slug)
    return render(
        request,
        "publishing/form.html",
        {"form": form, "title": _("Edit the link")},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def resource_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    services.resource_link_delete(link=_link(request, slug, pk), by=request.user)
    messages.success(request, _("The link was removed."))
    return redirect("publishing:resources_manage", slug=slug)


@login_required
@require_POST
def resource_move(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    link = _link(request, slug, pk)  # who may touch this link comes before anything else
    direction = request.POST.get("direction")
    if direction not in {"up", "down"}:
        messages.error(request, _("Move a link up or down."))
        return redirect("publishing:resources_manage", slug=slug)
    services.resource_link_move(link=link, by=request.user, up=direction == "up")
    return redirect("publishing:resources_manage", slug=slug)
