"""Helpers shared by forms in every app."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError


def form_add_validation_error(form: Any, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field where there is one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# ``form.fields`` holds plain ``Field``s to mypy (django-stubs): these name what a field is
# where a form narrows its queryset or fills its choices in __init__. No check at run time.


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    """The form's (single or multiple) model choice field ``name``."""
    return cast("forms.ModelChoiceField[Any]", form.fields[name])


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's choice field ``name`` (typed, multiple or model choice fields too)."""
    return cast(forms.ChoiceField, form.fields[name])
