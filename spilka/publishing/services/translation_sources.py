"""The texts a translation is made from, and keeping each item's tasks in step with them.

One task per (item, other language): made when an item is saved, marked "needs editing"
when its source text changes after translation (compared by hash, field by field).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from spilka.lib.audit import audit_record
from spilka.lib.languages import CONTENT_LANGUAGES
from spilka.lib.translation_registry import (
    TranslatableSpec,
    translatable_spec_for,
    translatable_specs,
)
from spilka.publishing.models import HASHED_STATES, TaskState, TranslationTask


def text_hash(text: str) -> str:
    normalised = (text or "").replace("\r\n", "\n").strip()
    return hashlib.sha256(normalised.encode()).hexdigest()


def spec_for(obj: models.Model) -> TranslatableSpec:
    spec = translatable_spec_for(type(obj))
    if spec is None:
        raise ValueError(f"{obj._meta.label} is not registered as translatable")
    return spec


def source_texts(task_or_spec: Any, obj: models.Model, source: str) -> dict[str, str]:
    spec = task_or_spec if isinstance(task_or_spec, TranslatableSpec) else spec_for(obj)
    return {field: (getattr(obj, field) or {}).get(source, "") for field in spec.fields}


def source_hashes(obj: models.Model, source: str) -> dict[str, str]:
    return {
        field: text_hash(text) for field, text in source_texts(spec_for(obj), obj, source).items()
    }


def translation_audit(task: TranslationTask, by: Any, action: str, **after: Any) -> None:
    audit_record(
        actor=by,
        action=f"publishing.translation.{action}",
        obj=task,
        organisation=task.organisation,
        after={
            "item": f"{task.content_type.app_label}.{task.content_type.model}:{task.object_id}",
            "language": task.target_language,
            "state": task.state,
            **after,
        },
    )


@transaction.atomic
def translation_tasks_ensure(*, obj: models.Model, by: Any = "system") -> list[TranslationTask]:
    """One task per other language for ``obj``; mark tasks stale whose source changed.

    A language that already has text when its task is first made (written by the author
    before the workflow existed) counts as published from the current source.
    """
    spec = spec_for(obj)
    source = spec.source_language(obj)
    organisation = spec.organisation(obj)
    content_type = ContentType.objects.get_for_model(obj)
    hashes = source_hashes(obj, source)
    texts = source_texts(spec, obj, source)
    tasks = {
        t.target_language: t
        for t in TranslationTask.objects.select_related("content_type", "organisation").filter(
            content_type=content_type, object_id=obj.pk
        )
    }
    if source in tasks:
        # The original language itself changed: that language is the source now.
        tasks.pop(source).delete()
    result = []
    for language in CONTENT_LANGUAGES:
        if language == source:
            continue
        task = tasks.get(language)
        if task is None:
            complete = all((getattr(obj, f) or {}).get(language) for f in spec.fields if texts[f])
            task = TranslationTask(
                content_type=content_type,
                object_id=obj.pk,
                organisation=organisation,
                source_language=source,
                target_language=language,
                state=TaskState.PUBLISHED if complete else TaskState.UNTRANSLATED,
                source_hashes=hashes if complete else {},
            )
            try:
                with transaction.atomic():
                    task.save()
            except IntegrityError:  # made at the same moment by another request
                task = TranslationTask.objects.get(
                    content_type=content_type, object_id=obj.pk, target_language=language
                )
        else:
            changed = []
            if task.source_language != source:
                task.source_language = source
                changed.append("source_language")
            org_id = organisation.pk if organisation is not None else None
            if task.organisation_id != org_id:
                task.organisation = organisation
                changed.append("organisation")
            if task.state in HASHED_STATES and task.source_hashes != hashes:
                task.state = TaskState.NEEDS_EDITING
                changed.append("state")
            if changed:
                task.save(update_fields=[*changed, "updated_at"])
                if "state" in changed:
                    translation_audit(task, by, "needs_editing")
        result.append(task)
    return result


def translation_tasks_refresh(
    tasks: Iterable[TranslationTask], by: Any = "system", *, save: bool = True
) -> int:
    """Mark stale the listed tasks (items prefetched) whose source changed; how many.

    With ``save=False`` (pages answering a GET) only the objects in memory change: a GET
    never writes. Saving the source already records it (``spilka.publishing.signals``).
    """
    stale = []
    for task in tasks:
        item = task.item
        if item is None or task.state not in HASHED_STATES:
            continue
        if source_hashes(item, task.source_language) != task.source_hashes:
            stale.append(task)
    if not stale:
        return 0
    if not save:
        for task in stale:
            task.state = TaskState.NEEDS_EDITING
        return len(stale)
    with transaction.atomic():
        for task in stale:
            updated = TranslationTask.objects.filter(pk=task.pk, state=task.state).update(
                state=TaskState.NEEDS_EDITING, updated_at=timezone.now()
            )
            task.state = TaskState.NEEDS_EDITING
            if updated:
                translation_audit(task, by, "needs_editing")
    return len(stale)


def translation_sync(*, organisation: Any = None, by: Any = "system") -> int:
    """Tasks for every registered item (of one organisation): for the command and organisers."""
    count = 0
    for spec in translatable_specs():
        for obj in spec.model._default_manager.all().iterator(chunk_size=200):
            owner = spec.organisation(obj)
            if organisation is not None and (owner is None or owner.pk != organisation.pk):
                continue
            count += len(translation_tasks_ensure(obj=obj, by=by))
    return count
