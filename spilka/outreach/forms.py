"""Forms for organisers' outreach pages and the public sign-up and data-request forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from spilka.lib.forms import choice_field, model_choice_field
from spilka.lib.languages import CONTENT_LANGUAGES, LANGUAGE_NAMES
from spilka.lib.uploads import ReChooseFileInput
from spilka.lib.widgets import CountrySelect
from spilka.network.models import Organisation
from spilka.network.normalise import normalise_email
from spilka.outreach.models import (
    ActionKind,
    DataRequestKind,
    Mailing,
    Segment,
    SupporterList,
    SupporterStatus,
    Tag,
)
from spilka.outreach.services.imports import IMPORT_FIELDS
from spilka.outreach.services.merging import MERGE_FIELDS
from spilka.outreach.services.public import signup_wording

LANGUAGE_CHOICES = [(code, LANGUAGE_NAMES[code]) for code in CONTENT_LANGUAGES]
ID_MAX = 2**63 - 1  # the largest id any of our databases stores


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """Ids that are not whole numbers a database can hold are refused as invalid choices
    before any query (SQLite raises OverflowError on ``pk IN (<huge>)``, a 500)."""

    def _check_values(self, value: Any) -> Any:
        for pk in value:
            text = str(pk).strip()
            if not text.isdecimal() or int(text) > ID_MAX:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        # Django's private _check_values is left out of django-stubs.
        return super()._check_values(value)  # type: ignore[misc]


class SupporterFilterForm(forms.Form):
    q = forms.CharField(label=_("Search name or email"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any"))] + SupporterStatus.choices
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any")), *LANGUAGE_CHOICES]
    )
    tag = forms.ModelChoiceField(label=_("Tag"), required=False, queryset=Tag.objects.none())

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "tag").queryset = Tag.objects.filter(organisation=organisation)


class GroupsForm(forms.Form):
    tags = IdsChoiceField(
        label=_("Tags"),
        required=False,
        queryset=Tag.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    lists = IdsChoiceField(
        label=_("Lists"),
        required=False,
        queryset=SupporterList.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "tags").queryset = Tag.objects.filter(organisation=organisation)
        model_choice_field(self, "lists").queryset = SupporterList.objects.filter(
            organisation=organisation
        )


class TagForm(forms.Form):
    name = forms.CharField(label=_("New tag"), max_length=60)


class ListForm(forms.Form):
    name = forms.CharField(label=_("New list"), max_length=100)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)


class SegmentForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("label", "Name"), max_length=120)
    tags = IdsChoiceField(
        label=_("Has any of these tags"),
        required=False,
        queryset=Tag.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    lists = IdsChoiceField(
        label=_("Is on any of these lists"),
        required=False,
        queryset=SupporterList.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Prefers one of these languages"),
        required=False,
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    countries = forms.CharField(
        label=_("Lives in one of these countries"),
        required=False,
        max_length=300,
        help_text=_("Two-letter codes separated by commas, for example GB, PL, UA."),
    )
    action_kind = forms.ChoiceField(
        label=_("Took this kind of action"),
        required=False,
        choices=[("", _("Any")), *ActionKind.choices],
    )
    object_key = forms.ChoiceField(
        label=pgettext_lazy("action object", "About"), required=False, choices=[]
    )
    action_after = forms.DateField(
        label=_("Action on or after"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    action_before = forms.DateField(
        label=_("Action on or before"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    joined_after = forms.DateField(
        label=_("Added on or after"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    joined_before = forms.DateField(
        label=_("Added on or before"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(
        self,
        *args: Any,
        organisation: Organisation,
        action_keys: list[tuple[str, str]],
        segment: Segment | None = None,
        **kwargs: Any,
    ) -> None:
        if segment is not None and "initial" not in kwargs:
            kwargs["initial"] = {"name": segment.name, **segment.filters}
            kwargs["initial"]["countries"] = ", ".join(segment.filters.get("countries", []))
        super().__init__(*args, **kwargs)
        model_choice_field(self, "tags").queryset = Tag.objects.filter(organisation=organisation)
        model_choice_field(self, "lists").queryset = SupporterList.objects.filter(
            organisation=organisation
        )
        choice_field(self, "object_key").choices = [("", _("Anything")), *action_keys]

    def clean_countries(self) -> list[str]:
        codes = [c.strip().upper() for c in self.cleaned_data["countries"].split(",") if c.strip()]
        unknown = [c for c in codes if c not in countries]
        if unknown:
            raise ValidationError(
                _("Unknown country codes: %(codes)s."), params={"codes": ", ".join(unknown)}
            )
        return codes

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data
        out: dict[str, Any] = {
            "tags": [t.pk for t in data["tags"]],
            "lists": [sl.pk for sl in data["lists"]],
            "languages": list(data["languages"]),
            "countries": data["countries"],
            "action_kind": data["action_kind"],
            "object_key": data["object_key"],
        }
        for key in ("action_after", "action_before", "joined_after", "joined_before"):
            out[key] = data[key].isoformat() if data[key] else ""
        return {k: v for k, v in out.items() if v}


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"), help_text=_("UTF-8, with a header row."), widget=ReChooseFileInput
    )
    consent_given = forms.BooleanField(
        label=_("These people agreed to receive email updates from us"), required=False
    )
    consent_source = forms.CharField(
        label=_("Where and how they agreed"),
        max_length=200,
        required=False,
        help_text=_("For example: sign-up sheets at the Durham Miners' Gala, July 2024."),
    )
    consent_wording = forms.CharField(
        label=_("The wording they agreed to"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    default_language = forms.ChoiceField(
        label=_("Language when the file gives none"), choices=LANGUAGE_CHOICES
    )
    tag = forms.ModelChoiceField(
        label=_("Tag everyone with"), required=False, queryset=Tag.objects.none()
    )
    target_list = forms.ModelChoiceField(
        label=_("Add everyone to the list"), required=False, queryset=SupporterList.objects.none()
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "tag").queryset = Tag.objects.filter(organisation=organisation)
        model_choice_field(self, "target_list").queryset = SupporterList.objects.filter(
            organisation=organisation
        )


IMPORT_FIELD_LABELS = {
    "email": _("Email"),
    "name": _("Full name"),
    "first_name": _("First name"),
    "last_name": _("Last name"),
    "phone": _("Phone"),
    "language": _("Language"),
    "country": _("Country"),
    "tags": _("Tags"),
}
# Columns the import recognises but does not keep: named in the preview all the same.
RECOGNISED_FIELD_LABELS = {
    "organisation": _("Organisation"),
    "postcode": _("Postcode"),
    "city": _("City"),
}


class ImportMappingForm(forms.Form):
    def __init__(self, *args: Any, headers: list[str], mapping: dict[str, str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices = [("", _("(not in the file)")), *[(h, h) for h in headers]]
        for name in IMPORT_FIELDS:
            self.fields[name] = forms.ChoiceField(
                label=IMPORT_FIELD_LABELS[name],
                choices=choices,
                required=name == "email",
                initial=mapping.get(name, ""),
            )


class MailingForm(forms.ModelForm):
    class Meta:
        model = Mailing
        fields = ["original_language", "subject", "body", "segment", "reply_to"]

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "segment").queryset = Segment.objects.filter(
            organisation=organisation
        )
        model_choice_field(self, "segment").empty_label = gettext("Every subscribed supporter")
        self.fields["body"].help_text = _(
            "Merge fields: {{ first_name }}, {{ name }}, {{ organisation }}, "
            "{{ unsubscribe_url }}; a fallback after a bar: {{ first_name|friend }}. "
            "An unsubscribe link is added at the end of every message."
        )


class MailingSendForm(forms.Form):
    run_after = forms.DateTimeField(
        label=_("Send at (leave empty to send now)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    # The number of people shown on the final step; the send refuses without it.
    confirm_count = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)


class MergeForm(forms.Form):
    def __init__(self, *args: Any, differing: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in differing:
            self.fields[name] = forms.ChoiceField(
                choices=[("keep", "keep"), ("other", "other")],
                initial="keep",
                widget=forms.RadioSelect,
            )

    def choices(self) -> dict[str, str]:
        return {k: v for k, v in self.cleaned_data.items() if k in MERGE_FIELDS}


class _AnonymousForm(forms.Form):
    # Honeypot: hidden from people by CSS; bots fill it in.
    website = forms.CharField(required=False, max_length=200, label=_("Leave this empty"))
    altcha = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def clean_email(self) -> str:
        return normalise_email(self.cleaned_data["email"])


class SignupForm(_AnonymousForm):
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("Email"), max_length=254)
    country = forms.CharField(
        label=_("Country"), max_length=2, widget=CountrySelect, required=False
    )
    consent = forms.BooleanField(label="", required=True)

    field_order = ["name", "email", "country", "consent", "website", "altcha"]

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = signup_wording(organisation)
        self.fields["consent"].error_messages["required"] = _(
            "Tick the box to say you want to receive updates."
        )

    def clean_country(self) -> str:
        code = (self.cleaned_data.get("country") or "").upper()
        if code and code not in countries:
            raise ValidationError(_("Select a valid choice."), code="invalid_choice")
        return code


class DataRequestForm(_AnonymousForm):
    email = forms.EmailField(label=_("Your email address"), max_length=254)
    kind = forms.ChoiceField(
        label=_("What would you like?"), choices=DataRequestKind.choices, widget=forms.RadioSelect
    )
