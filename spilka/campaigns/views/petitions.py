"""Petition pages: the public page and sign form, confirmation by button, widget, export."""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.crypto import salted_hmac
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from spilka.campaigns import access, selectors
from spilka.campaigns.exports import SIGNATURES
from spilka.campaigns.forms.signing import SignatureForm
from spilka.campaigns.models import Petition, PetitionStatus, Signature
from spilka.campaigns.services import petitions as services
from spilka.campaigns.services.signature_intake import signature_submit
from spilka.campaigns.services.signing import Signer
from spilka.campaigns.tokens import CONFIRM_SALT, WITHDRAW_SALT, read_token
from spilka.campaigns.views.petition_thanks import thanks_redirect
from spilka.events.zones import local, viewer_zone, viewer_zone_name
from spilka.exports.views import export_start
from spilka.lib.abuse import REPLAYED, Refusal, anonymous_form_screen, refuse
from spilka.lib.pow import pow_challenge, pow_spent_on
from spilka.lib.process_cache import ProcessCache

# Anonymous visitors share one rendered page per petition, language and host for a few
# seconds: only the proof-of-work challenge differs between them, and it is put in per
# request. This keeps the page of a viral petition cheap.
PAGE_CACHE_SECONDS = 3
CSRF_MARK = "__spilka_csrf_token__"  # an anonymous page has no form that needs one
POW_MARK = "__spilka_pow_challenge__"
_shared_pages = ProcessCache(max_entries=300)
SIGN_LIMITED = gettext_lazy(
    "Too many signatures from your network in a short time. Please try again in a few minutes."
)


def _petition_page(
    request: HttpRequest,
    petition: Petition,
    form: SignatureForm,
    status: int = 200,
    shared: bool = False,
) -> HttpResponse:
    per_visitor = (
        {"csrf_token": CSRF_MARK, "challenge": POW_MARK}
        if shared
        else {"challenge": pow_challenge()}
    )
    # Shown in the visitor's zone (the one their browser reported), named; the shared
    # page's key carries that zone.
    zone = viewer_zone(request, default=settings.TIME_ZONE)
    closes = local(petition.closes_at, zone) if petition.closes_at else None
    return render(
        request,
        "campaigns/petition_detail.html",
        {
            "petition": petition,
            "campaign": petition.campaign,
            "form": form,
            "accepts_signatures": petition.accepts_signatures(),
            "closes": closes,
            "closed_by_time": petition.has_closed_by_time(),
            "recent": selectors.petition_recent_public_signers(petition),
            "can_run": access.campaign_can_run(user=request.user, campaign=petition.campaign),
            "page_url": request.build_absolute_uri(petition.get_absolute_url()),
            "widget_url": request.build_absolute_uri(petition.get_absolute_url() + "widget/"),
            **per_visitor,
        },
        status=status,
    )


def petition_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # Signed-in visitors, pending messages and query strings (which the page echoes in its
    # language switcher) never share a cached page.
    if request.user.is_authenticated or "messages" in request.COOKIES or request.GET:
        petition = access.petition_get_for_user(user=request.user, slug=slug)
        form = SignatureForm(organisers=selectors.petition_organisers(petition))
        return _petition_page(request, petition, form)
    # The count and status are part of the key: a new signature or a closed petition is
    # seen at once, and a draft is never served from the cache.
    state = selectors.petition_state_recent(slug)
    if state is None:
        raise Http404
    # Only a closing time is shown in the visitor's zone: other petitions share one page.
    zone = viewer_zone_name(request) if state.has_closing_time else ""
    key = f"petition-page:{request.scheme}:{request.get_host()}:{request.LANGUAGE_CODE}:{zone}:{slug}:{state.confirmed_count}:{state.status}"
    held = _shared_pages.get(key)
    if held is None:
        petition = access.petition_get_for_user(user=request.user, slug=slug)
        form = SignatureForm(organisers=selectors.petition_organisers(petition))
        page = _petition_page(request, petition, form, shared=True).content
        # Kept as bytes around the challenge, with whether it holds a form needing a CSRF
        # token (only if one is added for anonymous visitors): looked for once, here, not
        # in each visitor's copy (20 KB).
        held = (page.split(POW_MARK.encode()), CSRF_MARK.encode() in page)
        seconds = float(PAGE_CACHE_SECONDS)
        if petition.closes_at and petition.accepts_signatures():
            # Not kept past the closing moment: the form gives way to the notice at once.
            seconds = min(seconds, (petition.closes_at - timezone.now()).total_seconds())
        _shared_pages.set(key, held, seconds)
    parts, needs_token = held
    body = escape(pow_challenge()).encode().join(parts)
    if needs_token:
        body = body.replace(CSRF_MARK.encode(), get_token(request).encode())
    response = HttpResponse(body)
    patch_cache_control(response, private=True, no_store=True)
    return response


# No CSRF token: signing uses no ambient authority (no session, no account; what is
# signed is what the form says, and it counts only once its email is confirmed), which is
# why the sign forms of Action Network and Proca post without one, from any site. The
# forgery a token would stop is covered by the proof-of-work challenge: signed by us,
# issued with our page, expiring in 20 minutes and spent on first use.
@csrf_exempt
@require_POST
def petition_sign(request: HttpRequest, slug: str) -> HttpResponse:
    # The hot path of a viral petition: anonymous signers get the petition from a
    # per-process cache; everyone else goes through the access helper.
    found = None if request.user.is_authenticated else selectors.petition_for_signing(slug)
    if found is None:
        petition = access.petition_get_for_user(user=request.user, slug=slug)
        organisers = selectors.petition_organisers(petition)
    else:
        petition, organisers = found
    form = SignatureForm(request.POST, organisers=organisers)
    if not petition.accepts_signatures():
        # Nothing is acknowledged: the page says the petition is closed (and since when).
        form.add_error(None, _("This petition is not open for signatures."))
        return _petition_page(request, petition, form, status=400)
    # The checks that need no shared state here; the rate-limit hit and the spent
    # proof-of-work mark go with the signature itself (one Redis round trip with the intake).
    screened = anonymous_form_screen(request, form, "sign", SIGN_LIMITED)
    if isinstance(screened, Refusal) and screened.bot:
        return thanks_redirect(petition, form.cleaned_data["email"])
    if isinstance(screened, Refusal):
        return _petition_page(request, petition, form, status=screened.status)
    data = form.cleaned_data
    marks = dataclasses.replace(screened, pow_value=_submission_mark(petition, data["email"]))
    signer = Signer(
        petition_id=petition.pk,
        full_name=data["full_name"],
        email=data["email"],
        country=data["country"],
        postcode=data["postcode"],
        organisation_name=data["organisation_name"],
        show_name=data["show_name"],
        consents=tuple((org.pk, wording) for org, wording in form.consent_choices()),
        language=request.LANGUAGE_CODE,
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    refused = signature_submit(signer, petition=petition, marks=marks)
    if refused == REPLAYED and pow_spent_on(marks.pow_key, marks.pow_value):
        # A double click: the twin of this very form was accepted a moment ago.
        return thanks_redirect(petition, data["email"])
    if refused is not None:
        return _petition_page(request, petition, form, status=refuse(form, refused, SIGN_LIMITED))
    return thanks_redirect(petition, data["email"])


def _submission_mark(petition: Petition, email: str) -> int:
    """A number naming (petition, address), kept with the spent proof-of-work solution so
    that a second post of the same form (a double click) gets the same answer as the first.
    Keyed with the secret: the cache never holds anything an address can be read from."""
    digest = salted_hmac("spilka.petition.sign.twin", f"{petition.pk}:{email}").hexdigest()
    return int(digest[:12], 16) + 2  # never the plain 1 of a solution merely spent


@require_http_methods(["GET", "POST"])
def signature_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; only the POST confirms (mail scanners open links)."""
    signature_id = read_token(token, CONFIRM_SALT)
    if signature_id is None:
        return render(request, "campaigns/signature_link_invalid.html", status=404)
    signature = Signature.objects.select_related("petition").filter(pk=signature_id).first()
    if signature is None:
        return render(
            request, "campaigns/signature_link_invalid.html", {"expired": True}, status=404
        )
    if request.method == "POST":
        confirmed = services.signature_confirm(signature_id=signature_id)
        if confirmed is None:
            return render(
                request, "campaigns/signature_link_invalid.html", {"expired": True}, status=410
            )
        confirmed.petition.refresh_from_db(fields=["confirmed_count"])
        return render(
            request, "campaigns/signature_confirmed.html", {"petition": confirmed.petition}
        )
    return render(
        request,
        "campaigns/signature_confirm.html",
        {"petition": signature.petition, "signature": signature},
    )


@require_http_methods(["GET", "POST"])
def signature_withdraw(request: HttpRequest, token: str) -> HttpResponse:
    signature_id = read_token(token, WITHDRAW_SALT)
    if signature_id is None:
        return render(request, "campaigns/signature_link_invalid.html", status=404)
    signature = get_object_or_404(Signature.objects.select_related("petition"), pk=signature_id)
    if request.method == "POST":
        services.signature_withdraw(signature_id=signature_id)
        return render(
            request, "campaigns/signature_withdrawn.html", {"petition": signature.petition}
        )
    return render(
        request,
        "campaigns/signature_withdraw.html",
        {"petition": signature.petition, "signature": signature},
    )


@xframe_options_exempt
def petition_widget(request: HttpRequest, slug: str) -> HttpResponse:
    """A small count and goal bar for other sites to embed in an iframe (no script)."""
    petition = access.petition_get_for_user(user=request.user, slug=slug)
    if petition.status == PetitionStatus.DRAFT:
        raise Http404
    response = render(request, "campaigns/petition_widget.html", {"petition": petition})
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors *; base-uri 'none'"
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def petition_export(request: HttpRequest, slug: str) -> HttpResponse:
    """Confirmed signatures as CSV, written in the background (POST starts it)."""
    return export_start(request, kind=SIGNATURES, parameters={"slug": slug})
