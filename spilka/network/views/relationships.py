"""Relationships between organisations and the link requests they answer."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from spilka.lib.forms import form_add_validation_error
from spilka.network import access, link_requests, services
from spilka.network.forms import RelationshipForm
from spilka.network.models import Relationship


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
