"""Joint statement pages: the public page and its print view, the three ways to co-sign,
individual signatures, and the organisers' forms. Thin: access helper, form, one service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from spilka.campaigns import access, selectors
from spilka.campaigns.forms.statements import (
    EvidenceForm,
    IndividualSignForm,
    InviteForm,
    OfficerCoSignForm,
    StatementCreateForm,
    StatementForm,
)
from spilka.campaigns.models import Statement, StatementStatus
from spilka.campaigns.services import cosignatures, individual_signatories
from spilka.campaigns.services import statements as services
from spilka.lib.abuse import Refusal, anonymous_form_check
from spilka.lib.forms import form_add_validation_error
from spilka.lib.pow import pow_challenge


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


# Public pages -----------------------------------------------------------------------


def statement_detail(request: HttpRequest, slug: str) -> HttpResponse:
    statement = access.statement_get_for_user(user=request.user, slug=slug)
    context = selectors.statement_page(statement=statement, user=request.user)
    return render(request, "campaigns/statement_detail.html", context)


def statement_print(request: HttpRequest, slug: str) -> HttpResponse:
    statement = access.statement_get_for_user(user=request.user, slug=slug)
    context = selectors.statement_page(statement=statement, user=request.user)
    context["page_url"] = request.build_absolute_uri(statement.get_absolute_url())
    return render(request, "campaigns/statement_print.html", context)


def statement_thanks(request: HttpRequest, slug: str) -> HttpResponse:
    statement = access.statement_get_for_user(user=request.user, slug=slug)
    return render(request, "campaigns/statement_thanks.html", {"statement": statement})


# Co-signing -------------------------------------------------------------------------


@login_required
@require_POST
def statement_cosign(request: HttpRequest, slug: str) -> HttpResponse:
    """One click by an admin or organiser of the organisation: confirmed at once."""
    statement = access.statement_get_for_user(user=request.user, slug=slug)
    organisation = (
        access.cosign_organisations_for_user(request.user)
        .filter(slug=request.POST.get("organisation", "")[:80])
        .first()
    )
    if organisation is None:
        raise PermissionDenied
    try:
        cosignatures.cosign_by_role_holder(
            statement=statement, organisation=organisation, user=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(organisation)s has co-signed the statement.")
            % {"organisation": organisation.display_name},
        )
    return redirect(statement)


@login_required
@require_POST
def cosignature_withdraw(request: HttpRequest, slug: str, organisation: str) -> HttpResponse:
    statement = access.statement_get_for_user(user=request.user, slug=slug)
    cosignature = access.cosignature_get_for_user(
        user=request.user, statement=statement, organisation_slug=organisation
    )
    cosignatures.cosignature_withdraw(cosignature=cosignature, by=request.user)
    messages.success(
        request,
        _("The co-signature of %(organisation)s is withdrawn.")
        % {"organisation": cosignature.organisation.display_name},
    )
    return redirect(statement)


def _closed_error(form: Any, statement: Statement) -> Refusal | None:
    if statement.status != StatementStatus.OPEN:
        form.add_error(None, _("This statement is not open for signatures."))
        return Refusal(status=400)
    return None


@require_http_methods(["GET", "POST"])
def statement_cosign_officer(request: HttpRequest, slug: str) -> HttpResponse:
    """An officer asks to co-sign from an address at the organisation's own domain."""
    statement = access.statement_get_for_user(user=request.user, slug=slug)
    form = OfficerCoSignForm(
        request.POST or None,
        user=request.user,
        initial={"organisation": request.GET.get("organisation", "")[:80]},
    )
    status = None
    if request.method == "POST":
        refusal = _closed_error(form, statement) or anonymous_form_check(request, form, "cosign")
        if refusal is not None and refusal.bot:
            return redirect("campaigns:statement_thanks", slug=statement.slug)
        if refusal is not None:
            status = refusal.status
        else:
            data = form.cleaned_data
            try:
                cosignatures.cosign_request_officer(
                    statement=statement,
                    organisation=data["organisation"],
                    officer_name=data["officer_name"],
                    officer_email=data["email"],
                    language=request.LANGUAGE_CODE,
                    base_url=_base_url(request),
                )
            except ValidationError as error:
                # Closed or already co-signed: public facts, whatever the address.
                form.add_error(None, error)
                status = 400
            else:
                # The same answer whether or not the address may commit the organisation:
                # that is told only by mail, to the address itself.
                return redirect("campaigns:statement_thanks", slug=statement.slug)
    return render(
        request,
        "campaigns/statement_cosign_officer.html",
        {"statement": statement, "form": form, "challenge": pow_challenge()},
        status=status or 200,
    )


def _link_invalid(request: HttpRequest, *, expired: bool = False) -> HttpResponse:
    return render(
        request,
        "campaigns/statement_link_invalid.html",
        {"expired": expired},
        status=410 if expired else 404,
    )


@require_http_methods(["GET", "POST"])
def cosignature_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; only the POST confirms (mail scanners open links)."""
    link = access.link_read(token, access.COSIGN_CONFIRM_SALT)
    cosignature = access.cosignature_for_link(link)
    if cosignature is None:
        # A good link whose request was replaced or withdrawn has gone, as if it expired.
        return _link_invalid(request, expired=link.expired or link.pk is not None)
    if request.method == "POST":
        confirmed = cosignatures.cosign_confirm_officer(
            cosignature_id=cosignature.pk, digest=link.digest
        )
        if confirmed is None:
            return _link_invalid(request, expired=True)
        return render(
            request,
            "campaigns/statement_confirmed.html",
            {"statement": confirmed.statement, "organisation": confirmed.organisation},
        )
    return render(
        request,
        "campaigns/statement_confirm.html",
        {
            "statement": cosignature.statement,
            "organisation": cosignature.organisation,
            "cosignature": cosignature,
        },
    )


# Individual signatories -------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def statement_sign(request: HttpRequest, slug: str) -> HttpResponse:
    statement = access.statement_get_for_user(user=request.user, slug=slug)
    if not statement.allow_individuals:
        return redirect(statement)
    form = IndividualSignForm(request.POST or None)
    status = None
    if request.method == "POST":
        refusal = _closed_error(form, statement) or anonymous_form_check(
            request, form, "statement-sign"
        )
        if refusal is not None and refusal.bot:
            return redirect("campaigns:statement_thanks", slug=statement.slug)
        if refusal is not None:
            status = refusal.status
        else:
            data = form.cleaned_data
            try:
                individual_signatories.individual_sign(
                    statement=statement,
                    full_name=data["full_name"],
                    email=data["email"],
                    affiliation=data["affiliation"],
                    country=data["country"],
                    language=request.LANGUAGE_CODE,
                    base_url=_base_url(request),
                )
            except ValidationError as error:
                form_add_validation_error(form, error)
                status = 400
            else:
                return redirect("campaigns:statement_thanks", slug=statement.slug)
    return render(
        request,
        "campaigns/statement_sign.html",
        {"statement": statement, "form": form, "challenge": pow_challenge()},
        status=status or 200,
    )


@require_http_methods(["GET", "POST"])
def individual_confirm(request: HttpRequest, token: str) -> HttpResponse:
    link = access.link_read(token, access.INDIVIDUAL_CONFIRM_SALT)
    signatory = access.individual_for_link(link)
    if signatory is None:
        return _link_invalid(request, expired=link.expired or link.pk is not None)
    if request.method == "POST":
        confirmed = individual_signatories.individual_confirm(
            signatory_id=signatory.pk, digest=link.digest
        )
        if confirmed is None:
            return _link_invalid(request, expired=True)
        return render(
            request, "campaigns/statement_confirmed.html", {"statement": confirmed.statement}
        )
    return render(
        request,
        "campaigns/statement_confirm.html",
        {"statement": signatory.statement, "signatory": signatory},
    )


# Organisers -------------------------------------------------------------------------


def _organiser_form(
    request: HttpRequest, template_context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(request, "campaigns/statement_form.html", template_context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def statement_create(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = access.campaign_get_for_user(user=request.user, slug=slug, write=True)
    form = StatementCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            statement = services.statement_create(
                by=request.user, campaign=campaign, **form.cleaned_data
            )
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("The statement was created."))
            return redirect(statement)
    context = {"form": form, "campaign": campaign, "title": _("New joint statement")}
    return _organiser_form(request, context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def statement_edit(request: HttpRequest, slug: str) -> HttpResponse:
    statement = access.statement_get_for_user(user=request.user, slug=slug, write=True)
    form = StatementForm(request.POST or None, instance=statement)
    if request.method == "POST" and form.is_valid():
        try:
            statement = services.statement_update(
                statement=statement, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("The statement was saved."))
            return redirect(statement)
    context = {"form": form, "statement": statement, "title": _("Edit the statement")}
    return _organiser_form(request, context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def statement_evidence(request: HttpRequest, slug: str) -> HttpResponse:
    """Organisers record a co-signature given elsewhere, with a link to the evidence."""
    statement = access.statement_get_for_user(user=request.user, slug=slug, write=True)
    form = EvidenceForm(
        request.POST or None, organisations=access.statement_evidence_organisations(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cosignatures.cosign_record_evidence(
                statement=statement,
                organisation=data["organisation"],
                evidence_url=data["evidence_url"],
                note=data["note"],
                by=request.user,
            )
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(
                request,
                _("The co-signature of %(organisation)s is recorded.")
                % {"organisation": data["organisation"].display_name},
            )
            return redirect(statement)
    context = {
        "form": form,
        "statement": statement,
        "title": _("Record a co-signature from evidence"),
        "submit": _("Record"),
    }
    return _organiser_form(request, context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def statement_invite(request: HttpRequest, slug: str) -> HttpResponse:
    statement = access.statement_get_for_user(user=request.user, slug=slug, write=True)
    form = InviteForm(
        request.POST or None, organisations=access.statement_evidence_organisations(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.statement_invite(
                statement=statement,
                organisations=list(form.cleaned_data["organisations"]),
                by=request.user,
                base_url=_base_url(request),
                language=request.LANGUAGE_CODE,
            )
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            people = sum(sent.values())
            messages.success(
                request,
                ngettext(
                    "The invitation was sent to %(count)d person.",
                    "The invitation was sent to %(count)d people.",
                    people,
                )
                % {"count": people},
            )
            nobody = sum(1 for count in sent.values() if count == 0)
            if nobody:
                messages.warning(
                    request,
                    ngettext(
                        "%(count)d organisation has nobody with an account here: send it the link yourself.",
                        "%(count)d organisations have nobody with an account here: send them the link yourself.",
                        nobody,
                    )
                    % {"count": nobody},
                )
            return redirect(statement)
    context = {
        "form": form,
        "statement": statement,
        "title": _("Invite organisations to co-sign"),
        "submit": _("Send invitations"),
    }
    return _organiser_form(request, context, status=400 if form.errors else 200)
