"""An organisation's people: the list, its export, adding and editing a person."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from spilka.lib.exports import export_download
from spilka.lib.forms import form_add_validation_error
from spilka.network import access, selectors, services
from spilka.network.exports import people_export_rows
from spilka.network.forms import PersonEditForm, PersonForm


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
            "country": person.country.code if person.country else "",  # type: ignore[attr-defined]  # django-countries: a Country, a str to the plugin
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
