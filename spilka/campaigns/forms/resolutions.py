"""Forms for model resolutions: the text and its versions, progress reports, page filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from spilka.campaigns import pickers as campaign_pickers
from spilka.campaigns.models import AdoptionStatus, Resolution, ResolutionVersion
from spilka.campaigns.services.resolutions import validate_evidence_file
from spilka.lib.forms import choice_field, model_choice_field
from spilka.lib.languages import CONTENT_LANGUAGES, LANGUAGE_NAMES
from spilka.lib.slugs import SlugFormField
from spilka.lib.translated import TranslatedFormField, clean_translations
from spilka.lib.uploads import ReChooseFileInput
from spilka.network.models import Organisation, OrganisationKind
from spilka.network.pickers import PickerFormMixin, use_picker

CONTENT_LANGUAGE_CHOICES = [(code, LANGUAGE_NAMES[code]) for code in CONTENT_LANGUAGES]


class AdoptionFilterForm(forms.Form):
    # Any ISO 3166 code is accepted; the page offers those where bodies are.
    country = forms.CharField(label=_("Country"), max_length=2, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *AdoptionStatus.choices],
    )
    page = forms.IntegerField(label=_("Page"), required=False, min_value=1, max_value=100000)

    def clean_country(self) -> str:
        code = (self.cleaned_data.get("country") or "").upper()
        if code and code not in dict(countries):
            raise ValidationError(_("Unknown country code: %(code)s."), params={"code": code})
        return code


class _OriginalTextMixin:
    """The title and text must at least be given in the original language."""

    def _require(self, field: str, language: str) -> None:
        values = self.cleaned_data.get(field) or {}  # type: ignore[attr-defined]
        try:
            clean_translations(values, required_language=language)
        except ValidationError as error:
            self.add_error(field, error)  # type: ignore[attr-defined]


class ResolutionForm(_OriginalTextMixin, forms.Form):
    slug = SlugFormField(
        label=_("Short address"),
        max_length=80,
        help_text=_("Used in its address: letters, digits and hyphens."),
    )
    original_language = forms.ChoiceField(
        label=_("Original language"), choices=CONTENT_LANGUAGE_CHOICES, initial="en"
    )
    title = TranslatedFormField(label=_("Title"), max_length=200)
    text = TranslatedFormField(label=_("Text"), max_length=30000, multiline=True)
    is_public = forms.BooleanField(
        label=_("Public: anyone can see it and its progress"), required=False, initial=True
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        language = data.get("original_language") or "en"
        self._require("title", language)
        self._require("text", language)
        return data


class ResolutionVersionForm(_OriginalTextMixin, forms.Form):
    text = TranslatedFormField(label=_("Text"), max_length=30000, multiline=True)
    note = forms.CharField(
        label=_("What changed"),
        max_length=300,
        required=False,
        help_text=_("For example: paragraph on the Zaporizhzhia plant added."),
    )

    def __init__(self, *args: Any, resolution: Resolution, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.resolution = resolution

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        self._require("text", self.resolution.original_language)
        return data


class BodyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.display_name} ({obj.country.name})"  # type: ignore[attr-defined]  # django-countries: a Country, a str to the plugin


class AdoptionReportForm(PickerFormMixin, forms.Form):
    """Where one body is with the resolution. Organisers may also name a new body."""

    body = BodyChoiceField(label=_("Body"), queryset=Organisation.objects.none(), required=False)
    new_body_name = forms.CharField(
        label=_("Or a body not yet in the directory"),
        max_length=200,
        required=False,
        help_text=_("For example: Sheffield Trades Union Council. It is added to the directory."),
    )
    new_body_country = forms.ChoiceField(label=_("Its country"), required=False)
    new_body_kind = forms.ChoiceField(
        label=_("Its kind"),
        choices=OrganisationKind.choices,
        initial=OrganisationKind.UNION_BRANCH,
        required=False,
    )
    status = forms.ChoiceField(label=_("Status"), choices=AdoptionStatus.choices)
    meeting_date = forms.DateField(
        label=_("Meeting date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    version = forms.ModelChoiceField(
        label=_("Version of the text"), queryset=ResolutionVersion.objects.none(), required=False
    )
    amended_text = forms.CharField(
        label=_("Amended text, if it was amended"),
        max_length=30000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    evidence_url = forms.URLField(
        label=_("Link to the minutes or other evidence"),
        max_length=500,
        required=False,
        assume_scheme="https",
    )
    evidence_file = forms.FileField(
        label=_("Or upload the minutes"),
        required=False,
        help_text=_("PDF, JPEG, PNG, ODT or DOCX; at most 10 MB."),
        widget=ReChooseFileInput,
    )
    note = forms.CharField(label=_("Note"), max_length=1000, required=False)

    def __init__(
        self,
        *args: Any,
        resolution: Resolution,
        user: Any = None,
        can_create_body: bool = False,
        fixed_body: Organisation | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fixed_body = fixed_body
        version = model_choice_field(self, "version")
        version.queryset = resolution.versions.order_by("-number")
        version.label_from_instance = lambda obj: (  # type: ignore[method-assign]
            _("Version %(number)d") % {"number": obj.number}
        )
        choice_field(self, "new_body_country").choices = [("", "—"), *countries]
        if fixed_body is not None:
            for name in ("body", "new_body_name", "new_body_country", "new_body_kind"):
                del self.fields[name]
            return
        # The bodies ``user`` may report for, searched as one types (there may be thousands).
        use_picker(
            self.fields["body"],
            user=user,
            scope=campaign_pickers.RESOLUTION_BODIES,
            resolution=resolution.slug,
        )
        if not can_create_body:
            for name in ("new_body_name", "new_body_country", "new_body_kind"):
                del self.fields[name]
            self.fields["body"].required = True

    @property
    def creates_body(self) -> bool:
        return bool(self.cleaned_data.get("new_body_name"))

    def clean_evidence_file(self) -> Any:
        upload = self.cleaned_data.get("evidence_file")
        if upload:
            validate_evidence_file(upload)
        return upload

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.fixed_body is not None or "body" in self.errors:
            return data
        name = (data.get("new_body_name") or "").strip()
        if data.get("body") and name:
            raise ValidationError(
                _("Choose a body from the list or name a new one, not both."), code="both"
            )
        if not data.get("body") and not name and "new_body_name" not in self.errors:
            raise ValidationError(_("Choose the body this report is about."), code="no_body")
        if name and not data.get("new_body_country"):
            self.add_error("new_body_country", _("Give the new body's country."))
        return data
