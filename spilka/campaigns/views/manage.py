"""Pages where organisers set up campaigns and petitions. Thin: forms, access helpers, services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from spilka.campaigns import access
from spilka.campaigns.forms.campaigns import CampaignForm, PetitionForm
from spilka.campaigns.services import campaigns as campaign_services
from spilka.campaigns.services import petitions as petition_services
from spilka.lib.forms import form_add_validation_error, model_choice_field
from spilka.network.access import WRITE_ROLES, has_role
from spilka.network.models import LinkKind
from spilka.network.selectors import link_requests_pending_about


def _form_page(request: HttpRequest, form, title: str, status: int = 200) -> HttpResponse:  # type: ignore[no-untyped-def]
    return render(
        request,
        "network/form.html",
        {"form": form, "title": title, "submit": _("Save")},
        status=status,
    )


@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    leads = access.organisations_running_campaigns(request.user)
    if not leads.exists():
        raise PermissionDenied
    form = CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        co = list(data.pop("co_organisers"))
        try:
            campaign = campaign_services.campaign_create(by=request.user, co_organisers=co, **data)
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("The campaign was created."))
            if link_requests_pending_about(campaign=campaign):
                messages.info(
                    request,
                    _(
                        "Organisations you asked to co-organise are named on the campaign, "
                        "and receive its data, once they accept."
                    ),
                )
            return redirect(campaign)
    return _form_page(request, form, _("New campaign"), status=400 if form.errors else 200)


@login_required
def campaign_edit(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = access.campaign_get_for_user(user=request.user, slug=slug, write=True)
    # Only the lead's administrators may offer the lead to another organisation.
    lead_admin = has_role(request.user, campaign.lead_organisation, WRITE_ROLES)
    pending = link_requests_pending_about(campaign=campaign)
    # Organisations already co-organising or asked stay choosable, pickable by this user or not.
    named = {*campaign.co_organisers.values_list("pk", flat=True)}
    named |= {r.organisation_id for r in pending}
    form = CampaignForm(
        request.POST or None,
        instance=campaign,
        user=request.user,
        co_keep=sorted(named),
        # Organisations already asked stay ticked: saving again must not withdraw them.
        initial={
            "co_organisers": [
                *campaign.co_organisers.all(),
                *(r.organisation for r in pending if r.kind == LinkKind.CAMPAIGN_CO_ORGANISER),
            ]
        },
    )
    if not lead_admin:
        lead = model_choice_field(form, "lead_organisation")
        if lead.queryset is not None:
            lead.queryset = lead.queryset.filter(pk=campaign.lead_organisation_id)
        lead.disabled = True
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "slug"}
        co = list(data.pop("co_organisers"))
        try:
            campaign_services.campaign_update(
                campaign=campaign, by=request.user, co_organisers=co, **data
            )
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("The campaign was saved."))
            if link_requests_pending_about(campaign=campaign):
                messages.info(
                    request,
                    _(
                        "Organisations you asked to co-organise or lead are named on the "
                        "campaign, and receive its data, once they accept."
                    ),
                )
            return redirect("campaigns:campaign", slug=slug)
    return _form_page(request, form, _("Edit the campaign"), status=400 if form.errors else 200)


@login_required
def petition_create(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = access.campaign_get_for_user(user=request.user, slug=slug, write=True)
    form = PetitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            petition = petition_services.petition_create(
                by=request.user, campaign=campaign, **form.cleaned_data
            )
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("The petition was created."))
            return redirect(petition)
    return _form_page(request, form, _("New petition"), status=400 if form.errors else 200)


@login_required
def petition_edit(request: HttpRequest, slug: str) -> HttpResponse:
    petition = access.petition_get_for_user(user=request.user, slug=slug, write=True)
    form = PetitionForm(request.POST or None, instance=petition)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "slug"}
        try:
            petition_services.petition_update(petition=petition, by=request.user, **data)
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("The petition was saved."))
            return redirect("campaigns:petition", slug=slug)
    return _form_page(request, form, _("Edit the petition"), status=400 if form.errors else 200)
