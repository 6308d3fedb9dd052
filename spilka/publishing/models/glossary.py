from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from spilka.lib.languages import CONTENT_LANGUAGES
from spilka.lib.translated import TranslatedField, pick


class GlossaryTerm(models.Model):
    """A name or term with its agreed rendering in each language, for the whole network."""

    renderings = TranslatedField(_("renderings"), max_length=200, blank=False)
    note = TranslatedField(_("note for translators"), max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")

    def __str__(self) -> str:
        return pick(self.renderings, "en").text or str(self.pk)

    @property
    def renderings_row(self) -> list[tuple[str, str]]:
        return [(code, self.renderings.get(code, "")) for code in CONTENT_LANGUAGES]
