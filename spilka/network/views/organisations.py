"""An organisation's page, its picture, creating and editing it, and its audit log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from spilka.front.views import front_context
from spilka.lib.forms import form_add_validation_error
from spilka.network import access, selectors, services
from spilka.network.forms import OrganisationCreateForm, OrganisationForm
from spilka.network.graph import layout


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    org = access.organisation_get_for_user(user=request.user, slug=slug)
    page = selectors.organisation_page(user=request.user, organisation=org)
    orgs, rels = selectors.network_graph(user=request.user, around=org)
    nodes, edges = layout(orgs, rels, width=700, height=420)
    # A public organisation's page is also its front page: its live campaigns, open needs,
    # events and writing (public things only, the same for every visitor).
    context = front_context(request, organisation=org) if org.is_public else {}
    context.update(org=org, page=page, nodes=nodes, edges=edges, width=700, height=420)
    return render(request, "network/organisation.html", context)


def organisation_graph_svg(request: HttpRequest, slug: str) -> HttpResponse:
    org = access.organisation_get_for_user(user=request.user, slug=slug)
    orgs, rels = selectors.network_graph(user=request.user, around=org)
    nodes, edges = layout(orgs, rels, width=700, height=420)
    return render(
        request,
        "network/graph.svg",
        {"nodes": nodes, "edges": edges, "width": 700, "height": 420, "focus": org},
        content_type="image/svg+xml",
    )


@login_required
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    org = access.organisation_get_for_user(user=request.user, slug=slug, write=True)
    form = OrganisationForm(
        request.POST or None,
        request.FILES or None,
        instance=org,
        parent_choices=access.organisations_administered_by(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            fields = {
                name: form.cleaned_data[name] for name in form.Meta.fields if name in form.fields
            }
            if fields["logo"] is False:  # the "clear" box was ticked
                fields["logo"] = ""
            services.organisation_update(organisation=org, by=request.user, **fields)
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("The organisation was saved."))
            return redirect(org)
    # A failed form must not change the object shown on the page.
    org.refresh_from_db()
    return render(
        request,
        "network/organisation_form.html",
        {"org": org, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    """A new organisation: a branch by its parent's administrators, or anything by a superuser."""
    parent = None
    parent_slug = request.GET.get("parent") or request.POST.get("parent_slug") or ""
    if parent_slug:
        parent = access.organisation_get_for_user(user=request.user, slug=parent_slug, write=True)
    elif not access.is_superuser(request.user):
        raise PermissionDenied
    form = OrganisationCreateForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "parent": parent,
            "country": parent.country if parent else None,
            # A branch of a private organisation starts private.
            "is_public": parent.is_public if parent else True,
        },
        parent_choices=access.organisations_administered_by(request.user),
    )
    if parent is not None:
        del form.fields["parent"]  # a branch admin cannot attach it elsewhere
    if request.method == "POST" and form.is_valid():
        fields = {
            name: form.cleaned_data[name]
            for name in form.Meta.fields
            if name != "slug" and name in form.fields
        }
        if parent is not None:
            fields["parent"] = parent
        try:
            org = services.organisation_create_with_admin(
                by=request.user, slug=form.cleaned_data["slug"], **fields
            )
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("The organisation was created. You are its administrator."))
            return redirect(org)
    return render(
        request,
        "network/form.html",
        {
            "org": parent,
            "form": form,
            "title": _("Add a branch") if parent else _("Add an organisation"),
            "submit": _("Create"),
            "hidden": {"parent_slug": parent.slug} if parent else {},
        },
        status=400 if form.errors else 200,
    )


@login_required
def organisation_audit(request: HttpRequest, slug: str) -> HttpResponse:
    org = access.organisation_get_for_user(user=request.user, slug=slug, write=True)
    area = request.GET.get("area", "")
    page = Paginator(selectors.organisation_audit(organisation=org, area=area), 50).get_page(
        request.GET.get("page")
    )
    areas = [
        ("network", _("Directory")),
        ("campaigns", _("Campaigns")),
        ("aid", _("Aid")),
        ("funds", _("Money")),
        ("events", _("Events")),
        ("publishing", _("Publications")),
        ("outreach", _("Supporters")),
        ("webhooks", _("Webhooks")),
    ]
    return render(
        request,
        "network/audit.html",
        {"org": org, "page": page, "areas": areas, "area": area},
    )
