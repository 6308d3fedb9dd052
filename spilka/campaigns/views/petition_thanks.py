"""The page a signer lands on after the sign form, and its "send the link again" button.

The page shows the address the visitor signed with, so a typo can be noticed. The address
travels in a signed, short-lived cookie (``spilka_signed``) that only this page's path
receives: never in a URL, never in a shared or cached page (the page is ``no-store``), and
the resend button sends only to the address in that cookie, never to one typed here.
Whoever opens the page without the cookie (someone else, or the signer an hour later)
sees the page without any address.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from spilka.campaigns import access, selectors
from spilka.campaigns.models import Petition
from spilka.campaigns.services import petitions as services
from spilka.lib import ratelimit
from spilka.lib.process_cache import ProcessCache

COOKIE = "spilka_signed"
COOKIE_SALT = "spilka.petition.thanks"
COOKIE_SECONDS = 3600  # long enough to wait for a slow mail, short on a shared computer
RESEND_SCOPE = "petition-resend"
RESEND_WINDOW = 600
RESEND_LIMIT = 5  # per network and window, whatever the address

_thanks_urls = ProcessCache()


def thanks_url(petition: Petition) -> str:
    """The thank-you page's URL (kept per language: a reverse per signature was a
    measurable part of the sign path)."""
    key = (get_language(), petition.slug)
    url = _thanks_urls.get(key)
    if url is None:
        url = reverse("campaigns:petition_thanks", kwargs={"slug": petition.slug})
        _thanks_urls.set(key, url, 3600)
    return url


def thanks_redirect(petition: Petition, email: str) -> HttpResponse:
    """The answer to an accepted sign form: to the thank-you page, which alone is sent the
    address signed with."""
    url = thanks_url(petition)
    response = HttpResponseRedirect(url)
    response.set_cookie(
        COOKIE,
        signing.dumps({"p": petition.pk, "e": email}, salt=COOKIE_SALT, compress=False),
        max_age=COOKIE_SECONDS,
        path=url,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def signed_address(request: HttpRequest, petition: Petition) -> str:
    """The address this browser signed ``petition`` with in the last hour, else ""."""
    try:
        value = signing.loads(
            request.COOKIES.get(COOKIE, ""), salt=COOKIE_SALT, max_age=COOKIE_SECONDS
        )
    except signing.BadSignature:
        return ""
    if not isinstance(value, dict) or value.get("p") != petition.pk:
        return ""
    email = value.get("e")
    return email if isinstance(email, str) else ""


def link_lifetime_words(hours: int) -> str:
    """``SPILKA_SIGNATURE_CONFIRM_HOURS`` as a person says it: "3 days", "36 hours"."""
    if hours % 24 == 0:
        days = hours // 24
        return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
    return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}


@never_cache
def petition_thanks(request: HttpRequest, slug: str) -> HttpResponse:
    petition = access.petition_get_for_user(user=request.user, slug=slug)
    page_url = request.build_absolute_uri(petition.get_absolute_url())
    return render(
        request,
        "campaigns/petition_thanks.html",
        {
            "petition": petition,
            "email": signed_address(request, petition),
            "link_lifetime": link_lifetime_words(settings.SPILKA_SIGNATURE_CONFIRM_HOURS),
            "page_url": page_url,
            "next_actions": selectors.petition_next_actions(petition=petition, user=request.user),
        },
    )


@never_cache
@require_POST
def petition_thanks_resend(request: HttpRequest, slug: str) -> HttpResponse:
    """Send the confirmation link again, to the address in the cookie only.

    The answer is the same whether that address has a signature waiting, has already
    confirmed, or has none (the mail, if any, says which): the page must not tell anyone
    about an address. Limited per network here, and per signature and per address in the
    service and the mail task.
    """
    petition = access.petition_get_for_user(user=request.user, slug=slug)
    email = signed_address(request, petition)
    if not email:
        messages.info(
            request,
            _(
                "This page no longer knows the address you signed with (it forgets it after "
                "an hour). To get a new link, sign the petition again."
            ),
        )
        return redirect("campaigns:petition_thanks", slug=petition.slug)
    network = ratelimit.ip_hash(request)
    if ratelimit.hit(RESEND_SCOPE, network, RESEND_WINDOW) > RESEND_LIMIT:
        messages.error(
            request,
            _("Too many requests from your network in a short time. Please try again later."),
        )
        return redirect("campaigns:petition_thanks", slug=petition.slug)
    services.signature_resend(
        petition=petition, email=email, base_url=request.build_absolute_uri("/").rstrip("/")
    )
    messages.success(
        request,
        _(
            "If a signature from this address is waiting for confirmation, we have sent the "
            "link again. A link is sent at most once every few minutes."
        ),
    )
    return redirect("campaigns:petition_thanks", slug=petition.slug)
