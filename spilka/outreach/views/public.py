"""Public pages: one-click unsubscribe, the sign-up form (and its embeddable copy),
and data-subject requests. No login; nothing personal is shown to anyone but the
address owner, who reaches these through links mailed to them."""

from __future__ import annotations

import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from spilka.lib.abuse import anonymous_form_check
from spilka.lib.csv_safe import csv_response
from spilka.lib.pow import pow_challenge
from spilka.network.models import Organisation
from spilka.outreach.forms import DataRequestForm, SignupForm
from spilka.outreach.models import DataRequest, DataRequestKind, Supporter
from spilka.outreach.services import public as services
from spilka.outreach.services.supporters import supporter_unsubscribe
from spilka.outreach.tokens import (
    DATA_REQUEST_SALT,
    SIGNUP_SALT,
    read_token,
    unsubscribe_read,
)

# The sign-up form framed on other sites: its own policy instead of the site's
# ``frame-ancestors 'none'``. Scripts only from here (the proof-of-work).
EMBED_CSP = (
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; "
    "form-action 'self'; frame-ancestors *; base-uri 'none'"
)


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" with no cookies
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button and changes nothing (mail scanners open links); POST unsubscribes.

    The token is signed and names the organisation and the supporter: it is the only
    credential, and it cannot be changed to point at anyone else.
    """
    found = unsubscribe_read(token)
    supporter = (
        Supporter.objects.select_related("organisation")
        .filter(pk=found[1], organisation_id=found[0])
        .first()
        if found
        else None
    )
    if supporter is None:
        return render(request, "outreach/link_invalid.html", status=404)
    if request.method == "POST":
        supporter_unsubscribe(
            organisation_id=found[0],  # type: ignore[index]
            supporter_id=found[1],  # type: ignore[index]
            mailing_id=found[2],  # type: ignore[index]
            source="one-click" if request.POST.get("List-Unsubscribe") == "One-Click" else "link",
        )
        return render(
            request, "outreach/unsubscribed.html", {"organisation": supporter.organisation}
        )
    return render(
        request,
        "outreach/unsubscribe.html",
        {"organisation": supporter.organisation, "already": not supporter.is_mailable},
    )


def _signup_organisation(slug: str) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug, is_public=True).first()
    if organisation is None:
        raise Http404
    return organisation


def _signup(request: HttpRequest, slug: str, *, embed: bool) -> HttpResponse:
    organisation = _signup_organisation(slug)
    template = "outreach/join_embed.html" if embed else "outreach/join.html"
    form = SignupForm(request.POST or None, organisation=organisation)
    status = 200
    if request.method == "POST":
        refusal = anonymous_form_check(request, form, "outreach-signup")
        if refusal is None:
            data = form.cleaned_data
            services.signup_request(
                organisation=organisation,
                email=data["email"],
                name=data["name"],
                country=data["country"],
                language=request.LANGUAGE_CODE,
                wording=services.signup_wording(organisation),
                base_url=request.build_absolute_uri("/").rstrip("/"),
            )
        if refusal is None or refusal.bot:
            response = render(
                request, "outreach/join_thanks.html", {"organisation": organisation, "embed": embed}
            )
            if embed:
                response.headers["Content-Security-Policy"] = EMBED_CSP
            return response
        status = refusal.status
    response = render(
        request,
        template,
        {
            "organisation": organisation,
            "form": form,
            "challenge": pow_challenge(),
            "embed_url": request.build_absolute_uri(request.path.rstrip("/") + "/embed/")
            if not embed
            else "",
        },
        status=status,
    )
    if embed:
        response.headers["Content-Security-Policy"] = EMBED_CSP
    return response


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, slug: str) -> HttpResponse:
    return _signup(request, slug, embed=False)


# Framed on another site, the browser sends no SameSite cookie with the POST, so the form
# cannot carry a CSRF token. A forged POST could only do what anyone may do openly here:
# ask for a confirmation mail, behind the rate limit and the proof-of-work.
@csrf_exempt
@xframe_options_exempt
@require_http_methods(["GET", "POST"])
def join_embed(request: HttpRequest, slug: str) -> HttpResponse:
    return _signup(request, slug, embed=True)


@require_http_methods(["GET", "POST"])
def signup_confirm(request: HttpRequest, token: str) -> HttpResponse:
    signup_id = read_token(token, SIGNUP_SALT, max_age=services.signup_max_age())
    if signup_id is None:
        return render(request, "outreach/link_invalid.html", status=404)
    if request.method == "POST":
        organisation = services.signup_confirm(signup_id=signup_id)
        if organisation is None:
            return render(request, "outreach/link_invalid.html", status=404)
        return render(request, "outreach/signup_confirmed.html", {"organisation": organisation})
    return render(request, "outreach/signup_confirm.html", {"token": token})


@require_http_methods(["GET", "POST"])
def data_request_form(request: HttpRequest) -> HttpResponse:
    form = DataRequestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        refusal = anonymous_form_check(request, form, "outreach-data")
        if refusal is None:
            services.data_request_create(
                email=form.cleaned_data["email"],
                kind=form.cleaned_data["kind"],
                language=request.LANGUAGE_CODE,
                base_url=request.build_absolute_uri("/").rstrip("/"),
            )
        if refusal is None or refusal.bot:
            return render(request, "outreach/my_data_sent.html")
        status = refusal.status
    return render(
        request,
        "outreach/my_data.html",
        {"form": form, "challenge": pow_challenge()},
        status=status,
    )


def _data_request(token: str) -> DataRequest | None:
    request_id = read_token(token, DATA_REQUEST_SALT, max_age=services.data_request_max_age())
    if request_id is None:
        return None
    return DataRequest.objects.filter(pk=request_id).exclude(email="").first()


@require_http_methods(["GET", "POST"])
def data_request(request: HttpRequest, token: str) -> HttpResponse:
    data_req = _data_request(token)
    if data_req is None:
        return render(request, "outreach/link_invalid.html", status=404)
    if data_req.kind == DataRequestKind.EXPORT:
        if request.method == "POST":
            return render(request, "outreach/link_invalid.html", status=405)
        return render(request, "outreach/my_data_export.html", {"token": token})
    if request.method == "POST":
        counts = services.data_erase(request=data_req)
        return render(request, "outreach/my_data_erased.html", {"total": sum(counts.values())})
    return render(request, "outreach/my_data_erase.html", {"token": token})


def data_export(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    data_req = _data_request(token)
    if data_req is None or data_req.kind != DataRequestKind.EXPORT:
        return render(request, "outreach/link_invalid.html", status=404)
    data = services.data_export_deliver(request=data_req)
    if fmt == "json":
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
        )
        response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    else:
        rows: list[list[Any]] = [[_("Where"), pgettext("noun", "Record"), _("Field"), _("Value")]]
        for source, records in data.items():
            if not records:  # every part of Spilka is listed, also where it holds nothing
                rows.append([source, "", "", ""])
            for number, record in enumerate(records, start=1):
                for key, value in record.items():
                    if isinstance(value, list | dict):
                        value = json.dumps(value, ensure_ascii=False)
                    rows.append([source, number, key, value])
        response = csv_response(rows, filename="my-data.csv")
    response["Cache-Control"] = "no-store"
    return response
