from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from spilka.network.models.organisations import ORIGINAL_LANGUAGE_CHOICES
from spilka.network.normalise import validate_e164


class Person(models.Model):
    """Someone the network knows. Private: see ``network.access.person_get_for_user``."""

    full_name = models.CharField(_("full name"), max_length=200)
    country = CountryField(_("country"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=ORIGINAL_LANGUAGE_CHOICES, default="en"
    )
    phone = models.CharField(
        _("phone"),
        max_length=32,
        blank=True,
        validators=[validate_e164],
        help_text=_("Stored in international format."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["full_name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name

    @property
    def primary_email(self) -> str:
        for email in self.emails.all():
            if email.is_primary:
                return email.email
        return ""


class PersonEmail(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="emails")
    # Normalised (see network.normalise.normalise_email). Not unique across the directory:
    # contact records are kept per organisation, and one organisation must not learn that
    # another already knows an address. See selectors.person_find_for_organisation.
    email = models.EmailField(_("email"), max_length=254, db_index=True)
    is_primary = models.BooleanField(_("primary"), default=False)

    class Meta:
        ordering = ["-is_primary", "email"]
        verbose_name = _("email address")
        verbose_name_plural = _("email addresses")
        constraints = [
            models.UniqueConstraint(fields=["person", "email"], name="person_email_unique"),
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(is_primary=True),
                name="person_one_primary_email",
            ),
        ]

    def __str__(self) -> str:
        return self.email


class Membership(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.CASCADE, related_name="memberships"
    )
    role_title = models.CharField(
        _("position"),
        max_length=120,
        blank=True,
        help_text=_("For example: co-chair, branch secretary."),
    )
    started_on = models.DateField(_("since"), null=True, blank=True)
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["organisation", "person"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["person", "organisation"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.organisation}"


class ConsentPurpose(models.TextChoices):
    UPDATES = "updates", _("Email updates")
    CONTACT = "contact", _("Organisers may contact me")
    PUBLIC_NAME = "public_name", _("Show my name publicly")
    DATA_SHARING = "data_sharing", _("Share my details with partner organisations")


class Consent(models.Model):
    """One consent decision, kept with the exact wording the person agreed to.

    Append-only: withdrawing is a new row with ``granted=False``; the latest row per
    (person, organisation, purpose) is in force.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.CASCADE, related_name="consents"
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    granted = models.BooleanField(_("granted"))
    wording = models.TextField(_("wording agreed to"), max_length=2000)
    wording_language = models.CharField(_("language of the wording"), max_length=8, default="en")
    source = models.CharField(
        _("source"),
        max_length=200,
        help_text=_("Where it was given: a form, an import, in person."),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [
            models.Index(
                fields=["person", "organisation", "purpose", "-recorded_at"],
                name="consent_latest_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} / {self.organisation} / {self.purpose}: {self.granted}"
