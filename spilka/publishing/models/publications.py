from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from spilka.lib.languages import CONTENT_LANGUAGES
from spilka.lib.slugs import SlugField
from spilka.lib.translated import TranslatedField, pick
from spilka.network.models.organisations import (
    ORIGINAL_LANGUAGE_CHOICES,
    validate_slug_not_reserved,
)

# Long analyses run to tens of thousands of words; past this a text belongs in a PDF.
BODY_MAX_LENGTH = 200_000


class PublicationKind(models.TextChoices):
    ARTICLE = "article", _("Article")
    STATEMENT = "statement", _("Statement")
    REPORT = "report", _("Report")
    TRANSLATED = "translated", _("Translated material")
    PRESS_RELEASE = "press_release", _("Press release")


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", pgettext_lazy("publication status", "Published")


class Tag(models.Model):
    slug = SlugField(_("tag"), max_length=50, unique=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.slug


class Publication(models.Model):
    """An article, statement, report or press release; one row, every language on it.

    Title, summary and body are ``{language: text}`` maps. The original language is
    written by the author; other languages arrive only through the translation workflow,
    so a language is in the map exactly when its translation has been published.
    """

    slug = SlugField(
        _("short address"), max_length=80, unique=True, validators=[validate_slug_not_reserved]
    )
    organisation = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="publications",
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=PublicationKind.choices, default=PublicationKind.ARTICLE
    )
    original_language = models.CharField(
        _("original language"), max_length=8, choices=ORIGINAL_LANGUAGE_CHOICES, default="en"
    )
    title = TranslatedField(_("title"), max_length=300, blank=False)
    summary = TranslatedField(_("summary"), max_length=1000)
    body = TranslatedField(_("text (Markdown)"), max_length=BODY_MAX_LENGTH, blank=False)
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="+")
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_on", "-created_at"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        indexes = [
            models.Index(fields=["status", "-published_on"], name="publication_status_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_on__isnull=False),
                name="publication_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return pick(self.title, self.original_language).text or self.slug

    def get_absolute_url(self) -> str:
        return reverse("publishing:publication", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == PublicationStatus.PUBLISHED

    @property
    def languages(self) -> list[str]:
        """Languages the whole text is available in: the original and published translations."""
        return [code for code in CONTENT_LANGUAGES if self.title.get(code) and self.body.get(code)]


def _image_path(instance: PublicationImage, filename: str) -> str:
    return f"publishing/images/{filename}"


class PublicationImage(models.Model):
    """A picture an author uploaded for a publication, re-drawn without metadata."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("picture"), upload_to=_image_path)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["publication", "created_at"]
        verbose_name = _("picture")
        verbose_name_plural = _("pictures")

    def __str__(self) -> str:
        return self.image.name or ""
