from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from spilka.network.models.organisations import ORIGINAL_LANGUAGE_CHOICES


class TaskState(models.TextChoices):
    UNTRANSLATED = "untranslated", _("Not translated")
    CLAIMED = "claimed", _("Claimed")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING_REVIEW = "waiting_review", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", pgettext_lazy("translation task", "Published")
    NEEDS_EDITING = "needs_editing", _("Needs editing (the original changed)")


# States in which a volunteer holds the task; the hold lapses at ``claimed_until``.
HELD_STATES = (TaskState.CLAIMED, TaskState.IN_PROGRESS)
# States whose text was made from a particular source: they go stale when it changes.
HASHED_STATES = (TaskState.WAITING_REVIEW, TaskState.APPROVED, TaskState.PUBLISHED)


class TranslationTask(models.Model):
    """Translating one item (any registered model) into one language.

    The draft lives here until it is published into the item's own ``TranslatedField``
    maps. ``source_hashes`` remembers, per field, the source text the translation was made
    from: when the item's source changes, the task needs editing.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    # The owning organisation when the task was made (kept by sync): queues filter on it.
    organisation = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="translation_tasks",
    )
    source_language = models.CharField(
        pgettext_lazy("translated from a language", "from"),
        max_length=8,
        choices=ORIGINAL_LANGUAGE_CHOICES,
    )
    target_language = models.CharField(
        pgettext_lazy("translated into a language", "into"),
        max_length=8,
        choices=ORIGINAL_LANGUAGE_CHOICES,
    )
    state = models.CharField(
        _("state"), max_length=20, choices=TaskState.choices, default=TaskState.UNTRANSLATED
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("translation task", "claimed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    claimed_until = models.DateTimeField(_("claim expires"), null=True, blank=True)
    translator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("translator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    draft = models.JSONField(_("draft"), default=dict, blank=True)  # {field: text}
    # Everyone who saved a draft of this task: none of them may review it.
    contributor_ids = models.JSONField(default=list, blank=True)
    source_hashes = models.JSONField(default=dict, blank=True)  # {field: sha256 of the source}
    machine_translated = models.BooleanField(_("pre-filled by machine translation"), default=False)
    review_note = models.TextField(_("reviewer's note"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organisation", "content_type", "object_id", "target_language"]
        verbose_name = _("translation task")
        verbose_name_plural = _("translation tasks")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "target_language"],
                name="translation_task_one_per_language",
            ),
            models.CheckConstraint(
                condition=~models.Q(source_language=models.F("target_language")),
                name="translation_task_other_language",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "state"], name="translation_task_org_state_idx"),
            models.Index(fields=["target_language", "state"], name="translation_task_lang_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} → {self.target_language}"

    def get_absolute_url(self) -> str:
        return reverse("publishing:task", kwargs={"pk": self.pk})

    @property
    def claim_expired(self) -> bool:
        return (
            self.state in HELD_STATES
            and self.claimed_until is not None
            and self.claimed_until <= timezone.now()
        )

    @property
    def is_available(self) -> bool:
        return self.state in (TaskState.UNTRANSLATED, TaskState.NEEDS_EDITING) or self.claim_expired


class TranslatorProfile(models.Model):
    """The languages a volunteer translates into: their queue shows those."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="translator_profile"
    )
    languages = models.JSONField(_("languages I translate into"), default=list, blank=True)

    class Meta:
        verbose_name = _("translator profile")
        verbose_name_plural = _("translator profiles")

    def __str__(self) -> str:
        return f"{self.user} ({', '.join(self.languages)})"
