from __future__ import annotations

import zoneinfo
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from spilka.campaigns.models import Campaign
from spilka.campaigns.selectors import campaigns_pickable_for
from spilka.events.models import (
    Event,
    EventKind,
    Question,
    QuestionKind,
    Recording,
    Series,
    Speaker,
)
from spilka.events.zones import COMMON_ZONES
from spilka.lib.fields import LocalIntegerField
from spilka.lib.forms import choice_field
from spilka.lib.translated import pick
from spilka.lib.widgets import LongSelect
from spilka.network.models import Organisation
from spilka.network.normalise import normalise_email
from spilka.network.pickers import PickerFormMixin, use_picker


def consent_wording(organisation: Organisation) -> str:
    """The sentence next to a consent box, in the active language; stored as agreed."""
    return gettext(
        "I would like to receive updates by email from %(organisation)s. I can unsubscribe at any time."
    ) % {"organisation": organisation.display_name}


class RegistrationForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("Email"), max_length=254)
    # Honeypot: hidden from people by CSS; bots fill it in.
    website = forms.CharField(required=False, max_length=200, label=_("Leave this empty"))
    altcha = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        questions: list[Question] | None = None,
        organisers: list[Organisation] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions or []
        self.organisers = organisers or []
        for question in self.questions:
            label = pick(question.label).text
            name = f"question_{question.pk}"
            if question.kind == QuestionKind.CHECKBOX:
                field: forms.Field = forms.BooleanField(label=label, required=question.required)
            elif question.kind == QuestionKind.CHOICE:
                field = forms.ChoiceField(
                    label=label,
                    required=question.required,
                    choices=[("", "—")] + [(c, c) for c in question.choices],
                )
            else:
                field = forms.CharField(
                    label=label,
                    required=question.required,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
            field.error_messages["required"] = gettext("This question needs an answer.")
            self.fields[name] = field
        for org in self.organisers:
            # Unticked by default: consent must be given, never assumed.
            self.fields[f"consent_{org.pk}"] = forms.BooleanField(
                label=consent_wording(org), required=False, initial=False
            )
        # The anti-spam fields last, after everything a person fills in.
        self.order_fields([f for f in self.fields if f not in {"website", "altcha"}])

    def clean_email(self) -> str:
        return normalise_email(self.cleaned_data["email"])

    def clean_full_name(self) -> str:
        name = self.cleaned_data["full_name"].strip()
        if not name:
            raise ValidationError(_("Please give your name."))
        return name

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def answers(self) -> dict[int, Any]:
        return {q.pk: self.cleaned_data.get(f"question_{q.pk}") for q in self.questions}

    def consent_choices(self) -> list[tuple[Organisation, str]]:
        return [
            (org, str(self.fields[f"consent_{org.pk}"].label))
            for org in self.organisers
            if self.cleaned_data.get(f"consent_{org.pk}")
        ]


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


ZONE_CHOICES = [(z, z) for z in sorted(zoneinfo.available_timezones()) if "/" in z or z == "UTC"]


class JoinWaitSelect(forms.NullBooleanSelect):
    """Automatic / yes / no for ``Event.join_after_email_confirmation``."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.choices = [
            ("unknown", _("Automatic: for members-only events and events that need approval")),
            ("true", _("Yes")),
            ("false", _("No")),
        ]


class EventForm(PickerFormMixin, forms.ModelForm):
    """Times are typed as the organiser's wall-clock time in the event's time zone."""

    LOCAL_FIELDS = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")

    time_zone = forms.ChoiceField(
        label=_("Time zone"), choices=ZONE_CHOICES, initial="UTC", widget=LongSelect
    )
    join_url = forms.URLField(
        label=_("Join link (private)"), max_length=500, required=False, assume_scheme="https"
    )
    languages = forms.CharField(
        label=_("Languages spoken"),
        required=False,
        max_length=100,
        help_text=_("Language codes separated by commas, e.g. en, uk."),
    )
    join_after_email_confirmation = forms.NullBooleanField(
        label=_("Join link only after email confirmation"),
        required=False,
        widget=JoinWaitSelect,
        help_text=_(
            "Registrants see the join link only once they have confirmed their address from "
            "the email we send them. Always so for members-only events."
        ),
    )

    class Meta:
        model = Event
        fields = [
            "slug",
            "kind",
            "title",
            "description",
            "original_language",
            "topic",
            "languages",
            "time_zone",
            "starts_at",
            "ends_at",
            "is_online",
            "join_url",
            "join_details",
            "venue_name",
            "address",
            "city",
            "country",
            "capacity",
            "is_public",
            "status",
            "registration_enabled",
            "requires_approval",
            "join_after_email_confirmation",
            "registration_opens_at",
            "registration_closes_at",
            "campaign",
            "series",
            "co_organisers",
            "turnout",
        ]
        # Counts typed in the person's language ("1 500"), not type="number".
        field_classes = {"capacity": LocalIntegerField, "turnout": LocalIntegerField}

    def __init__(self, *args: Any, organiser: Organisation, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

        self.organiser = organiser
        instance = self.instance
        # One row per campaign whatever the rule joins: ModelChoiceField looks the choice up
        # with get(), and a campaign listed twice (one row per co-organiser) made saving the
        # event fail with a 500. The event's own campaign stays choosable when editing.
        pickable = Q(pk__in=campaigns_pickable_for(user=user, organisation=organiser).values("pk"))
        if instance.pk and instance.campaign_id:
            pickable |= Q(pk=instance.campaign_id)
        self.fields["campaign"].queryset = Campaign.objects.filter(pickable)  # type: ignore[attr-defined]
        self.fields["series"].queryset = Series.objects.filter(organiser=organiser)  # type: ignore[attr-defined]
        self.fields["co_organisers"].required = False
        use_picker(
            self.fields["co_organisers"],
            user=user,
            purpose="co_organiser",
            keep=sorted(instance.co_organisers.values_list("pk", flat=True)) if instance.pk else [],
            exclude=[organiser.pk],
        )
        for name in self.LOCAL_FIELDS:
            self.fields[name].widget = LocalDateTimeInput()
            self.fields[name].help_text = _("In the event's time zone.")
        if instance.pk:
            self.initial["languages"] = ", ".join(instance.languages or [])
            for name in self.LOCAL_FIELDS:
                value = getattr(instance, name)
                if value:
                    self.initial[name] = value.astimezone(instance.zone).replace(tzinfo=None)
        choice_field(self, "time_zone").choices = (
            [(z, z) for z in COMMON_ZONES] + [("", "──")] + ZONE_CHOICES
        )

    def clean_languages(self) -> list[str]:
        raw = self.cleaned_data.get("languages") or ""
        return [code.strip().lower() for code in raw.replace(";", ",").split(",") if code.strip()]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        zone_name = data.get("time_zone") or "UTC"
        try:
            zone = zoneinfo.ZoneInfo(zone_name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            self.add_error("time_zone", _("Choose a time zone."))
            return data
        for name in self.LOCAL_FIELDS:
            value = data.get(name)
            if value is not None:
                # The form reads the wall clock in the server's zone; put it in the event's.
                data[name] = value.replace(tzinfo=None).replace(tzinfo=zone)
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The end must come after the start."))
        return data

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("slug", None)
        data.pop("co_organisers", None)
        return data


class SpeakerForm(forms.ModelForm):
    class Meta:
        model = Speaker
        fields = ["name", "organisation_name", "bio"]


class QuestionForm(forms.ModelForm):
    choices_text = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For a single choice: one option a line."),
    )

    class Meta:
        model = Question
        fields = ["label", "kind", "required"]

    def choices(self) -> list[str]:
        raw = self.cleaned_data.get("choices_text") or ""
        return [line.strip() for line in raw.splitlines() if line.strip()]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        self.instance.choices = self.choices()
        return data

    def add_error(self, field: str | None, error: Any) -> None:
        # The model names the options "choices"; on this form they are typed as text.
        if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            error = ValidationError(
                {("choices_text" if k == "choices" else k): v for k, v in error.error_dict.items()}
            )
        elif field == "choices":
            field = "choices_text"
        super().add_error(field, error)


class RecordingForm(forms.ModelForm):
    url = forms.URLField(label=_("Link"), max_length=500, assume_scheme="https")

    class Meta:
        model = Recording
        fields = ["url", "title", "language"]


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    url = forms.URLField(label=_("Link"), max_length=500, assume_scheme="https")


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Message"), max_length=10000, widget=forms.Textarea)


class SeriesForm(forms.ModelForm):
    """A recurring series and its first occurrences, in the series' own time zone."""

    FREQUENCIES = [
        ("weekly", _("Every week, or every few weeks")),
        ("monthly_weekday", _("Monthly, on the same weekday (e.g. second Tuesday)")),
    ]
    time_zone = forms.ChoiceField(
        label=_("Time zone"), choices=ZONE_CHOICES, initial="UTC", widget=LongSelect
    )
    frequency = forms.ChoiceField(label=_("How often"), choices=FREQUENCIES, initial="weekly")
    interval = LocalIntegerField(
        label=_("Every how many weeks"),
        min_value=1,
        max_value=52,
        initial=1,
        required=False,
        help_text=_("For weekly meetings: 1 for every week, 2 for every other week."),
    )
    first_date = forms.DateField(
        label=_("First date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    count = LocalIntegerField(
        label=_("How many times"),
        min_value=1,
        max_value=60,
        required=False,
        help_text=_("Give this or the last date."),
    )
    until = forms.DateField(
        label=_("Last date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices, initial="online_forum")
    is_online = forms.BooleanField(label=_("Online"), required=False, initial=True)

    class Meta:
        model = Series
        fields = [
            "slug",
            "title",
            "description",
            "original_language",
            "time_zone",
            "local_start_time",
            "duration_minutes",
            "is_public",
        ]
        widgets = {"local_start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}
        field_classes = {"duration_minutes": LocalIntegerField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "time_zone").choices = (
            [(z, z) for z in COMMON_ZONES] + [("", "──")] + ZONE_CHOICES
        )
        self.fields["local_start_time"].help_text = _("In the series' time zone.")
        self.order_fields(
            ["slug", "title", "description", "original_language", "kind", "is_online"]
            + ["time_zone", "frequency", "interval", "first_date", "local_start_time"]
            + ["duration_minutes", "count", "until", "is_public"]
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("frequency") == "weekly" and not data.get("interval"):
            data["interval"] = 1
        if data.get("count") is None and data.get("until") is None:
            self.add_error("count", _("Give how many times, or the last date."))
        elif data.get("count") is not None and data.get("until") is not None:
            self.add_error("until", _("Give either how many times, or the last date, not both."))
        return data

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "slug": data["slug"],
            "frequency": data["frequency"],
            "interval": data.get("interval") or 1,
            "first_date": data["first_date"],
            "count": data.get("count"),
            "until": data.get("until"),
            "event_fields": {"kind": data["kind"], "is_online": data["is_online"]},
            **{k: data[k] for k in self.Meta.fields if k != "slug"},
        }
