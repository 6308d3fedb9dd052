"""Forms for needs, pledges, convoys and the recipient's confirmation."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from spilka.aid.models import CURRENCY_CHOICES, Convoy, Discrepancy, Item, Need, NeedLine
from spilka.aid.services.handovers import PHOTO_MAX_BYTES
from spilka.lib.fields import LocalDecimalField
from spilka.lib.uploads import ReChooseFileInput

QTY_FIELD = {"max_digits": 14, "decimal_places": 3}


class ItemChoiceField(forms.ModelChoiceField):
    default_error_messages = {"invalid_choice": _("Unknown item: choose one from the list.")}

    def label_from_instance(self, obj: Item) -> str:
        return f"{obj} ({obj.get_category_display()}, {obj.get_unit_display()})"


class NeedForm(forms.ModelForm):
    class Meta:
        model = Need
        fields = [
            "organisation",
            "campaign",
            "title",
            "original_language",
            "description",
            "oblast",
            "hromada",
            "settlement",
            "publish_only_oblast",
            "priority",
            "needed_by",
            "is_public",
        ]
        widgets = {"needed_by": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, organisations: Any, campaigns: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["campaign"].queryset = campaigns
        self.fields["campaign"].required = False


class NeedLineForm(forms.Form):
    item = ItemChoiceField(
        queryset=Item.objects.filter(is_active=True), required=False, label=_("Item")
    )
    quantity = LocalDecimalField(
        kind="quantity", required=False, label=_("Quantity"), trim_zeros=True, **QTY_FIELD
    )
    note = forms.CharField(required=False, max_length=300, label=_("Note"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("item") and data.get("quantity") is None:
            self.add_error("quantity", _("Enter a quantity."))
        if data.get("quantity") is not None and not data.get("item"):
            self.add_error("item", _("Choose an item."))
        return data


NeedLineFormSet = forms.formset_factory(NeedLineForm, extra=4, max_num=40)


class PledgeForm(forms.Form):
    """One quantity (and optional value and reason) per line of the need."""

    donor_organisation = forms.ModelChoiceField(queryset=None, label=_("Giving organisation"))
    currency = forms.ChoiceField(
        choices=[("", "—"), *CURRENCY_CHOICES], required=False, label=_("Currency of the values")
    )
    note = forms.CharField(required=False, max_length=500, label=_("Note"))

    def __init__(self, *args: Any, need: Need, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["donor_organisation"].queryset = organisations
        self.need_lines: list[NeedLine] = list(need.lines.select_related("item"))
        for line in self.need_lines:
            self.fields[f"qty_{line.pk}"] = LocalDecimalField(
                kind="quantity",
                required=False,
                label=str(line.item),
                min_value=Decimal(0),
                trim_zeros=True,
                **QTY_FIELD,
            )
            self.fields[f"value_{line.pk}"] = LocalDecimalField(
                kind="amount",
                required=False,
                label=_("Estimated value"),
                min_value=Decimal(0),
                max_digits=14,
                decimal_places=2,
            )
            self.fields[f"reason_{line.pk}"] = forms.CharField(
                required=False, max_length=300, label=_("Reason if more than still needed")
            )

    def line_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "line": line,
                "qty": self[f"qty_{line.pk}"],
                "value": self[f"value_{line.pk}"],
                "reason": self[f"reason_{line.pk}"],
            }
            for line in self.need_lines
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        lines = []
        for line in self.need_lines:
            quantity = data.get(f"qty_{line.pk}")
            if not quantity:
                continue
            value = data.get(f"value_{line.pk}")
            if value is not None and not data.get("currency"):
                self.add_error("currency", _("Give the currency of the values."))
            lines.append(
                {
                    "need_line": line,
                    "quantity": quantity,
                    "over_pledge_reason": data.get(f"reason_{line.pk}", ""),
                    "estimated_value": value,
                    "currency": data.get("currency") if value is not None else "",
                }
            )
        if not lines and not self.errors:
            raise forms.ValidationError(_("Pledge a quantity of at least one item."))
        data["lines"] = lines
        return data


class ConvoyForm(forms.ModelForm):
    class Meta:
        model = Convoy
        fields = ["organisation", "campaign", "title", "planned_departure"]
        widgets = {"planned_departure": forms.DateTimeInput(attrs={"type": "datetime-local"})}

    def __init__(self, *args: Any, organisations: Any, campaigns: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["campaign"].queryset = campaigns
        self.fields["campaign"].required = False


class LoadForm(forms.Form):
    """Load part or all of one pledge line onto a convoy."""

    pledge_line = forms.IntegerField(widget=forms.HiddenInput)
    quantity = LocalDecimalField(kind="quantity", label=_("Quantity"), trim_zeros=True, **QTY_FIELD)
    box_number = forms.CharField(required=False, max_length=20, label=_("Box"))
    lot = forms.CharField(required=False, max_length=60, label=_("Lot"))
    expiry = forms.DateField(
        required=False, label=_("Expiry"), widget=forms.DateInput(attrs={"type": "date"})
    )


class VehicleForm(forms.Form):
    make = forms.CharField(max_length=100, label=_("Make and model"))
    registration = forms.CharField(max_length=20, label=pgettext_lazy("vehicle", "Registration"))
    donated_stays = forms.BooleanField(required=False, label=_("Donated: stays with the recipient"))
    handover = forms.ModelChoiceField(queryset=None, required=False, label=_("Handed over to"))
    estimated_value = LocalDecimalField(
        kind="amount",
        required=False,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
        label=_("Estimated value"),
    )
    currency = forms.ChoiceField(
        choices=[("", "—"), *CURRENCY_CHOICES], required=False, label=_("Currency")
    )

    def __init__(self, *args: Any, convoy: Convoy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handover"].queryset = convoy.handovers.select_related("recipient")


class CrewForm(forms.Form):
    name = forms.CharField(max_length=200, label=_("Name"))
    role = forms.ChoiceField(
        choices=[("driver", _("Driver")), ("crew", _("Crew"))], label=_("Role")
    )


class StopForm(forms.Form):
    place = forms.CharField(max_length=200, label=_("Place"))
    planned_at = forms.DateTimeField(
        required=False,
        label=_("Planned"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class ConfirmForm(forms.Form):
    """The recipient's confirmation: per-line fields are read from ``line_fields``."""

    signer_name = forms.CharField(max_length=200, label=_("Your name"))
    note = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), label=_("Note")
    )
    photo = forms.FileField(
        required=False, label=_("Photo (optional, up to 8 MB)"), widget=ReChooseFileInput
    )

    def __init__(self, *args: Any, lines: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            self.fields[f"received_{line.pk}"] = LocalDecimalField(
                kind="quantity",
                label=str(line.item),
                initial=line.quantity,
                trim_zeros=True,
                **QTY_FIELD,
            )
            self.fields[f"discrepancy_{line.pk}"] = forms.ChoiceField(
                choices=Discrepancy.choices, required=False, label=_("Problem")
            )
            self.fields[f"reason_{line.pk}"] = forms.CharField(
                required=False, max_length=300, label=_("What happened")
            )

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if photo and photo.size > PHOTO_MAX_BYTES:
            raise forms.ValidationError(_("The photo is larger than 8 MB."))
        return photo

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "line": ln,
                "received": self[f"received_{ln.pk}"],
                "discrepancy": self[f"discrepancy_{ln.pk}"],
                "reason": self[f"reason_{ln.pk}"],
            }
            for ln in self.lines
        ]
