"""The volunteer translation workflow.

untranslated → claimed → in progress → waiting for review → approved → published, and
needs editing when the original changes after translation. One task per (item, target
language), for any model registered with ``spilka.lib.translation_registry``.

Claims are taken with one conditional UPDATE, so of two volunteers claiming at once
exactly one wins. A claim lapses after ``SPILKA_TRANSLATION_CLAIM_HOURS`` (48) hours
without a saved draft; a lapsed task is open to anyone again, draft included.
"""

from __future__ import annotations

import datetime
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Field, Model, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from spilka.lib.audit import audit_record
from spilka.lib.languages import CONTENT_LANGUAGES, LANGUAGE_NAMES
from spilka.publishing import access
from spilka.publishing.machine import MachineTranslationError, MachineTranslator, machine_backend
from spilka.publishing.models import (
    HELD_STATES,
    TaskState,
    TranslationTask,
    TranslatorProfile,
)
from spilka.publishing.services.translation_sources import (
    source_hashes,
    source_texts,
    spec_for,
    translation_audit,
)


def _concrete_field(item: Model, name: str) -> Field[Any, Any]:
    """A translatable field of ``item`` (always a concrete field, never a relation)."""
    return cast("Field[Any, Any]", item._meta.get_field(name))


def claim_hours() -> int:
    return int(getattr(settings, "SPILKA_TRANSLATION_CLAIM_HOURS", 48))


def field_max_length(obj: models.Model, field: str) -> int | None:
    return getattr(obj._meta.get_field(field), "text_max_length", None)


def _locked(task: TranslationTask) -> TranslationTask:
    return (
        TranslationTask.objects.select_for_update(of=("self",))
        .select_related("organisation", "content_type")
        .get(pk=task.pk)
    )


def _item(task: TranslationTask, *, lock: bool = False) -> models.Model:
    model = task.content_type.model_class()
    assert model is not None
    qs = model._default_manager.all()
    if lock:
        qs = qs.select_for_update()
    return qs.get(pk=task.object_id)


# --- A volunteer's steps --------------------------------------------------------------------
def _available_q(now: datetime.datetime) -> Q:
    return Q(state__in=[TaskState.UNTRANSLATED, TaskState.NEEDS_EDITING]) | Q(
        state__in=HELD_STATES, claimed_until__lte=now
    )


@transaction.atomic
def translation_claim(
    *, task: TranslationTask, by: Any, now: datetime.datetime | None = None
) -> TranslationTask:
    if not access.task_can_work(user=by, task=task):
        raise PermissionDenied
    now = now or timezone.now()
    won = TranslationTask.objects.filter(_available_q(now), pk=task.pk).update(
        state=TaskState.CLAIMED,
        claimed_by=by,
        claimed_until=now + datetime.timedelta(hours=claim_hours()),
        updated_at=now,
    )
    task = _locked(task)
    if not won:
        if task.state in HELD_STATES and task.claimed_by_id == by.pk:
            return task  # already theirs
        if task.state in HELD_STATES:
            raise ValidationError(
                _("Someone else has claimed this task; try another one."), code="claimed"
            )
        raise ValidationError(_("This task is not open for translation now."), code="state")
    if not any(task.draft.values()):
        # Needs editing: start from the published translation, not from nothing.
        item = _item(task)
        task.draft = {
            field: (getattr(item, field) or {}).get(task.target_language, "")
            for field in spec_for(item).fields
        }
        task.save(update_fields=["draft"])
    translation_audit(task, by, "claimed", until=task.claimed_until)
    return task


def _require_holder(task: TranslationTask, by: Any, now: datetime.datetime) -> None:
    # A holder whose role in the organisation was withdrawn stops here too.
    if not access.task_can_work(user=by, task=task):
        raise PermissionDenied
    if task.state not in HELD_STATES or task.claimed_by_id != getattr(by, "pk", None):
        raise ValidationError(_("Claim the task before working on it."), code="not_claimed")
    if task.claimed_until is not None and task.claimed_until <= now:
        raise ValidationError(
            _("Your claim has expired; claim the task again to go on."), code="expired"
        )


def _clean_draft(item: models.Model, texts: dict[str, str]) -> dict[str, str]:
    spec = spec_for(item)
    unknown = set(texts) - set(spec.fields)
    if unknown:
        raise ValidationError(
            _("Unknown part of the text: %(name)s."), params={"name": ", ".join(sorted(unknown))}
        )
    cleaned = {}
    for field in spec.fields:
        text = (texts.get(field) or "").replace("\r\n", "\n").strip()
        limit = field_max_length(item, field)
        if limit is not None and len(text) > limit:
            raise ValidationError(
                _("The %(part)s is %(length)d characters long; the limit is %(limit)d."),
                code="max_length",
                params={
                    "part": _concrete_field(item, field).verbose_name,
                    "length": len(text),
                    "limit": limit,
                },
            )
        cleaned[field] = text
    return cleaned


@transaction.atomic
def translation_save_draft(
    *,
    task: TranslationTask,
    by: Any,
    texts: dict[str, str],
    machine: bool = False,
    now: datetime.datetime | None = None,
) -> TranslationTask:
    now = now or timezone.now()
    task = _locked(task)
    _require_holder(task, by, now)
    item = _item(task)
    task.draft = _clean_draft(item, texts)
    if by.pk not in task.contributor_ids:
        task.contributor_ids = [*task.contributor_ids, by.pk]
    task.source_hashes = source_hashes(item, task.source_language)
    task.state = TaskState.IN_PROGRESS
    # Working on it keeps it: the claim runs from the last saved draft.
    task.claimed_until = now + datetime.timedelta(hours=claim_hours())
    if machine:
        task.machine_translated = True
    task.save()
    if machine:
        translation_audit(task, by, "machine_prefilled")
    return task


def translation_machine_prefill(
    *, task: TranslationTask, by: Any, backend: MachineTranslator | None = None
) -> TranslationTask:
    """Ask the configured machine translation for a first draft (outside any transaction)."""
    backend = backend or machine_backend()
    if backend is None:
        raise ValidationError(_("Machine translation is not set up on this site."), code="off")
    now = timezone.now()
    task = TranslationTask.objects.select_related("content_type", "organisation").get(pk=task.pk)
    _require_holder(task, by, now)
    item = _item(task)
    texts = {}
    try:
        for field, text in source_texts(spec_for(item), item, task.source_language).items():
            # Paragraph by paragraph, so the draft keeps the original's structure.
            parts = text.split("\n\n")
            texts[field] = "\n\n".join(
                backend.translate(text=p, source=task.source_language, target=task.target_language)
                if p.strip()
                else ""
                for p in parts
            )
    except MachineTranslationError:
        raise ValidationError(
            _(
                "The machine translation service did not answer; try again later or translate by hand."
            ),
            code="unavailable",
        ) from None
    return translation_save_draft(task=task, by=by, texts=texts, machine=True)


@transaction.atomic
def translation_release(*, task: TranslationTask, by: Any) -> TranslationTask:
    task = _locked(task)
    if task.state not in HELD_STATES or task.claimed_by_id != by.pk:
        raise ValidationError(_("This task is not claimed by you."), code="not_claimed")
    task.state = TaskState.NEEDS_EDITING if task.published_at else TaskState.UNTRANSLATED
    task.claimed_by = None
    task.claimed_until = None
    task.save()
    translation_audit(task, by, "released")
    return task


@transaction.atomic
def translation_submit(
    *, task: TranslationTask, by: Any, now: datetime.datetime | None = None
) -> TranslationTask:
    now = now or timezone.now()
    task = _locked(task)
    _require_holder(task, by, now)
    item = _item(task)
    sources = source_texts(spec_for(item), item, task.source_language)
    missing = [
        str(_concrete_field(item, f).verbose_name)
        for f, text in sources.items()
        if text and not (task.draft.get(f) or "").strip()
    ]
    if missing:
        raise ValidationError(
            _("Translate every part before sending it for review: %(parts)s."),
            code="incomplete",
            params={"parts": ", ".join(missing)},
        )
    task.state = TaskState.WAITING_REVIEW
    task.translator = by
    task.reviewer = None
    task.claimed_until = None
    task.review_note = ""
    task.save()
    translation_audit(task, by, "submitted", machine_translated=task.machine_translated)
    return task


def _require_reviewer(task: TranslationTask, by: Any) -> None:
    if not access.task_can_work(user=by, task=task):
        raise PermissionDenied
    if task.translator_id == by.pk or by.pk in task.contributor_ids:
        raise ValidationError(
            _("You translated this; someone else must review it."), code="own_translation"
        )


def _require_fresh(task: TranslationTask, item: models.Model) -> None:
    if source_hashes(item, task.source_language) != task.source_hashes:
        raise ValidationError(
            _("The original has changed since this was translated: it needs editing first."),
            code="stale",
        )


@transaction.atomic
def translation_approve(*, task: TranslationTask, by: Any) -> TranslationTask:
    task = _locked(task)
    _require_reviewer(task, by)
    if task.state != TaskState.WAITING_REVIEW:
        raise ValidationError(
            _("Only a translation waiting for review can be approved."), code="state"
        )
    _require_fresh(task, _item(task))
    task.state = TaskState.APPROVED
    task.reviewer = by
    task.save()
    translation_audit(task, by, "approved")
    return task


@transaction.atomic
def translation_return(*, task: TranslationTask, by: Any, note: str) -> TranslationTask:
    """Send a submitted translation back to its translator with a note."""
    task = _locked(task)
    _require_reviewer(task, by)
    if task.state not in (TaskState.WAITING_REVIEW, TaskState.APPROVED):
        raise ValidationError(_("Only a translation under review can be sent back."), code="state")
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("Say what needs changing."), code="note_required")
    if len(note) > 2000:
        raise ValidationError(_("Keep the note under 2,000 characters."), code="note_long")
    task.state = TaskState.IN_PROGRESS
    task.claimed_by = task.translator
    task.claimed_until = timezone.now() + datetime.timedelta(hours=claim_hours())
    task.review_note = note
    task.save()
    translation_audit(task, by, "returned")
    return task


@transaction.atomic
def translation_publish(*, task: TranslationTask, by: Any) -> TranslationTask:
    """Write the approved translation into the item's own maps, with an audit row."""
    task = _locked(task)
    _require_reviewer(task, by)
    if task.state != TaskState.APPROVED:
        raise ValidationError(
            _("Only an approved translation can be published: it needs a review first."),
            code="not_approved",
        )
    item = _item(task, lock=True)
    _require_fresh(task, item)
    spec = spec_for(item)
    before, after = {}, {}
    for field in spec.fields:
        values = dict(getattr(item, field) or {})
        before[field] = values.get(task.target_language, "")
        text = (task.draft.get(field) or "").strip()
        if text:
            values[task.target_language] = text
        else:
            values.pop(task.target_language, None)
        _concrete_field(item, field).validate(values, item)
        setattr(item, field, values)
        after[field] = text
    item.save(update_fields=list(spec.fields))
    task.state = TaskState.PUBLISHED
    task.published_at = timezone.now()
    task.claimed_by = None
    task.claimed_until = None
    task.save()
    audit_record(
        actor=by,
        action="publishing.translation.published",
        obj=item,
        organisation=task.organisation,
        before={"language": task.target_language, **before},
        after={"language": task.target_language, "task": task.pk, **after},
    )
    return task


@transaction.atomic
def translation_claims_expire(*, now: datetime.datetime | None = None) -> int:
    """Free lapsed claims (drafts are kept for whoever claims next); how many."""
    now = now or timezone.now()
    lapsed = TranslationTask.objects.filter(state__in=HELD_STATES, claimed_until__lte=now)
    count = lapsed.filter(published_at__isnull=False).update(
        state=TaskState.NEEDS_EDITING, claimed_by=None, claimed_until=None, updated_at=now
    )
    count += lapsed.filter(published_at__isnull=True).update(
        state=TaskState.UNTRANSLATED, claimed_by=None, claimed_until=None, updated_at=now
    )
    return count


# --- Translator profile -------------------------------------------------------------------
@transaction.atomic
def translator_languages_set(*, user: Any, languages: list[str]) -> Any:
    unknown = [code for code in languages if code not in CONTENT_LANGUAGES]
    if unknown:
        raise ValidationError(
            _("Unknown language code: %(code)s."),
            code="language",
            params={"code": ", ".join(unknown)},
        )
    profile, _created = TranslatorProfile.objects.get_or_create(user=user)
    profile.languages = [code for code in CONTENT_LANGUAGES if code in languages]
    profile.save()
    return profile


def language_name(code: str) -> str:
    return str(LANGUAGE_NAMES.get(code, code))
