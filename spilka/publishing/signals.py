"""Translations go stale the moment their original is saved, whichever app saves it.

Publications check their tasks in ``publication_update``; campaigns, petitions,
resolutions and statements are edited through their own app's services, which know
nothing of translation. A ``post_save`` receiver on every model registered with
``spilka.lib.translation_registry`` compares the saved source with the hashes of the tasks made
from it, inside the same transaction, so a translation needs editing without waiting for
``translation_sync``. (Writes through ``QuerySet.update()`` send no signal: the task pages
show those as needing editing, the next POST on the task records it, and the hourly
``translation_sync`` catches the rest.)
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from spilka.lib.translation_registry import translatable_spec_for
from spilka.publishing.models import HASHED_STATES, TranslationTask
from spilka.publishing.services.translation_sources import translation_tasks_refresh


def translatable_source_saved(
    sender: type[models.Model],
    instance: models.Model,
    created: bool = False,
    raw: bool = False,
    update_fields: Any = None,
    **kwargs: Any,
) -> None:
    if raw or created:
        return
    spec = translatable_spec_for(sender)
    if spec is None:
        return
    if update_fields is not None and not (set(update_fields) & {*spec.fields, "original_language"}):
        return

    tasks = list(
        TranslationTask.objects.select_related("organisation", "content_type").filter(
            content_type=ContentType.objects.get_for_model(sender),
            object_id=instance.pk,
            state__in=HASHED_STATES,
        )
    )
    for task in tasks:
        task.item = instance  # the saved object itself, no query per task
    translation_tasks_refresh(tasks)
