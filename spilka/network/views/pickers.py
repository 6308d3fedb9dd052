"""The organisation picker's endpoint: matches for what one types, from the form's own scope."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from spilka.network.pickers import (
    picker_token_read,
    scope_queryset,
    scope_search,
)


@login_required
@require_GET
def picker_organisations(request: HttpRequest) -> JsonResponse:
    """At most 20 organisations matching ``q`` among those the form would accept.

    ``scope`` is the signed token the form's page carries; the organisations come from
    ``scope_queryset`` for the user asking, the same call that gave the form its choices,
    so the answer names nothing the user could not pick there.
    """
    read = picker_token_read(request.GET.get("scope", ""), user=request.user)
    if read is None:
        return JsonResponse({"results": []}, status=400)
    scope, params, key = read
    try:
        queryset = scope_queryset(scope, user=request.user, **params)
    except (Http404, PermissionDenied):
        return JsonResponse({"results": []}, status=403)
    found = scope_search(queryset, request.GET.get("q", ""))
    results = [
        {
            "value": getattr(org, key),
            "name": org.display_name,
            "country": org.country.name if org.country else "",  # type: ignore[attr-defined]  # django-countries: a Country, a str to the plugin
        }
        for org in found
    ]
    response = JsonResponse({"results": results})
    response["Cache-Control"] = "private, no-store"
    return response
