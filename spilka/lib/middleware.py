from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# Nothing on any page may come from another host: no CDN, web fonts or analytics.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "frame-src 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)


def content_security_policy() -> str:
    """The policy, with the video hosts an operator allowed to play recordings in a page.

    A recording's frame is only inserted after the visitor clicks, so even an allowed host
    gets no request before they ask.
    """
    hosts = [f"https://{host}" for host in settings.SPILKA_EVENTS_EMBED_HOSTS]
    if not hosts:
        return CONTENT_SECURITY_POLICY
    return CONTENT_SECURITY_POLICY.replace(
        "frame-src 'self'", "frame-src 'self' " + " ".join(hosts)
    )


# Django's debug pages (technical 404 and 500) carry their own inline style and script.
# Under the site's policy they come out unstyled and their "show more" links dead, so
# in DEBUG only, and only on those pages (they are marked with this robots tag), inline
# style and script are allowed. Production never sends this relaxed policy.
TECHNICAL_PAGE_MARK = b'<meta name="robots" content="NONE,NOARCHIVE">'


def debug_page_policy(policy: str) -> str:
    return policy.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'").replace(
        "script-src 'self'", "script-src 'self' 'unsafe-inline'"
    )


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = content_security_policy()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = self.policy
        if (
            settings.DEBUG
            and response.status_code >= 400
            and not response.streaming
            and TECHNICAL_PAGE_MARK in response.content[:2000]
        ):
            policy = debug_page_policy(policy)
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault(
            "Permissions-Policy", "geolocation=(), camera=(), microphone=()"
        )
        return response
