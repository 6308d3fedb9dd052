"""The form an administrator fills to make an API key."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from spilka.api.scopes import BOOKS, FAMILIES, FAMILY_LABELS
from spilka.lib.forms import choice_field

LEVEL_LABELS = {"read": _("read"), "write": _("read and write")}


def scope_choices(*, books: bool) -> list[tuple[str, Any]]:
    choices: list[tuple[str, Any]] = []
    for family in FAMILIES:
        for level in ("read", "write"):
            choices.append(
                (
                    f"{family}:{level}",
                    _("%(family)s: %(level)s")
                    % {"family": FAMILY_LABELS[family], "level": LEVEL_LABELS[level]},
                )
            )
    if books:
        choices.append((BOOKS, _("Funds: the full books (as the treasurer sees them)")))
    return choices


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the key is for, e.g. “CRM sync”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What it may do"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one thing the key may do.")},
    )
    expires_on = forms.DateField(
        label=_("Expires on (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The key stops working at the start of this day (UTC)."),
    )

    def __init__(self, *args: Any, books: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "scopes").choices = scope_choices(books=books)

    def clean_expires_on(self) -> datetime.date | None:
        day = self.cleaned_data.get("expires_on")
        if day is not None and day <= timezone.now().date():
            raise forms.ValidationError(_("Choose a day after today."))
        return day

    def expires_at(self) -> datetime.datetime | None:
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        return datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)
