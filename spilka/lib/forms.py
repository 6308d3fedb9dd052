"""Helpers shared by forms in every app."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting


class SpilkaFormRenderer(TemplatesSetting):
    """Form and widget templates come from the project's template engine, so every
    ``{{ field.as_field_group }}`` and ``{{ form }}`` uses Spilka's markup
    (spilka/templates/forms/): help text and errors carry the ids that Django's
    ``aria-describedby`` points at, required fields are marked."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


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
