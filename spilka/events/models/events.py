"""Events, the series they belong to, and what hangs off them (speakers, questions, recordings)."""

from __future__ import annotations

import datetime
import zoneinfo
from urllib.parse import parse_qs, urlparse

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from spilka.events.recurrence import parse_rule
from spilka.lib.slugs import SlugField
from spilka.lib.translated import TranslatedField, pick
from spilka.lib.types import StrOrPromise
from spilka.network.models.organisations import (
    ORIGINAL_LANGUAGE_CHOICES,
    validate_slug_not_reserved,
    validate_working_languages,
)

# Words of our own URL space that an event slug may not take.
EVENT_RESERVED_SLUGS = frozenset(
    {"new", "archive", "series", "org", "feed.ics", "r", "cancel", "offer", "checkin", "tz"}
)


def validate_event_slug(value: str) -> None:
    validate_slug_not_reserved(value)
    if value in EVENT_RESERVED_SLUGS:
        raise ValidationError(_("This address is reserved; choose another."))


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            _("%(zone)s is not a known time zone (use a name like Europe/Warsaw)."),
            params={"zone": value},
        ) from None


class EventKind(models.TextChoices):
    ONLINE_FORUM = "online_forum", _("Online forum")
    CONFERENCE = "conference", _("Conference")
    STREET_ACTION = "street_action", _("Street action")
    DELEGATION = "delegation", _("Delegation visit")
    FUNDRAISER = "fundraiser", _("Fundraiser")
    MEETING = "meeting", _("Meeting")


class EventStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    POSTPONED = "postponed", _("Postponed")
    CANCELLED = "cancelled", _("Cancelled")
    MOVED_ONLINE = "moved_online", _("Moved online")


class Topic(models.TextChoices):
    WAR = "war", _("The war and the resistance")
    LABOUR = "labour", _("Labour and trade unions")
    ENVIRONMENT = "environment", _("Environment")
    HISTORY = "history", _("History")
    POLITICS = "politics", _("Politics and ideas")
    INTERNATIONAL = "international", _("International solidarity")
    AID = "aid", _("Aid and fundraising")


class Series(models.Model):
    """A regular forum: its occurrences are events generated from a recurrence rule."""

    slug = SlugField(
        _("short address"), max_length=80, unique=True, validators=[validate_event_slug]
    )
    organiser = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="event_series",
    )
    title = TranslatedField(_("title"), max_length=200, blank=False)
    description = TranslatedField(_("description"), max_length=5000)
    original_language = models.CharField(
        _("original language"), max_length=8, choices=ORIGINAL_LANGUAGE_CHOICES, default="en"
    )
    # An RFC 5545 RRULE without DTSTART, e.g. "FREQ=MONTHLY;BYDAY=2TU".
    recurrence = models.CharField(_("recurrence rule"), max_length=200, blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    local_start_time = models.TimeField(_("start time (local)"), default=datetime.time(18, 0))
    duration_minutes = models.PositiveIntegerField(_("duration in minutes"), default=90)
    is_public = models.BooleanField(_("public"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("series")
        verbose_name_plural = _("series")

    def __str__(self) -> str:
        return pick(self.title, self.original_language).text or self.slug

    def get_absolute_url(self) -> str:
        return reverse("events:series", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.recurrence:
            parse_rule(self.recurrence)  # raises ValidationError


class Event(models.Model):
    slug = SlugField(
        _("short address"), max_length=80, unique=True, validators=[validate_event_slug]
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    organiser = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="events_organised",
    )
    co_organisers = models.ManyToManyField(
        "network.Organisation",
        verbose_name=_("co-organisers"),
        blank=True,
        related_name="events_co_organised",
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campaign"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    series = models.ForeignKey(
        Series,
        verbose_name=_("series"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    title = TranslatedField(_("title"), max_length=200, blank=False)
    description = TranslatedField(_("description"), max_length=10000)
    original_language = models.CharField(
        _("original language"), max_length=8, choices=ORIGINAL_LANGUAGE_CHOICES, default="en"
    )
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices, blank=True)
    languages = models.JSONField(
        _("languages spoken"),
        default=list,
        blank=True,
        validators=[validate_working_languages],
        help_text=_("Language codes, e.g. en, uk."),
    )
    # Stored in UTC; the organiser's zone is kept to show "local time" and to write feeds.
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    is_online = models.BooleanField(_("online"), default=False)
    # Coarse only: a hall or square by name and a city, never a private address.
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(
        _("address"),
        max_length=300,
        blank=True,
        help_text=_("A public place only. Leave empty for private or sensitive venues."),
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = CountryField(_("country"), blank=True)
    # Private: shown only to confirmed registrants (confirmation page, email, reminders).
    join_url = models.URLField(_("join link (private)"), max_length=500, blank=True)
    join_details = models.CharField(
        _("joining details (private)"),
        max_length=500,
        blank=True,
        help_text=_("A passcode or dial-in number; shown only to registered people."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty means no limit.")
    )
    is_public = models.BooleanField(
        _("public"),
        default=True,
        help_text=_("Untick for members only: people with a role in an organising group."),
    )
    status = models.CharField(
        _("status"), max_length=15, choices=EventStatus.choices, default=EventStatus.SCHEDULED
    )
    registration_enabled = models.BooleanField(_("registration"), default=True)
    requires_approval = models.BooleanField(
        _("organisers approve each registration"),
        default=False,
        help_text=_("For delegations: registrations wait until an organiser approves them."),
    )
    # Empty: automatic (yes for members-only events and events that need approval).
    join_after_email_confirmation = models.BooleanField(
        _("join link only after email confirmation"),
        null=True,
        blank=True,
        default=None,
        help_text=_(
            "Registrants see the join link only once they have confirmed their address from "
            "the email we send them. Always so for members-only events."
        ),
    )
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    turnout = models.PositiveIntegerField(
        _("turnout"), null=True, blank=True, help_text=_("How many people came (street actions).")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="event_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["is_public", "starts_at"], name="event_public_start_idx"),
        ]

    def __str__(self) -> str:
        return pick(self.title, self.original_language).text or self.slug

    def get_absolute_url(self) -> str:
        return reverse("events:event", kwargs={"slug": self.slug})

    def clean(self) -> None:
        errors: dict[str, list[StrOrPromise]] = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors.setdefault("ends_at", []).append(_("The end must come after the start."))
        if (
            self.registration_opens_at
            and self.registration_closes_at
            and self.registration_closes_at <= self.registration_opens_at
        ):
            errors.setdefault("registration_closes_at", []).append(
                _("Registration must close after it opens.")
            )
        if errors:
            raise ValidationError(errors)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    @property
    def join_waits_for_email(self) -> bool:
        """Is the join link kept from registrants until they confirm their address by mail?

        Always for members-only events: their join link never goes to whoever typed an
        address. Otherwise the organiser's choice; by default, for approval events.
        """
        if not self.is_public:
            return True
        if self.join_after_email_confirmation is None:
            return self.requires_approval
        return self.join_after_email_confirmation

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    @property
    def is_virtual(self) -> bool:
        return self.is_online or self.status == EventStatus.MOVED_ONLINE

    def is_past(self, now: datetime.datetime | None = None) -> bool:
        return self.ends_at <= (now or timezone.now())

    def registration_open(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        if not self.registration_enabled or self.status in (
            EventStatus.CANCELLED,
            EventStatus.POSTPONED,
        ):
            return False
        if self.registration_opens_at and now < self.registration_opens_at:
            return False
        closes = self.registration_closes_at or self.ends_at
        return now < closes


class Speaker(models.Model):
    """A public person speaking at an event, named by their own choice."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("name"), max_length=200)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    bio = TranslatedField(_("short biography"), max_length=1000)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self) -> str:
        return self.name


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Text")
    CHOICE = "choice", _("Single choice")
    CHECKBOX = "checkbox", _("Checkbox")


class Question(models.Model):
    """A question an organiser adds to the registration form."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    label = TranslatedField(_("question"), max_length=300, blank=False)
    kind = models.CharField(
        _("kind"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.TEXT
    )
    choices = models.JSONField(
        _("choices"), default=list, blank=True, help_text=_("For single choice: the options.")
    )
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return pick(self.label).text

    def clean(self) -> None:
        if self.kind == QuestionKind.CHOICE and (
            not isinstance(self.choices, list)
            or len(self.choices) < 2
            or not all(isinstance(c, str) and c.strip() for c in self.choices)
        ):
            raise ValidationError({"choices": _("Give at least two options.")})


def recording_provider(url: str) -> str:
    host = (urlparse(url).hostname or "").lower()
    if host.endswith("youtube.com") or host == "youtu.be" or host.endswith("youtube-nocookie.com"):
        return "youtube"
    if "peertube" in host or "/videos/watch/" in url or "/w/" in urlparse(url).path[:3]:
        return "peertube"
    return "other"


class Recording(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="recordings")
    url = models.URLField(_("link"), max_length=500)
    title = models.CharField(_("title"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("recording")
        verbose_name_plural = _("recordings")

    def __str__(self) -> str:
        return self.title or self.url

    @property
    def provider(self) -> str:
        return recording_provider(self.url)

    @property
    def host(self) -> str:
        return (urlparse(self.url).hostname or "").lower()

    @property
    def embed_url(self) -> str:
        """Where an iframe would point, or "" when the host has no known embed form."""
        parsed = urlparse(self.url)
        if self.provider == "youtube":
            video = ""
            if parsed.hostname == "youtu.be":
                video = parsed.path.lstrip("/")
            elif parsed.path.startswith("/watch"):
                video = (parse_qs(parsed.query).get("v") or [""])[0]
            if video:
                return f"https://www.youtube-nocookie.com/embed/{video}"
            return ""
        if self.provider == "peertube":
            path = parsed.path
            for prefix in ("/videos/watch/", "/w/"):
                if path.startswith(prefix):
                    return f"{parsed.scheme}://{parsed.netloc}/videos/embed/{path[len(prefix) :]}"
        return ""


class Material(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), max_length=500)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self) -> str:
        return self.title
