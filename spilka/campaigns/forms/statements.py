"""Forms for joint statements and co-signatures."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from spilka.campaigns.models import Statement
from spilka.lib.forms import choice_field, model_choice_field
from spilka.network.models import Organisation
from spilka.network.normalise import normalise_email
from spilka.network.pickers import PickerFormMixin, use_picker


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.display_name


class OrganisationMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.display_name


class StatementForm(forms.ModelForm):
    class Meta:
        model = Statement
        fields = [
            "title",
            "text",
            "original_language",
            "status",
            "allow_individuals",
            "published_on",
        ]
        widgets = {"published_on": forms.DateInput(attrs={"type": "date"})}


class StatementCreateForm(StatementForm):
    class Meta(StatementForm.Meta):
        fields = ["slug", *StatementForm.Meta.fields]
        help_texts = {"slug": _("Used in its address: lower-case letters, digits and hyphens.")}


class _AntiSpamForm(forms.Form):
    """A honeypot field people never see, and the proof-of-work answer."""

    website = forms.CharField(required=False, max_length=200, label=_("Leave this empty"))
    altcha = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def clean_email(self) -> str:
        return normalise_email(self.cleaned_data["email"])


class OfficerCoSignForm(PickerFormMixin, _AntiSpamForm):
    organisation = OrganisationChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), to_field_name="slug"
    )
    officer_name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(
        label=_("Your email address at the organisation"),
        max_length=254,
        help_text=_(
            "It must be at the organisation's own web address, or the one you sign in with as "
            "one of its admins or organisers. We email you either way."
        ),
    )
    field_order = ["organisation", "officer_name", "email", "website", "altcha"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        use_picker(self.fields["organisation"], user=user, purpose="signatory")

    def clean_officer_name(self) -> str:
        name = self.cleaned_data["officer_name"].strip()
        if not name:
            raise ValidationError(_("Please give your name."))
        return name


class IndividualSignForm(_AntiSpamForm):
    full_name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(
        label=_("Email"), max_length=254, help_text=_("Never shown; used only to confirm.")
    )
    affiliation = forms.CharField(
        label=_("Affiliation (for identification only, optional)"),
        max_length=200,
        required=False,
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    field_order = ["full_name", "email", "affiliation", "country", "website", "altcha"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "country").choices = [("", "—"), *countries]

    def clean_full_name(self) -> str:
        name = self.cleaned_data["full_name"].strip()
        if not name:
            raise ValidationError(_("Please give your name."))
        return name


class EvidenceForm(forms.Form):
    organisation = OrganisationChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), to_field_name="slug"
    )
    evidence_url = forms.URLField(
        label=_("Link to the evidence"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Where the organisation said it signs: its own statement, minutes or post."),
        error_messages={
            "required": _(
                "Give a link to the evidence: the organisation's own statement, minutes or a "
                "public post."
            )
        },
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "organisation").queryset = organisations


class InviteForm(forms.Form):
    organisations = OrganisationMultipleChoiceField(
        label=_("Organisations to invite"),
        queryset=Organisation.objects.none(),
        to_field_name="slug",
        help_text=_("Their admins and organisers receive an email with a link to the statement."),
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "organisations").queryset = organisations
