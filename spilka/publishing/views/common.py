from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def message_from(request: HttpRequest, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)
