"""Who must verify a TOTP device before they reach any page.

Staff and superusers, and everyone holding a role for which an organisation requires a
second factor (administrators and treasurers everywhere; those who see people where the
organisation asks, see ``network.access.two_factor_required``). The gate is site-wide, not
per organisation: plain to reason about, and a session that has not shown its second
factor is never trusted with anything private.

Until they have verified, the only pages open to them are the ones needed to get there:
signing in and out, the two-factor page itself, switching the language, and static files.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from spilka.network.access import two_factor_required

# Views (by their full name) an unverified user who needs a second factor may still reach.
OPEN_VIEWS = frozenset(
    {
        "accounts:login",
        "accounts:login_verify",
        "accounts:logout",
        "accounts:two_factor",
        "admin_login_redirect",
        "language_switch",
    }
)


def _is_verified(user: Any) -> bool:
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def needs_second_factor(user: Any) -> bool:
    """Whether ``user`` must verify a device, and has not verified one this session."""
    if user is None or not user.is_authenticated or _is_verified(user):
        return False
    if settings.SPILKA_STAFF_2FA and (user.is_staff or user.is_superuser):
        return True
    return two_factor_required(user)


def _is_open(request: HttpRequest) -> bool:
    if settings.STATIC_URL and request.path_info.startswith(settings.STATIC_URL):
        return True
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.view_name in OPEN_VIEWS


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if needs_second_factor(getattr(request, "user", None)) and not _is_open(request):
            query = urlencode({"next": request.get_full_path()}, safe="/")
            return redirect(f"{reverse('accounts:two_factor')}?{query}")
        return self.get_response(request)
