from __future__ import annotations

from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from spilka.lib.translated import TranslatedField, pick


class ResourceKind(models.TextChoices):
    WEBSITE = "website", _("Website")
    SOCIAL = "social", _("Social media")
    RECORDING = "recording", _("Recording")
    DOCUMENT = "document", _("Document")


class ResourceLink(models.Model):
    """One link on an organisation's resources page (a link-in-bio page of its own)."""

    organisation = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="resource_links",
    )
    label = TranslatedField(_("label"), max_length=200, blank=False)
    url = models.URLField(
        pgettext_lazy("web", "address"),
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=ResourceKind.choices, default=ResourceKind.WEBSITE
    )
    position = models.PositiveIntegerField(pgettext_lazy("order", "position"), default=0)
    original_language = models.CharField(max_length=8, default="en", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "position", "id"]
        verbose_name = _("resource link")
        verbose_name_plural = _("resource links")

    def __str__(self) -> str:
        return pick(self.label, self.original_language).text or self.url
