"""The sign path's one override of a Django internal: a leaner middleware stack for the
two requests of a viral petition's signer.

Django builds a handler's middleware chain from ``settings.MIDDLEWARE`` alone
(``BaseHandler.load_middleware``), so the second handler is built with that setting swapped
for the moment it loads: that is the override. It stays because it is measured: on the
2-core machine of bench/sign.py the sign POST went from 1.31 to 0.82 ms of gunicorn CPU
and the page to the bare view's cost (bench/README.md), the largest single gain that put
signing above 25% of the bare view. ``test_hot_path.py`` compares both stacks header by
header, and fails on another Django version until this is checked again.

An anonymous visitor's GET of a petition page and POST of its sign form need the security
headers, the language from the URL and an (anonymous) user; they need neither static
files, nor CSRF (the shared page carries no token, the sign form is exempt), nor two-factor
checks (no one is signed in), nor the messages store (nothing is flashed). Those requests
go through a second Django handler built from settings.MIDDLEWARE without those five;
every other request, and any request with a session or messages cookie or a query string,
takes the full stack. Measured on a busy 2-core machine the skipped middleware cost a
quarter of a signature's server time; spilka/campaigns/tests/test_hot_path.py
checks that both stacks answer alike.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.http.cookie import parse_cookie

HOT_PATH = re.compile(r"^/[a-z]{2}/petitions/[-a-zA-Z0-9_]+/(sign/)?$")

# The full stack (settings.MIDDLEWARE) without what does nothing for these requests:
# static files (WhiteNoise), CSRF (the page carries no token, the sign form is exempt),
# two-factor checks (no one is signed in) and the messages store (nothing is flashed).
SKIPPED = {
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "spilka.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
}


class _LeanHandler(WSGIHandler):
    def load_middleware(self, is_async: bool = False) -> None:
        full = settings.MIDDLEWARE
        settings.MIDDLEWARE = [name for name in full if name not in SKIPPED]
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = full


def _carries(cookies: str, names: tuple[str, ...]) -> bool:
    """Whether Django would read one of these cookies from the Cookie header: parsed as
    Django parses it (``sessionid =x`` is a session cookie too), and only when the name
    appears at all, so most anonymous requests skip the parsing."""
    if not any(name in cookies for name in names):
        return False
    parsed = parse_cookie(cookies)
    return any(name in parsed for name in names)


def hot_path_application(full: Any) -> Any:
    lean = _LeanHandler()
    # Cookie names are case-sensitive in Django: "Sessionid" is not the session cookie.
    full_stack_cookies = (settings.SESSION_COOKIE_NAME, "messages")

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if (
            environ.get("REQUEST_METHOD") in ("GET", "POST")
            and not environ.get("QUERY_STRING")
            and not _carries(environ.get("HTTP_COOKIE", ""), full_stack_cookies)
            and HOT_PATH.match(environ.get("PATH_INFO", ""))
        ):
            return lean(environ, start_response)
        return full(environ, start_response)

    return application
