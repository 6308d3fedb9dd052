"""Network directory pages. Thin: parse input, fetch through access helpers, call a service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_countries import countries

from spilka.front.views import front_context
from spilka.lib.exports import export_download
from spilka.lib.forms import form_add_validation_error
from spilka.network import access, link_requests, roles, selectors, services
from spilka.network.exports import people_export_rows
from spilka.network.forms import (
    ConsentForm,
    DirectoryFilterForm,
    OrganisationCreateForm,
    OrganisationForm,
    PersonEditForm,
    PersonForm,
    RelationshipForm,
    RoleGrantForm,
    RoleRevokeForm,
)
from spilka.network.graph import layout
from spilka.network.models import OrganisationKind, OrganisationRole, Relationship, Role

PAGE_SIZE = 25
# The network page draws the most linked organisations and lists the first networks; the
# directory has them all (a picture of thousands takes seconds to lay out and is unreadable).
NETWORK_PICTURE_LIMIT = 40
NETWORKS_SHOWN = 24


def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    filters = {"country": "", "kind": "", "language": "", "q": ""}
    page_number = 1
    status = 200
    if form.is_bound:
        form.is_valid()
        # Apply what is valid, explain what is not.
        for key in filters:
            if key not in form.errors:
                filters[key] = form.cleaned_data.get(key) or ""
        page_number = form.cleaned_data.get("page") or 1 if "page" not in form.errors else 1
        if form.errors:
            status = 400
    organisations = selectors.directory_organisations(user=request.user, **filters)
    paginator = Paginator(organisations, PAGE_SIZE)
    page = paginator.get_page(page_number)
    names = dict(countries)
    country_choices = sorted(
        (
            (code, names.get(code, code))
            for code in selectors.directory_countries(user=request.user)
        ),
        key=lambda c: str(c[1]),
    )
    return render(
        request,
        "network/directory.html",
        {
            "form": form,
            "page": page,
            "filters": filters,
            "country_choices": country_choices,
            "can_add_organisation": access.is_superuser(request.user),
        },
        status=status,
    )


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


def network_overview(request: HttpRequest) -> HttpResponse:
    networks = selectors.directory_organisations(user=request.user, kind=OrganisationKind.NETWORK)
    orgs, rels = selectors.network_graph(user=request.user, limit=NETWORK_PICTURE_LIMIT)
    nodes, edges = layout(orgs, rels)
    total = selectors.organisations_visible_to(request.user).count()
    return render(
        request,
        "network/network.html",
        {
            "networks": networks[: NETWORKS_SHOWN + 1],
            "networks_shown": NETWORKS_SHOWN,
            "drawn": len(orgs),
            "total": total,
            "nodes": nodes,
            "edges": edges,
            "width": 900,
            "height": 600,
            "kinds": OrganisationKind.choices,
        },
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
def relationship_create(request: HttpRequest, slug: str) -> HttpResponse:
    org = access.organisation_get_for_user(user=request.user, slug=slug, write=True)
    form = RelationshipForm(request.POST or None, user=request.user, source=org)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rel = services.relationship_create(
                by=request.user,
                source=org,
                target=data["target"],
                kind=data["kind"],
                since_year=data["since_year"],
                started_on=data["started_on"],
                ended_on=data["ended_on"],
                evidence_url=data["evidence_url"],
            )
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            if rel.confirmed:
                messages.success(request, _("The relationship was recorded."))
            else:
                messages.success(
                    request,
                    _(
                        "The relationship was recorded. It will be shown publicly once "
                        "the other organisation accepts it."
                    ),
                )
            return redirect(org)
    return render(
        request,
        "network/form.html",
        {
            "org": org,
            "form": form,
            "title": _("Add a relationship"),
            "submit": _("Add relationship"),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def relationship_accept(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The target organisation's administrator accepts a relationship the source recorded."""
    org = access.organisation_get_for_user(user=request.user, slug=slug, write=True)
    relationship = get_object_or_404(Relationship, pk=pk, target=org)
    services.relationship_confirm(relationship=relationship, by=request.user)
    messages.success(request, _("The relationship was accepted."))
    return redirect(org)


def _link_request_answer(request: HttpRequest, pk: int, *, side: str, service, done: str):  # type: ignore[no-untyped-def]
    link = access.link_request_get_for_user(user=request.user, pk=pk, side=side)
    try:
        service(request=link, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    org = link.organisation if side == "invited" else link.proposer
    return redirect(f"{org.get_absolute_url()}#link-requests")


@login_required
@require_POST
def link_request_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """The invited organisation's administrator or organiser accepts a request."""
    return _link_request_answer(
        request,
        pk,
        side="invited",
        service=link_requests.link_request_accept,
        done=_("The request was accepted."),
    )


@login_required
@require_POST
def link_request_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _link_request_answer(
        request,
        pk,
        side="invited",
        service=link_requests.link_request_decline,
        done=_("The request was declined. Nothing was linked."),
    )


@login_required
@require_POST
def link_request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _link_request_answer(
        request,
        pk,
        side="proposer",
        service=link_requests.link_request_withdraw,
        done=_("The request was withdrawn."),
    )


@login_required
def organisation_people(request: HttpRequest, slug: str) -> HttpResponse:
    org = access.organisation_get_for_user(
        user=request.user, slug=slug, roles=access.PEOPLE_READ_ROLES
    )
    memberships = selectors.organisation_people(user=request.user, organisation=org)
    page = Paginator(memberships, 50).get_page(request.GET.get("page"))
    can_add = access.has_role(request.user, org, access.PEOPLE_WRITE_ROLES)
    return render(request, "network/people.html", {"org": org, "page": page, "can_add": can_add})


@login_required
def people_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponseBase:
    """The people page's rows as CSV or XLSX: the same visibility rule, audited."""
    org = access.organisation_get_for_user(
        user=request.user, slug=slug, roles=access.PEOPLE_READ_ROLES
    )
    return export_download(
        actor=request.user,
        fmt=fmt,
        queryset=selectors.organisation_people(user=request.user, organisation=org),
        rows=people_export_rows,
        action="network.people.exported",
        obj=org,
        organisation=org,
        what="people",
        sheet_title=_("People"),
    )


@login_required
def person_create(request: HttpRequest, slug: str) -> HttpResponse:
    org = access.organisation_get_for_user(
        user=request.user, slug=slug, roles=access.PEOPLE_WRITE_ROLES
    )
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.person_create(
                by=request.user,
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                country=data["country"],
                preferred_language=data["preferred_language"],
                organisation=org,
                role_title=data["role_title"],
            )
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("The person was added."))
            return redirect("network:person", pk=person.pk)
    return render(
        request,
        "network/form.html",
        {"org": org, "form": form, "title": _("Add a person"), "submit": _("Add person")},
        status=400 if form.errors else 200,
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.person_get_for_user(user=request.user, pk=pk)
    context = selectors.person_detail(person=person, user=request.user)
    context["can_edit"] = access.person_can_edit(user=request.user, person=person)
    return render(request, "network/person.html", context)


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.person_get_for_user(user=request.user, pk=pk, write=True)
    form = PersonEditForm(
        request.POST or None,
        initial={
            "full_name": person.full_name,
            "phone": person.phone,
            "country": person.country.code if person.country else "",
            "preferred_language": person.preferred_language,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            # The audit row goes to the organisation the user manages this person for.
            acting = access.organisations_for_person(
                user=request.user, person=person, write=True
            ).first()
            services.person_update(
                person=person, by=request.user, organisation=acting, **form.cleaned_data
            )
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("The person was saved."))
            return redirect("network:person", pk=person.pk)
    return render(
        request,
        "network/form.html",
        {"form": form, "title": _("Edit the person"), "submit": _("Save"), "person": person},
        status=400 if form.errors else 200,
    )


@login_required
def consent_create(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.person_get_for_user(user=request.user, pk=pk, write=True)
    # Only in the name of an organisation that already has this person in its records.
    organisations = access.organisations_for_person(
        user=request.user, person=person, write=True, current_only=False
    )
    form = ConsentForm(
        request.POST or None,
        organisations=organisations,
        initial={"wording_language": person.preferred_language},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.consent_record(
            by=request.user,
            person=person,
            organisation=data["organisation"],
            purpose=data["purpose"],
            granted=data["granted"],
            wording=data["wording"],
            source=data["source"],
            wording_language=data["wording_language"],
        )
        messages.success(request, _("The consent decision was recorded."))
        return redirect("network:person", pk=person.pk)
    return render(
        request,
        "network/form.html",
        {
            "form": form,
            "title": _("Record a consent decision"),
            "submit": _("Record"),
            "person": person,
        },
        status=400 if form.errors else 200,
    )


@login_required
def organisation_roles(request: HttpRequest, slug: str) -> HttpResponse:
    org = access.organisation_get_for_user(user=request.user, slug=slug, write=True)
    form = RoleGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # The same answer whether or not an account uses the address: only the mail to
        # the address says which.
        roles.role_give(
            by=request.user,
            organisation=org,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            language=request.LANGUAGE_CODE,
        )
        messages.success(request, _("The role is given to this address, and we have emailed it."))
        return redirect("network:roles", slug=org.slug)
    return render(
        request,
        "network/roles.html",
        {"org": org, "form": form, "rows": roles.roles_listed(org), "roles": Role.choices},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def role_take_back(request: HttpRequest, slug: str) -> HttpResponse:
    """Revoke a role by address and role: a grant or an invitation, alike."""
    org = access.organisation_get_for_user(user=request.user, slug=slug, write=True)
    form = RoleRevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role to revoke from the list."))
        return redirect("network:roles", slug=org.slug)
    try:
        roles.role_take_back(by=request.user, organisation=org, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The role was revoked."))
    return redirect("network:roles", slug=org.slug)


@login_required
@require_POST
def role_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    org = access.organisation_get_for_user(user=request.user, slug=slug, write=True)
    grant = get_object_or_404(OrganisationRole, pk=pk, organisation=org)
    try:
        services.role_revoke(by=request.user, grant=grant)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The role was revoked."))
    return redirect("network:roles", slug=org.slug)


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
