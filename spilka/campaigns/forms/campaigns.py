"""Forms organisers use to set up campaigns and petitions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from spilka.campaigns.models import Campaign, Petition
from spilka.lib.fields import LocalIntegerField


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "slug",
            "title",
            "original_language",
            "summary",
            "lead_organisation",
            "co_organisers",
            "starts_on",
            "ends_on",
            "status",
            "is_public",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "co_organisers": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, lead_choices: Any, co_choices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_organisation"].queryset = lead_choices
        self.fields["co_organisers"].queryset = co_choices
        self.fields["co_organisers"].required = False
        if self.instance.pk:
            self.fields["slug"].disabled = True


class PetitionForm(forms.ModelForm):
    class Meta:
        model = Petition
        fields = [
            "slug",
            "title",
            "original_language",
            "target",
            "text",
            "goal",
            "status",
            "closes_at",
        ]
        widgets = {"closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"})}
        help_texts = {"goal": _("How many signatures the campaign is aiming for.")}
        # A count typed in the person's language ("10 000"), not type="number".
        field_classes = {"goal": LocalIntegerField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["slug"].disabled = True
