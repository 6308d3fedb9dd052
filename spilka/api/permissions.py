"""``HasScope``: each view names its resource family; safe methods need ``<family>:read``,
others ``<family>:write``. Views with ``public_read = True`` let anyone read."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions
from rest_framework.request import Request

from spilka.api.models import ApiKey
from spilka.api.scopes import scope_granted


def request_key(request: Request) -> ApiKey | None:
    return request.auth if isinstance(request.auth, ApiKey) else None


def request_key_required(request: Request) -> ApiKey:
    """The request's key, on a view whose permission already refused requests without one."""
    key = request_key(request)
    if key is None:
        raise exceptions.NotAuthenticated
    return key


def key_has_scope(key: ApiKey | None, scope: str) -> bool:
    return key is not None and scope_granted(key.scopes, scope)


def required_scope(request: Request, view: Any) -> str | None:
    family = getattr(view, "scope_family", None)
    if family is None:
        return None
    level = "read" if request.method in permissions.SAFE_METHODS else "write"
    return f"{family}:{level}"


class HasScope(permissions.BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        safe = request.method in permissions.SAFE_METHODS
        if safe and getattr(view, "public_read", False):
            return True
        key = request_key(request)
        if key is None:
            raise exceptions.NotAuthenticated(
                _("Send an API key in the OSDI-API-TOKEN header or as a Bearer token.")
            )
        scope = required_scope(request, view)
        if scope is None:
            return False  # a view that names no family is closed to keys (least privilege)
        if not key_has_scope(key, scope):
            raise exceptions.PermissionDenied(
                _("This API key lacks the scope %(scope)s.") % {"scope": scope}
            )
        return True
