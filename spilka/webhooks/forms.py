from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from spilka.webhooks.models import WebhookEvent


class EndpointForm(forms.Form):
    url = forms.CharField(
        label=_("Address (URL)"),
        max_length=500,
        help_text=_("Where Spilka sends each event, as a POST with a JSON body: https://…"),
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "off"}),
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=WebhookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one event.")},
    )
    active = forms.BooleanField(
        label=_("Active"),
        required=False,
        initial=True,
        help_text=_("Untick to stop sending events to this address for now."),
    )

    def __init__(self, *args: object, editing: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not editing:
            del self.fields["active"]
