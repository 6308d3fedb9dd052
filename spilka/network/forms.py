from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from spilka.lib.forms import choice_field, model_choice_field
from spilka.lib.languages import CONTENT_LANGUAGES, LANGUAGE_NAMES, WORKING_LANGUAGE_CHOICES
from spilka.lib.uploads import ReChooseFileInput
from spilka.network.logos import NOT_AN_IMAGE, logo_reencode
from spilka.network.models import (
    ConsentPurpose,
    Organisation,
    OrganisationKind,
    RelationshipKind,
    Role,
)
from spilka.network.normalise import normalise_email, normalise_phone
from spilka.network.pickers import PickerFormMixin, use_picker

CONTENT_LANGUAGE_CHOICES = [(code, LANGUAGE_NAMES[code]) for code in CONTENT_LANGUAGES]


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    # Any ISO 3166 code is accepted; the page offers those where organisations are.
    country = forms.CharField(label=_("Country"), max_length=2, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *OrganisationKind.choices]
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Any language")), *WORKING_LANGUAGE_CHOICES],
    )
    page = forms.IntegerField(label=_("Page"), required=False, min_value=1, max_value=100000)

    def clean_country(self) -> str:
        code = (self.cleaned_data.get("country") or "").upper()
        if code and code not in dict(countries):
            raise ValidationError(_("Unknown country code: %(code)s."), params={"code": code})
        return code


class OrganisationForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Working languages"),
        choices=WORKING_LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    website = forms.URLField(
        label=_("Website"), required=False, max_length=300, assume_scheme="https"
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "short_name",
            "original_language",
            "kind",
            "description",
            "points_of_unity",
            "country",
            "region",
            "city",
            "languages",
            "website",
            "logo",
            "founded_year",
            "parent",
            "is_public",
            "two_factor_roles",
        ]
        error_messages = {"logo": {"invalid_image": NOT_AN_IMAGE}}
        # Says so when the form comes back with an error: the logo must be chosen again.
        widgets = {"logo": ReChooseFileInput}

    def __init__(self, *args: Any, parent_choices: Any, **kwargs: Any) -> None:
        """``parent_choices``: the organisations the user may attach this one to (those
        they administer), so nobody can make their organisation another's branch."""
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            parent_choices = parent_choices.exclude(pk=self.instance.pk)
        current = self.instance.parent_id
        if current is not None and not parent_choices.filter(pk=current).exists():
            # The user may not choose the current parent, nor (by not choosing) detach
            # from it; the parent may not even be visible to them. It stays as it is.
            del self.fields["parent"]
        else:
            model_choice_field(self, "parent").queryset = parent_choices
        # A form sent without it (a script, an older page) keeps the current setting.
        self.fields["two_factor_roles"].required = False

    def clean_two_factor_roles(self) -> str:
        return self.cleaned_data.get("two_factor_roles") or self.instance.two_factor_roles

    def clean_logo(self) -> Any:
        logo = self.cleaned_data.get("logo")
        if not isinstance(logo, UploadedFile):
            return logo  # unchanged, or cleared
        if (logo.size or 0) > settings.SPILKA_LOGO_MAX_BYTES:
            raise ValidationError(
                _("The logo is too large: at most %(size)d MB."),
                params={"size": settings.SPILKA_LOGO_MAX_BYTES // (1024 * 1024)},
            )
        return logo_reencode(logo)


class OrganisationCreateForm(OrganisationForm):
    class Meta(OrganisationForm.Meta):
        fields = ["slug", *OrganisationForm.Meta.fields]
        help_texts = {"slug": _("Used in its address: lower-case letters, digits and hyphens.")}


class RelationshipForm(PickerFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Relationship"), choices=RelationshipKind.choices)
    target = forms.ModelChoiceField(
        label=_("Other organisation"), queryset=Organisation.objects.none()
    )
    since_year = forms.IntegerField(
        label=_("Since (year)"), required=False, min_value=1800, max_value=2100
    )
    started_on = forms.DateField(
        label=_("Started on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ended_on = forms.DateField(
        label=_("Ended on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    evidence_url = forms.URLField(
        label=_("Evidence link"), required=False, max_length=500, assume_scheme="https"
    )

    def __init__(self, *args: Any, user: Any, source: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        use_picker(self.fields["target"], user=user, purpose="relationship", exclude=[source.pk])

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if (
            data.get("started_on")
            and data.get("ended_on")
            and data["ended_on"] < data["started_on"]
        ):
            raise ValidationError(_("A relationship cannot end before it starts."))
        return data


class PersonForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("Email"), required=False, max_length=254)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    country = forms.ChoiceField(label=_("Country"), required=False)
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=CONTENT_LANGUAGE_CHOICES
    )
    role_title = forms.CharField(
        label=_("Position in the organisation"), required=False, max_length=120
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "country").choices = [("", "—"), *countries]

    def clean_email(self) -> str:
        value = self.cleaned_data.get("email", "")
        return normalise_email(value) if value else ""

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("phone"):
            try:
                data["phone"] = normalise_phone(data["phone"], data.get("country"))
            except ValidationError as error:
                self.add_error("phone", error)
        return data


class PersonEditForm(PersonForm):
    """The person's own details; memberships and emails are managed separately."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["email"]
        del self.fields["role_title"]


class ConsentForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    granted = forms.TypedChoiceField(
        label=_("Decision"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("Granted")), ("no", _("Withdrawn"))],
    )
    wording = forms.CharField(
        label=_("Wording agreed to"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    wording_language = forms.ChoiceField(
        label=_("Language of the wording"),
        choices=CONTENT_LANGUAGE_CHOICES,
        help_text=_("The language the person read the wording in."),
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=200,
        help_text=_("Where it was given: a form, an import, in person."),
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        """``organisations``: those the person is linked to and the user manages people for."""
        super().__init__(*args, **kwargs)
        model_choice_field(self, "organisation").queryset = organisations


class RoleGrantForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_(
            "If no account uses this address yet, the role waits for it; we email the "
            "address either way."
        ),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class RoleRevokeForm(forms.Form):
    email = forms.EmailField(max_length=254)
    role = forms.ChoiceField(choices=Role.choices)
