from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from spilka.lib.slugs import SlugField
from spilka.lib.translated import TranslatedField, pick
from spilka.network.models.organisations import (
    ORIGINAL_LANGUAGE_CHOICES,
    validate_slug_not_reserved,
)


class Resolution(models.Model):
    """A model resolution a campaign asks bodies (branches, councils) to adopt."""

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="resolutions",
    )
    slug = SlugField(
        _("short address"), max_length=80, unique=True, validators=[validate_slug_not_reserved]
    )
    title = TranslatedField(_("title"), max_length=200, blank=False)
    original_language = models.CharField(
        _("original language"), max_length=8, choices=ORIGINAL_LANGUAGE_CHOICES, default="en"
    )
    is_public = models.BooleanField(_("public"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("model resolution")
        verbose_name_plural = _("model resolutions")

    def __str__(self) -> str:
        return pick(self.title, self.original_language).text or self.slug

    def get_absolute_url(self) -> str:
        return reverse("campaigns:resolution", kwargs={"slug": self.slug})


class ResolutionVersion(models.Model):
    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    text = TranslatedField(_("text"), max_length=30000, blank=False)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["resolution", "-number"]
        verbose_name = _("resolution version")
        verbose_name_plural = _("resolution versions")
        constraints = [
            models.UniqueConstraint(
                fields=["resolution", "number"], name="resolution_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resolution} v{self.number}"


class AdoptionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    TABLED = "tabled", _("Tabled")
    DEBATED = "debated", _("Debated")
    ADOPTED = "adopted", _("Adopted")
    ADOPTED_AMENDED = "adopted_amended", _("Adopted with amendments")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


ADOPTED_STATUSES = (AdoptionStatus.ADOPTED, AdoptionStatus.ADOPTED_AMENDED)


class Adoption(models.Model):
    """How one body is getting on with one resolution."""

    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="adoptions")
    body = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("body"),
        on_delete=models.PROTECT,
        related_name="adoptions",
    )
    version = models.ForeignKey(
        ResolutionVersion,
        verbose_name=_("version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=AdoptionStatus.choices, default=AdoptionStatus.PROPOSED
    )
    meeting_date = models.DateField(_("meeting date"), null=True, blank=True)
    amended_text = models.TextField(_("amended text"), max_length=30000, blank=True)
    evidence_url = models.URLField(_("minutes or evidence link"), max_length=500, blank=True)
    evidence_file = models.FileField(
        _("minutes or evidence file"), upload_to="evidence/", blank=True
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reported_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=1000, blank=True)

    class Meta:
        ordering = ["resolution", "-meeting_date"]
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")
        constraints = [
            models.UniqueConstraint(fields=["resolution", "body"], name="adoption_one_per_body"),
        ]

    def __str__(self) -> str:
        return f"{self.body} – {self.resolution}: {self.status}"

    @property
    def is_adopted(self) -> bool:
        return self.status in ADOPTED_STATUSES


class AdoptionUpdate(models.Model):
    """Each reported step, for the timeline and the history of an adoption."""

    adoption = models.ForeignKey(Adoption, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=20, choices=AdoptionStatus.choices)
    meeting_date = models.DateField(null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["adoption", "created_at"]

    def __str__(self) -> str:
        return f"{self.adoption_id}: {self.status}"
