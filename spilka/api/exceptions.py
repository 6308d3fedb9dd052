"""Errors as JSON: ``{"error": "<message>", "detail": {...}}``, in the request's language.

Django's 404 and permission errors, and model validation errors raised by services, become
the same shape. A service refusing bad input is a 400, a unique row already there a 409;
never a 500 for what a client sent.
"""

from __future__ import annotations

import math
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"

    @property
    def default_detail(self) -> str:  # type: ignore[override]
        return _("That already exists.")


def _convert(exc: Exception) -> Exception:
    if isinstance(exc, Http404):
        return exceptions.NotFound(_("Not found."))
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied()
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return exceptions.ValidationError(exc.message_dict)
        return exceptions.ValidationError({"non_field_errors": exc.messages})
    if isinstance(exc, IntegrityError):
        return Conflict(_("That already exists."))
    return exc


def _first_message(data: Any) -> str | None:
    if isinstance(data, str):
        return data
    if isinstance(data, list):
        for item in data:
            found = _first_message(item)
            if found:
                return found
    if isinstance(data, dict):
        for value in data.values():
            found = _first_message(value)
            if found:
                return found
    return None


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    exc = _convert(exc)
    response = exception_handler(exc, context)
    if response is None:
        return None  # a real fault: Django's 500 and its log
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        error = _("Invalid input.")
        first = _first_message(data)
        if first:
            error = f"{error} {first}"
        detail = data if isinstance(data, dict) else {"non_field_errors": data}
    else:
        message = data.get("detail") if isinstance(data, dict) else data
        error = str(message)
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else None
        detail = {"code": codes if isinstance(codes, str) else "error"}
        # Throttled sets ``wait`` in __init__; djangorestframework-stubs leave it out.
        wait = getattr(exc, "wait", None) if isinstance(exc, exceptions.Throttled) else None
        if wait is not None:
            detail["retry_after_seconds"] = math.ceil(wait)
    response.data = {"error": error, "detail": detail}
    return response


def not_found(request: Any, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any path under the API prefix that names no route: JSON, not the site's HTML 404."""
    return JsonResponse({"error": _("Not found."), "detail": {"code": "not_found"}}, status=404)
