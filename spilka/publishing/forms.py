"""Forms for publications, the translator's languages, the glossary and resource links."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from spilka.lib.forms import model_choice_field
from spilka.lib.languages import CONTENT_LANGUAGES, LANGUAGE_NAMES
from spilka.lib.slugs import SlugFormField
from spilka.lib.uploads import ReChooseFileInput
from spilka.network.models.organisations import (
    ORIGINAL_LANGUAGE_CHOICES,
    Organisation,
    validate_slug_not_reserved,
)
from spilka.publishing.models import (
    BODY_MAX_LENGTH,
    GlossaryTerm,
    PublicationKind,
    PublicationStatus,
    ResourceLink,
)


class PublicationForm(forms.Form):
    """The original-language text; other languages come through the translation workflow."""

    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        queryset=None, label=_("Organisation")
    )
    slug = SlugFormField(
        label=_("Short address"), max_length=80, validators=[validate_slug_not_reserved]
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=PublicationKind.choices)
    original_language = forms.ChoiceField(
        label=_("Original language"), choices=ORIGINAL_LANGUAGE_CHOICES
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    body = forms.CharField(
        label=_("Text"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=_(
            "Markdown: **bold**, *italic*, [a link](https://…), ## headings, lists. "
            "Pictures must be uploaded here first."
        ),
        error_messages={
            "max_length": _(
                "The text is %(show_value)d characters long; the limit is %(limit_value)d. "
                "Split it into parts or publish it as a document."
            )
        },
    )
    tags = forms.CharField(
        label=_("Tags"), required=False, max_length=500, help_text=_("Separated by commas.")
    )
    status = forms.ChoiceField(label=_("Status"), choices=PublicationStatus.choices)
    published_on = forms.DateField(
        label=_("Published on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Today when left empty and the status is Published."),
    )

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation],
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "organisation").queryset = organisations
        if editing:
            for name in ("organisation", "slug", "original_language"):
                self.fields[name].disabled = True


class ImageUploadForm(forms.Form):
    image = forms.FileField(
        label=_("Picture"),
        help_text=_("PNG, JPEG, GIF or WebP, at most 5 MB."),
        widget=ReChooseFileInput,
    )


class TranslatorLanguagesForm(forms.Form):
    languages = forms.MultipleChoiceField(
        label=_("Languages I translate into"),
        choices=[(code, LANGUAGE_NAMES[code]) for code in CONTENT_LANGUAGES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("What needs changing"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class GlossaryTermForm(forms.ModelForm):
    class Meta:
        model = GlossaryTerm
        fields = ["renderings", "note"]


class ResourceLinkForm(forms.ModelForm):
    url = forms.URLField(
        label=pgettext_lazy("web", "Address"), max_length=500, assume_scheme="https"
    )

    class Meta:
        model = ResourceLink
        fields = ["label", "url", "kind"]
