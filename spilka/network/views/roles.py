"""Who holds which role in an organisation: giving and revoking roles."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from spilka.network import access, roles, services
from spilka.network.forms import RoleGrantForm, RoleRevokeForm
from spilka.network.models import OrganisationRole, Role


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
