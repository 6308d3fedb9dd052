"""Helpers shared by forms in every app."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


def form_add_validation_error(form: Any, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field where there is one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
