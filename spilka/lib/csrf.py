"""Spilka's own page for a form refused by the CSRF check (``CSRF_FAILURE_VIEW``).

Django's stock page is English and technical. A person who meets this has usually left a
page open for hours, or blocks cookies for the site; they need to hear, in their language,
that nothing was saved and what to do next.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    # Back to the page the form was on, when the browser says which and it is ours; the
    # address the form posted to may answer only POST.
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = ""
    response = render(request, "csrf_failure.html", {"back": back}, status=403)
    response["Cache-Control"] = "no-store"
    return response
