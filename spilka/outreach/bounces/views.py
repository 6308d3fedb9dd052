"""``/hooks/mail/<provider>/``: where mail providers report bounces and complaints.

The answers, in the order they are decided:
- 404 (the site's own page) for a provider that is unknown or not configured: the URL does
  not tell anyone which providers this site uses;
- 405 for anything but POST; 429 with Retry-After past the rate limit (per client address);
- 413 for a body over ``SPILKA_BOUNCE_WEBHOOK_MAX_BYTES``;
- 401 for a request that does not prove it comes from the provider: one body, whatever the
  payload and whatever was wrong with the proof;
- 400 with ``{"error": ...}`` for an authenticated body that is not what the format says;
- 200 ``{"ok": true, "events": n}`` otherwise, ``n`` counting the reports the payload
  carried. Nothing in any answer depends on whether an address belongs to a supporter.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from spilka.lib import ratelimit
from spilka.outreach.bounces.events import Malformed, TryLater, Unauthenticated
from spilka.outreach.bounces.providers import provider_configured
from spilka.outreach.services.bounces import bounce_events_record

log = logging.getLogger(__name__)

RATE_WINDOW = 60


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _limited(request: HttpRequest, provider: str) -> int:
    """Seconds until the client may post again (0: it may now)."""
    try:
        count = ratelimit.hit(f"bounce-hook:{provider}", ratelimit.ip_hash(request), RATE_WINDOW)
    except ratelimit.cache_errors() as error:
        # Reports from the provider matter more than the limit: let them through.
        log.warning("bounce webhook not rate limited, the cache is unreachable: %s", error)
        return 0
    if count <= settings.SPILKA_BOUNCE_WEBHOOK_RATE:
        return 0
    return RATE_WINDOW - int(time.time()) % RATE_WINDOW


def _read_body(request: HttpRequest) -> bytes | None:
    """The body, or None when it is over the cap (declared or actual)."""
    cap = settings.SPILKA_BOUNCE_WEBHOOK_MAX_BYTES
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > cap:
        return None
    body = request.read(cap + 1)
    return None if len(body) > cap else body


@csrf_exempt
@never_cache
def mail_hook(request: HttpRequest, provider: str) -> HttpResponse:
    hook = provider_configured(provider)
    if hook is None:
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    wait = _limited(request, hook.name)
    if wait:
        response = _error(_("Too many requests: try again later."), 429)
        response["Retry-After"] = str(wait)
        return response
    body = _read_body(request)
    if body is None:
        return _error(_("The body is too large."), 413)
    try:
        events = hook.receive(request, body)
    except Unauthenticated:
        response = _error(_("Authentication failed."), 401)
        if hook.challenge:
            response["WWW-Authenticate"] = hook.challenge
        return response
    except Malformed as error:
        return _error(str(error), 400)
    except TryLater:
        response = _error(_("The report cannot be checked just now: send it again later."), 503)
        response["Retry-After"] = "60"
        return response
    bounce_events_record(provider=hook.name, events=events)
    return JsonResponse({"ok": True, "events": len(events)})
