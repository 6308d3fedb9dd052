"""The development outbox: every mail 'sent' while SPILKA_EMAIL_BACKEND=outbox, for staff."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Literal, cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from spilka.accounts.middleware import needs_second_factor
from spilka.lib.health import report
from spilka.lib.models import OutboxMessage

# What Django checks LANGUAGE_COOKIE_SAMESITE is (django-stubs types the setting as str).
SameSite = Literal["Lax", "Strict", "None", False] | None


def _require_outbox() -> None:
    if not settings.SPILKA_OUTBOX_ENABLED:
        raise Http404


def verified_staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Active staff only, and only once they have verified their second factor."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if needs_second_factor(request.user):
            query = urlencode({"next": request.get_full_path()}, safe="/")
            return redirect(f"{reverse('accounts:two_factor')}?{query}")
        return view(request, *args, **kwargs)

    return staff_member_required(wrapped)


@verified_staff_required
def outbox_list(request: HttpRequest) -> HttpResponse:
    _require_outbox()
    page = Paginator(OutboxMessage.objects.all(), 50).get_page(request.GET.get("page"))
    return render(request, "lib/outbox_list.html", {"page": page})


@verified_staff_required
def outbox_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_outbox()
    message = get_object_or_404(OutboxMessage, pk=pk)
    return render(request, "lib/outbox_detail.html", {"message": message})


@verified_staff_required
def outbox_attachment(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    _require_outbox()
    message = get_object_or_404(OutboxMessage, pk=pk)
    if index >= len(message.attachments):
        raise Http404
    attachment = message.attachments[index]
    response = HttpResponse(
        attachment["content"], content_type=attachment["mimetype"] or "application/octet-stream"
    )
    # Served as a download, never rendered as a page of this site.
    response["Content-Disposition"] = f'attachment; filename="attachment-{index + 1}"'
    return response


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitoring: 200 when the database, the cache, the task worker,
    the task queues and the sign intake are all well; 503 ``"degraded"`` naming the failing
    checks otherwise (spilka/lib/health.py). Counts and ages only.

    ``?only=database`` limits it to the named checks: a load balancer asks only what makes
    this app server unfit to serve (a stopped worker is no reason to take it out).
    """
    only = [name for name in request.GET.get("only", "").split(",") if name]
    ok, body = report(only)
    return JsonResponse(body, status=200 if ok else 503)


def language_switch(request: HttpRequest) -> HttpResponse:
    """Switch the interface language: remember it in the language cookie and go back to
    the same page in that language (``?to=uk&next=/en/...``).

    A link, not a form: it only sets the visitor's own preference, so it needs no CSRF
    token, and shared cached pages (a petition's) carry no per-visitor token for it.
    ``next`` must be a path on this site; anything else (another host, a scheme, a bare
    word, an absurd length) goes to the front page in the chosen language.
    """
    code = request.GET.get("to", "")
    if code not in dict(settings.LANGUAGES):
        code = settings.LANGUAGE_CODE
    next_url = request.GET.get("next", "")
    if _is_local_path(request, next_url):
        # A page's address resolves only in its own language: read it in that one.
        with translation.override(translation.get_language_from_path(next_url)):
            target = translate_url(next_url, code)
    else:
        target = ""
    if not _is_local_path(request, target):
        with translation.override(code):
            target = reverse("front:index")
    # Never redirect(): it would read a bare word as the name of a view.
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=cast(SameSite, settings.LANGUAGE_COOKIE_SAMESITE),
    )
    return response


# Longer than any address of ours, and short enough for every proxy's header limit.
NEXT_MAX_LENGTH = 2000


def _is_local_path(request: HttpRequest, url: str) -> bool:
    """A path on this site: starts with one slash, no host, no scheme, nothing odd."""
    return (
        0 < len(url) <= NEXT_MAX_LENGTH
        and url.startswith("/")
        and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    )
