"""Forms organisers use to set up campaigns and petitions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from spilka.campaigns import pickers as campaign_pickers
from spilka.campaigns.models import Campaign, Petition
from spilka.lib.fields import LocalIntegerField
from spilka.network.pickers import PickerFormMixin, use_picker


class CampaignForm(PickerFormMixin, forms.ModelForm):
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
        }

    def __init__(
        self, *args: Any, user: Any, co_keep: list[int] | None = None, **kwargs: Any
    ) -> None:
        """``co_keep``: organisations already named or asked (editing), choosable whatever
        the rule says now, so saving again does not fail on a link made earlier."""
        super().__init__(*args, **kwargs)
        keep = sorted(co_keep or [])
        self.fields["co_organisers"].required = False
        use_picker(self.fields["co_organisers"], user=user, purpose="co_organiser", keep=keep)
        lead = self.fields["lead_organisation"]
        if not self.instance.pk:
            use_picker(lead, user=user, scope=campaign_pickers.CAMPAIGN_LEADS)
        else:
            # Any organisation it may name as co-organiser, or the current lead.
            keep = sorted({*keep, self.instance.lead_organisation_id})
            use_picker(lead, user=user, purpose="co_organiser", keep=keep)
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
