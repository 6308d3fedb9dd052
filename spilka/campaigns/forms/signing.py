from __future__ import annotations

from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from spilka.lib.process_cache import ProcessCache
from spilka.lib.widgets import CountrySelect
from spilka.network.models import Organisation
from spilka.network.normalise import normalise_email


def consent_wording(organisation: Organisation) -> str:
    """The sentence next to a consent box, in the active language; stored as agreed."""
    return gettext(
        "I would like to receive updates by email from %(organisation)s. I can unsubscribe at any time."
    ) % {"organisation": organisation.display_name}


# The consent boxes of a set of organisers in a language, built once a minute per
# process and shared between forms (the wording is the label: a renamed
# organisation's new name shows within the minute).
_consent_fields = ProcessCache()


WORDING_SALT = "spilka.petition.consent-wording"


class _ShownWording(forms.HiddenInput):
    """Always renders the signed wording of the label shown beside it (also when the form
    comes back with errors): the two are built together and must agree."""

    def __init__(self, signed: str) -> None:
        super().__init__()
        self.signed = signed

    def format_value(self, value: Any) -> str:
        return self.signed


def _consent_fields_for(organisers: list[Organisation]) -> list[tuple[str, forms.Field]]:
    key = (tuple(org.pk for org in organisers), get_language())
    fields = _consent_fields.get(key)
    if fields is None:
        fields = []
        for org in organisers:
            wording = consent_wording(org)
            # Unticked by default: consent must be given, never assumed.
            fields.append(
                (
                    f"consent_{org.pk}",
                    forms.BooleanField(label=wording, required=False, initial=False),
                )
            )
            # The wording as shown, signed, travels with the form: what is stored is what
            # the visitor read, in their language, even if it changes before they send.
            fields.append(
                (
                    f"consent_{org.pk}_wording",
                    forms.CharField(
                        required=False,
                        max_length=4000,
                        widget=_ShownWording(signing.dumps([org.pk, wording], salt=WORDING_SALT)),
                    ),
                )
            )
        _consent_fields.set(key, fields, 60)
    return fields


def _shown_wording(signed: str, organisation: Organisation) -> str:
    """The wording the visitor's page showed next to ``organisation``'s box, else ""."""
    try:
        pk, wording = signing.loads(signed, salt=WORDING_SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return ""
    return wording if pk == organisation.pk and isinstance(wording, str) else ""


class SignatureForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("Email"), max_length=254)
    # A CharField checked against the ISO list: building ~250 choices per request was the
    # petition page's largest cost.
    country = forms.CharField(label=_("Country"), max_length=2, widget=CountrySelect)
    postcode = forms.CharField(label=_("Postcode (optional)"), max_length=20, required=False)
    organisation_name = forms.CharField(
        label=_("Organisation or union (optional)"), max_length=200, required=False
    )
    show_name = forms.BooleanField(label=_("Show my name publicly"), required=False)
    # Honeypot: hidden from people by CSS; bots fill it in.
    website = forms.CharField(required=False, max_length=200, label=_("Leave this empty"))
    altcha = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, organisers: list[Organisation] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organisers = organisers or []
        self.fields.update(_consent_fields_for(self.organisers))

    def clean_email(self) -> str:
        return normalise_email(self.cleaned_data["email"])

    def clean_country(self) -> str:
        code = self.cleaned_data["country"].upper()
        if code not in countries:
            raise ValidationError(_("Select a valid choice."), code="invalid_choice")
        return code

    def clean_full_name(self) -> str:
        name = self.cleaned_data["full_name"].strip()
        if not name:
            raise ValidationError(_("Please give your name."))
        return name

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for org in self.organisers:
            name = f"consent_{org.pk}"
            if cleaned.get(name) and not _shown_wording(cleaned.get(f"{name}_wording", ""), org):
                # Only a forged or mangled form gets here: ask for the box again.
                self.add_error(name, _("Please tick this box again."))
        return cleaned

    def consent_choices(self) -> list[tuple[Organisation, str]]:
        """The ticked boxes, each with the exact wording the visitor's page showed."""
        return [
            (org, _shown_wording(self.cleaned_data[f"consent_{org.pk}_wording"], org))
            for org in self.organisers
            if self.cleaned_data.get(f"consent_{org.pk}")
        ]
