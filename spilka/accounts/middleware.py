"""Staff and superusers verify a TOTP device before they reach any page.

Until they have, the only pages open to them are the ones needed to get there: signing
in and out, the two-factor page itself, switching the language, and static files.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

# Views (by their full name) an unverified staff member may still reach.
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


def needs_second_factor(user: Any) -> bool:
    """Whether ``user`` is staff or a superuser who has not verified a device this session."""
    if not settings.SPILKA_STAFF_2FA or user is None or not user.is_authenticated:
        return False
    if not (user.is_staff or user.is_superuser):
        return False
    is_verified = getattr(user, "is_verified", None)
    return not (is_verified and is_verified())


def _is_open(request: HttpRequest) -> bool:
    if settings.STATIC_URL and request.path_info.startswith(settings.STATIC_URL):
        return True
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.view_name in OPEN_VIEWS


class StaffTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if needs_second_factor(getattr(request, "user", None)) and not _is_open(request):
            query = urlencode({"next": request.get_full_path()}, safe="/")
            return redirect(f"{reverse('accounts:two_factor')}?{query}")
        return self.get_response(request)
