"""The organisation admins' webhook pages: thin views over access, selectors and services.

Second factor: admins are held at the two-factor step by the site-wide middleware
(``accounts.middleware``) before any of these views runs.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from spilka.lib.forms import form_add_validation_error
from spilka.webhooks import access, selectors, services
from spilka.webhooks.forms import EndpointForm
from spilka.webhooks.models import WebhookEvent


def _back(slug: str, pk: int) -> HttpResponse:
    return redirect("webhooks:endpoint", slug, pk)


@login_required
@never_cache
def endpoint_list(request: HttpRequest, slug: str) -> HttpResponse:
    org = access.webhooks_organisation_for_user(user=request.user, slug=slug)
    return render(
        request,
        "webhooks/list.html",
        {"org": org, "endpoints": selectors.endpoints_of(org), "events": WebhookEvent.choices},
    )


@login_required
@never_cache
def endpoint_create(request: HttpRequest, slug: str) -> HttpResponse:
    org = access.webhooks_organisation_for_user(user=request.user, slug=slug)
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = services.endpoint_create(
                by=request.user,
                organisation=org,
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("The webhook was added. Its signing secret is below."))
            return _back(slug, endpoint.pk)
    return render(
        request,
        "webhooks/form.html",
        {"org": org, "form": form, "title": _("Add a webhook")},
    )


@login_required
@never_cache
def endpoint_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    endpoint = access.endpoint_get_for_user(user=request.user, slug=slug, pk=pk)
    page = Paginator(selectors.deliveries_of(endpoint), 50).get_page(request.GET.get("page"))
    labels = dict(WebhookEvent.choices)
    return render(
        request,
        "webhooks/endpoint.html",
        {
            "org": endpoint.organisation,
            "endpoint": endpoint,
            "page": page,
            "event_labels": [labels.get(e, e) for e in endpoint.events],
        },
    )


@login_required
@never_cache
def endpoint_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    endpoint = access.endpoint_get_for_user(user=request.user, slug=slug, pk=pk)
    initial = {
        "url": endpoint.url,
        "description": endpoint.description,
        "events": endpoint.events,
        "active": endpoint.active,
    }
    form = EndpointForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.endpoint_update(
                by=request.user,
                endpoint=endpoint,
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
                description=form.cleaned_data["description"],
                active=form.cleaned_data["active"],
            )
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("The webhook was saved."))
            return _back(slug, pk)
    return render(
        request,
        "webhooks/form.html",
        {
            "org": endpoint.organisation,
            "form": form,
            "title": _("Change the webhook"),
            "endpoint": endpoint,
        },
    )


@login_required
@require_POST
def endpoint_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    endpoint = access.endpoint_get_for_user(user=request.user, slug=slug, pk=pk)
    services.endpoint_delete(by=request.user, endpoint=endpoint)
    messages.success(request, _("The webhook was removed."))
    return redirect("webhooks:list", slug)


@login_required
@require_POST
def endpoint_rotate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    endpoint = access.endpoint_get_for_user(user=request.user, slug=slug, pk=pk)
    services.endpoint_rotate_secret(by=request.user, endpoint=endpoint)
    messages.success(
        request,
        _(
            "A new secret was made. For one day deliveries are signed with both the new and the old one."
        ),
    )
    return _back(slug, pk)


@login_required
@require_POST
def endpoint_resume(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    endpoint = access.endpoint_get_for_user(user=request.user, slug=slug, pk=pk)
    services.endpoint_resume(by=request.user, endpoint=endpoint)
    messages.success(request, _("The webhook was resumed. Waiting deliveries are being sent."))
    return _back(slug, pk)


@login_required
@require_POST
def endpoint_test(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    endpoint = access.endpoint_get_for_user(user=request.user, slug=slug, pk=pk)
    services.webhook_send_test(by=request.user, endpoint=endpoint)
    messages.success(request, _("A test event is on its way; reload the page to see the result."))
    return _back(slug, pk)


@login_required
@require_POST
def delivery_resend(request: HttpRequest, slug: str, pk: int, delivery_id: str) -> HttpResponse:
    delivery = access.delivery_get_for_user(
        user=request.user, slug=slug, pk=pk, delivery_id=delivery_id
    )
    try:
        services.delivery_resend(by=request.user, delivery=delivery)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return _back(slug, pk)
    messages.success(request, _("The delivery will be sent again, with the same id."))
    return _back(slug, pk)
