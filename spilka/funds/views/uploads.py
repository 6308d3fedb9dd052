"""Refuse an oversized upload from its Content-Length, before Django reads the body."""

from __future__ import annotations

from django.http import HttpRequest

# Room for the form's other fields and the multipart boundaries.
SLACK = 64 * 1024


def upload_too_large(request: HttpRequest, limit: int) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > limit + SLACK
