"""An organisation's supporters: who they are, what they did with it, what they agreed to."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from spilka.network.models.organisations import ORIGINAL_LANGUAGE_CHOICES
from spilka.network.normalise import validate_e164


class SupporterStatus(models.TextChoices):
    SUBSCRIBED = "subscribed", _("Subscribed")
    NO_CONSENT = "no_consent", _("Not subscribed (never asked for updates)")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
    BOUNCED = "bounced", _("Address bounces")
    COMPLAINED = "complained", _("Marked our mail as spam")


class ActionKind(models.TextChoices):
    PETITION_SIGNED = "petition_signed", _("Signed a petition")
    STATEMENT_SIGNED = "statement_signed", _("Signed a statement")
    EVENT_REGISTERED = "event_registered", _("Registered for an event")
    EVENT_ATTENDED = "event_attended", _("Attended an event")
    DONATED = "donated", _("Donated")
    SIGNED_UP = "signed_up", _("Signed up for updates")
    IMPORTED = "imported", _("Imported from a file")


class Supporter(models.Model):
    """One person as one organisation knows them. Never shared with another organisation.

    The same address known to two organisations is two rows: each organisation's list is
    its own, and nothing here lets one learn what the other holds.
    """

    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    email = models.EmailField(_("email"), max_length=254)  # normalised
    phone = models.CharField(_("phone"), max_length=32, blank=True, validators=[validate_e164])
    name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(
        _("preferred language"), max_length=8, choices=ORIGINAL_LANGUAGE_CHOICES, default="en"
    )
    country = CountryField(_("country"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=SupporterStatus.choices,
        default=SupporterStatus.NO_CONSENT,
    )
    source = models.CharField(_("first came from"), max_length=30, blank=True)
    tags = models.ManyToManyField("outreach.Tag", related_name="supporters", blank=True)
    lists = models.ManyToManyField("outreach.SupporterList", related_name="members", blank=True)
    created_at = models.DateTimeField(_("added"), default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    last_action_at = models.DateTimeField(_("last action"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("supporter")
        verbose_name_plural = _("supporters")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"], name="supporter_email_per_organisation"
            ),
            models.UniqueConstraint(
                fields=["organisation", "phone"],
                condition=~Q(phone=""),
                name="supporter_phone_per_organisation",
            ),
        ]
        indexes = [
            # The supporter list, newest first, a page read off an index: all of them, or
            # those of one status or one language (a rare one too: no walk past the others).
            models.Index(
                fields=["organisation", "created_at", "id"], name="supporter_org_created_idx"
            ),
            models.Index(
                fields=["organisation", "status", "created_at", "id"],
                name="supporter_org_status_idx2",
            ),
            models.Index(
                fields=["organisation", "language", "created_at", "id"],
                name="supporter_org_lang_idx2",
            ),
            # Possible duplicates: supporters sharing a name, case-insensitively, walked name
            # by name, each name's oldest first (outreach.selectors.possible_duplicates).
            models.Index(
                "organisation",
                Lower("name"),
                "created_at",
                "id",
                name="supporter_org_lower_name_idx2",
            ),
        ]

    def __str__(self) -> str:
        # Audit rows copy an object's str(): it must never carry a name or an address.
        return f"supporter #{self.pk}"

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.strip() else ""

    @property
    def is_mailable(self) -> bool:
        return self.status == SupporterStatus.SUBSCRIBED


class SupporterCount(models.Model):
    """How many supporters an organisation has in each status: one row per organisation,
    one column per ``SupporterStatus``.

    Kept exact by the services that add, change or remove supporters, in their own
    transaction (``services/counts.py``), so the supporter list shows its figures without
    counting a million rows. ``manage.py outreach_counts`` recounts them from the
    supporters (after a bulk load, or to check them).
    """

    organisation = models.OneToOneField(
        "network.Organisation", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    subscribed = models.IntegerField(default=0)
    no_consent = models.IntegerField(default=0)
    unsubscribed = models.IntegerField(default=0)
    bounced = models.IntegerField(default=0)
    complained = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("supporter count")
        verbose_name_plural = _("supporter counts")

    def __str__(self) -> str:
        return f"supporter counts of organisation #{self.organisation_id}"

    def by_status(self) -> dict[str, int]:
        return {status: getattr(self, status) for status in SupporterStatus.values}


class SupporterAction(models.Model):
    """One thing a supporter did with the organisation: the profile's history."""

    supporter = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(_("action"), max_length=30, choices=ActionKind.choices)
    # What it was about, e.g. "campaigns.petition:12"; segments filter on it.
    object_key = models.CharField(max_length=100, blank=True)
    object_label = models.CharField(_("about"), max_length=300, blank=True)
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("supporter action")
        verbose_name_plural = _("supporter actions")
        indexes = [
            models.Index(fields=["supporter", "-occurred_at"], name="action_supporter_idx"),
            models.Index(fields=["object_key", "supporter"], name="action_object_idx"),
            models.Index(fields=["kind", "occurred_at"], name="action_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_key}"


class ActionObject(models.Model):
    """Something an organisation's supporters did something with (a petition, an event,
    an import), once per organisation: the segment form's choices, read without going
    through every supporter's history. Written with the first action about it
    (``services.supporters.action_object_note``); a key whose supporters were all deleted
    since stays listed (a segment on it matches nobody)."""

    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    object_key = models.CharField(max_length=100)
    object_label = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("action object")
        verbose_name_plural = _("action objects")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "object_key"], name="action_object_unique"
            )
        ]

    def __str__(self) -> str:
        return self.object_key


class SupporterConsent(models.Model):
    """One decision to hear (or stop hearing) from the organisation, with its wording.

    Append-only: an unsubscribe is a new row with ``granted=False``.
    """

    supporter = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="consents")
    granted = models.BooleanField(_("granted"))
    wording = models.TextField(_("wording agreed to"), max_length=2000, blank=True)
    language = models.CharField(_("language of the wording"), max_length=8, blank=True)
    source = models.CharField(_("source"), max_length=200)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("supporter consent")
        verbose_name_plural = _("supporter consents")
        indexes = [models.Index(fields=["supporter", "-recorded_at"], name="consent_supporter_idx")]

    def __str__(self) -> str:
        return f"{self.supporter_id}: {self.granted}"


class Tag(models.Model):
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("tag"), max_length=60)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="tag_unique_per_org")
        ]

    def __str__(self) -> str:
        return self.name


class SupporterList(models.Model):
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("list"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("list")
        verbose_name_plural = _("lists")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="list_unique_per_org")
        ]

    def __str__(self) -> str:
        return self.name


class Segment(models.Model):
    """A saved filter over the organisation's supporters, counted in SQL when shown.

    ``filters`` keys (all optional, combined with AND): ``tags``, ``lists`` (ids, any of),
    ``languages``, ``countries`` (codes, any of), ``action_kind``, ``object_key``,
    ``action_after``, ``action_before`` (ISO dates, for the action), ``joined_after``,
    ``joined_before`` (ISO dates, when the supporter was added).
    """

    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=120)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="segment_unique_per_org")
        ]

    def __str__(self) -> str:
        return self.name
