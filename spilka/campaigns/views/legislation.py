"""Bill and motion pages: the public page with its stages, and the organisers' forms."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from spilka.campaigns import access, selectors
from spilka.campaigns.forms.legislation import BillForm, BillStageForm
from spilka.campaigns.services import legislation as services
from spilka.lib.forms import form_add_validation_error


def bill_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bill = access.bill_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "campaigns/bill_detail.html",
        {
            "bill": bill,
            "campaign": bill.campaign,
            "stages": selectors.bill_stages(bill),
            "can_run": access.bill_can_run(user=request.user, bill=bill),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def bill_create(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = access.campaign_get_for_user(user=request.user, slug=slug, write=True)
    form = BillForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            bill = services.bill_create(by=request.user, campaign=campaign, **form.cleaned_data)
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("The bill or motion was added."))
            return redirect(bill)
    return render(
        request,
        "campaigns/bill_form.html",
        {"form": form, "campaign": campaign, "title": _("Add a bill or motion")},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def bill_stage_add(request: HttpRequest, pk: int) -> HttpResponse:
    bill = access.bill_get_for_user(user=request.user, pk=pk, write=True)
    form = BillStageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.bill_stage_add(by=request.user, bill=bill, **form.cleaned_data)
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("The stage was added."))
            return redirect(bill)
    return render(
        request,
        "campaigns/bill_form.html",
        {"form": form, "bill": bill, "campaign": bill.campaign, "title": _("Add a stage")},
        status=400 if form.errors else 200,
    )
