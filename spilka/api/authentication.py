"""API key authentication: ``OSDI-API-TOKEN: <key>`` or ``Authorization: Bearer <key>``."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from spilka.api.models import ApiKey
from spilka.api.scopes import roles_for_scopes
from spilka.api.services import apikey_touch, key_matches, key_prefix_of
from spilka.lib.ratelimit import client_ip


class ApiKeyUser:
    """``request.user`` for a request made with a key: acts for the key's organisation.

    It holds, in that organisation only, the roles its scopes stand for (see
    ``spilka.api.scopes.ROLES_FOR_FAMILY``), pre-filled where ``network.access`` caches a
    user's roles, so the existing access helpers answer for it without a query. It is
    never staff or superuser and has no row in the user table (``pk`` is None).
    """

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = None
    id = None

    def __init__(self, key: ApiKey) -> None:
        self.api_key = key
        self.organisation = key.organisation
        self._spilka_roles = {key.organisation_id: roles_for_scopes(key.scopes)}
        self._spilka_two_factor_required = False

    def __str__(self) -> str:
        return str(self.api_key)

    def get_username(self) -> str:
        return str(self.api_key)

    def is_verified(self) -> bool:
        # Keys are made by administrators who verified a second factor.
        return True

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return False

    def has_perms(self, perms: Any, obj: Any = None) -> bool:
        return False

    def has_module_perms(self, app_label: str) -> bool:
        return False


def _request_key(request: Request) -> str | None:
    token = request.META.get("HTTP_OSDI_API_TOKEN", "").strip()
    if token:
        return token
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def _ip(request: Request) -> str | None:
    ip = client_ip(request)
    try:
        return str(ipaddress.ip_address(ip))
    except ValueError:
        return None


class ApiKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[ApiKeyUser, ApiKey] | None:
        secret = _request_key(request)
        if secret is None:
            return None  # anonymous: public resources only
        prefix = key_prefix_of(secret)
        key = (
            ApiKey.objects.select_related("organisation").filter(prefix=prefix).first()
            if prefix
            else None
        )
        if key is None or not key_matches(key, secret):
            raise exceptions.AuthenticationFailed(_("This API key is not valid."))
        if key.is_revoked:
            raise exceptions.AuthenticationFailed(_("This API key has been revoked."))
        if key.is_expired:
            raise exceptions.AuthenticationFailed(_("This API key has expired."))
        apikey_touch(key=key, ip=_ip(request))
        return ApiKeyUser(key), key

    def authenticate_header(self, request: Request) -> str:
        # Makes refusals a 401 (with this challenge) rather than a 403.
        return 'Bearer realm="api"'
