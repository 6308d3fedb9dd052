"""The organisation's API keys page: list, create (secret shown once), revoke.

Administrators only, and only with a second factor verified in this session (the site's
two-factor middleware already asks administrators for it; checked here again, since a key
outlives the session that made it).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from spilka.api.forms import ApiKeyForm
from spilka.api.models import ApiKey
from spilka.api.services import apikey_create, apikey_revoke
from spilka.funds.access import can_treasure
from spilka.network.access import organisation_get_for_user
from spilka.network.models import Organisation


def _verified(request: HttpRequest) -> bool:
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


def _second_factor(request: HttpRequest) -> HttpResponse:
    query = urlencode({"next": request.get_full_path()}, safe="/")
    return redirect(f"{reverse('accounts:two_factor')}?{query}")


def _organisation(request: HttpRequest, slug: str) -> Organisation:
    return organisation_get_for_user(user=request.user, slug=slug, write=True)


@login_required
def api_keys(request: HttpRequest, slug: str) -> HttpResponse:
    org = _organisation(request, slug)
    if not _verified(request):
        return _second_factor(request)
    form = ApiKeyForm(request.POST or None, books=can_treasure(request.user, org))
    if request.method == "POST" and form.is_valid():
        key, secret = apikey_create(
            organisation=org,
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            expires_at=form.expires_at(),
            by=request.user,
        )
        # Shown in this answer only (never in a redirect, session or message).
        response = render(
            request, "api/key_created.html", {"org": org, "key": key, "secret": secret}
        )
        response["Cache-Control"] = "no-store"
        return response
    keys = ApiKey.objects.filter(organisation=org).select_related("created_by")
    return render(
        request,
        "api/keys.html",
        {"org": org, "keys": keys, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def api_key_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    org = _organisation(request, slug)
    if not _verified(request):
        return _second_factor(request)
    key = ApiKey.objects.filter(organisation=org, pk=pk).first()
    if key is None:
        raise Http404
    if request.method == "POST":
        return _revoke(request, org, key)
    return render(request, "api/key_revoke.html", {"org": org, "key": key})


def _revoke(request: HttpRequest, org: Organisation, key: ApiKey) -> HttpResponse:
    apikey_revoke(key=key, by=request.user)
    messages.success(request, _("The key %(prefix)s is revoked.") % {"prefix": key.prefix})
    return redirect("api_keys:list", slug=org.slug)
