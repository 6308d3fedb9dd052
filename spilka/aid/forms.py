"""Forms for needs, pledges, convoys and the recipient's confirmation."""

from __future__ import annotations

import zoneinfo
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from spilka.aid.models import (
    CURRENCY_CHOICES,
    Convoy,
    Discrepancy,
    Handover,
    Item,
    Need,
    NeedLine,
)
from spilka.aid.services.handovers import PHOTO_MAX_BYTES
from spilka.events.forms import ZONE_CHOICES, LocalDateTimeInput
from spilka.events.zones import COMMON_ZONES
from spilka.lib.fields import LocalDecimalField
from spilka.lib.forms import choice_field, model_choice_field
from spilka.lib.uploads import ReChooseFileInput
from spilka.network.models import Organisation

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
        model_choice_field(self, "organisation").queryset = organisations
        model_choice_field(self, "campaign").queryset = campaigns
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
        super().clean()
        data = self.cleaned_data
        if data.get("item") and data.get("quantity") is None:
            self.add_error("quantity", _("Enter a quantity."))
        if data.get("quantity") is not None and not data.get("item"):
            self.add_error("item", _("Choose an item."))
        return data


NeedLineFormSet = forms.formset_factory(NeedLineForm, extra=4, max_num=40)


class PledgeForm(forms.Form):
    """One quantity (and optional value and reason) per line of the need."""

    donor_organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        queryset=None, label=_("Giving organisation")
    )
    currency = forms.ChoiceField(
        choices=[("", "—"), *CURRENCY_CHOICES], required=False, label=_("Currency of the values")
    )
    note = forms.CharField(required=False, max_length=500, label=_("Note"))

    def __init__(self, *args: Any, need: Need, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "donor_organisation").queryset = organisations
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
        super().clean()
        data = self.cleaned_data
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
        model_choice_field(self, "organisation").queryset = organisations
        model_choice_field(self, "campaign").queryset = campaigns
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
    handover: forms.ModelChoiceField[Handover] = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Handed over to")
    )
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
        model_choice_field(self, "handover").queryset = convoy.handovers.select_related("recipient")


class CrewForm(forms.Form):
    name = forms.CharField(max_length=200, label=_("Name"))
    role = forms.ChoiceField(
        choices=[("driver", _("Driver")), ("crew", _("Crew"))], label=_("Role")
    )


class StopForm(forms.Form):
    place = forms.CharField(max_length=200, label=_("Place"))
    planned_at = forms.DateTimeField(
        required=False,
        label=_("Planned arrival"),
        help_text=_("In the route's time zone."),
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


def _zone_choices() -> list[tuple[str, str]]:
    return [(z, z) for z in COMMON_ZONES] + [("", "──")] + ZONE_CHOICES


class RouteTimesForm(forms.Form):
    """Planned arrival and departure per stop, typed as wall-clock time in one zone."""

    time_zone = forms.ChoiceField(label=_("Time zone of these times"))

    def __init__(self, *args: Any, stops: list[Any], zone_name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stops = stops
        choice_field(self, "time_zone").choices = _zone_choices()
        self.initial.setdefault("time_zone", zone_name)
        zone = zoneinfo.ZoneInfo(zone_name)
        for stop in stops:
            for name, value, label in (
                (f"arrival_{stop.pk}", stop.planned_at, _("Planned arrival")),
                (f"departure_{stop.pk}", stop.planned_departure, _("Planned departure")),
            ):
                self.fields[name] = forms.DateTimeField(
                    required=False, label=label, widget=LocalDateTimeInput()
                )
                if value:
                    self.initial[name] = value.astimezone(zone).replace(tzinfo=None)

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "stop": stop,
                "arrival": self[f"arrival_{stop.pk}"],
                "departure": self[f"departure_{stop.pk}"],
            }
            for stop in self.stops
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        zone_name = data.get("time_zone") or ""
        try:
            zone = zoneinfo.ZoneInfo(zone_name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            self.add_error("time_zone", _("Choose a time zone."))
            return data
        times = {}
        for stop in self.stops:
            pair = []
            for name in (f"arrival_{stop.pk}", f"departure_{stop.pk}"):
                value = data.get(name)
                # The field reads the wall clock in the server's zone; put it in the chosen one.
                pair.append(value.replace(tzinfo=None).replace(tzinfo=zone) if value else None)
            arrival, departure = pair
            if arrival and departure and departure <= arrival:
                self.add_error(
                    f"departure_{stop.pk}",
                    _("The departure from %(place)s must come after the arrival.")
                    % {"place": stop.place},
                )
            times[stop.pk] = (arrival, departure)
        data["times"] = times
        return data


class PledgePublishForm(forms.Form):
    publish_after = forms.DateTimeField(
        required=False,
        label=_("Publish after"),
        help_text=_("In the time zone chosen below. Leave empty to publish once confirmed."),
    )
    time_zone = forms.ChoiceField(label=_("Time zone"))

    def __init__(self, *args: Any, zone_name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["publish_after"].widget = LocalDateTimeInput()
        choice_field(self, "time_zone").choices = _zone_choices()
        self.initial.setdefault("time_zone", zone_name)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        try:
            zone = zoneinfo.ZoneInfo(data.get("time_zone") or "")
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            self.add_error("time_zone", _("Choose a time zone."))
            return data
        value = data.get("publish_after")
        if value:
            data["publish_after"] = value.replace(tzinfo=None).replace(tzinfo=zone)
        return data
