"""Forms for bills and the stages they pass through."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from spilka.campaigns.models import Bill, BillStage


class BillForm(forms.ModelForm):
    url = forms.URLField(label=_("Link"), max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = Bill
        fields = [
            "parliament",
            "parliament_other",
            "kind",
            "number",
            "title",
            "summary",
            "original_language",
            "url",
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("parliament") == "other" and not (data.get("parliament_other") or "").strip():
            self.add_error("parliament_other", _("Name the parliament."))
        return data


class BillStageForm(forms.ModelForm):
    url = forms.URLField(label=_("Link"), max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = BillStage
        fields = ["stage", "date", "note", "url"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}
