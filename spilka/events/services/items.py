"""Removing and reordering what hangs off an event: speakers, questions, recordings."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from spilka.events.models import Event, Question, QuestionKind, Recording, Registration, Speaker
from spilka.lib.audit import audit_record, snapshot

# The kinds an organiser reorders and removes, by the name used in URLs.
ITEM_MODELS: dict[str, type[Speaker] | type[Question] | type[Recording]] = {
    "speaker": Speaker,
    "question": Question,
    "recording": Recording,
}
UP, DOWN = "up", "down"


def question_answer_count(question: Question) -> int:
    """How many registrations hold a real answer (not blank) to ``question``."""
    key = str(question.pk)
    answers = Registration.objects.filter(event_id=question.event_id).values_list(
        "answers", flat=True
    )
    return sum(
        1
        for given in answers
        if isinstance(given, dict) and given.get(key) not in (None, "", [], False)
    )


@transaction.atomic
def event_item_move(*, event: Event, by: Any, kind: str, pk: int, direction: str) -> bool:
    """Swap an item with its neighbour; False when it is already first (or last)."""
    model = ITEM_MODELS[kind]
    if direction not in (UP, DOWN):
        raise ValidationError(_("Choose to move up or down."))
    # Lock the event's row: two organisers reordering at once take turns.
    Event.objects.select_for_update(of=("self",)).filter(pk=event.pk).first()
    items: list[Speaker | Question | Recording] = list(
        model.objects.filter(event=event).order_by("position", "pk")
    )
    index = next((i for i, item in enumerate(items) if item.pk == pk), None)
    if index is None:
        raise ValidationError(_("That is not part of this event."))
    other = index - 1 if direction == UP else index + 1
    if other < 0 or other >= len(items):
        return False
    before = [item.pk for item in items]
    items[index], items[other] = items[other], items[index]
    # Numbered afresh: items made before positions existed all share 0.
    for position, item in enumerate(items):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])
    audit_record(
        actor=by,
        action=f"events.{kind}.moved",
        obj=items[other],
        organisation=event.organiser,
        before={"order": before},
        after={"order": [item.pk for item in items]},
    )
    return True


@transaction.atomic
def event_item_delete(*, event: Event, by: Any, kind: str, pk: int) -> None:
    """Remove a speaker, question or recording.

    A question somebody has answered is kept: its answers stay in the attendee list and
    the CSV export, which read the event's questions. Deleting it would silently drop them.
    """
    model = ITEM_MODELS[kind]
    item = model.objects.select_for_update().filter(event=event, pk=pk).first()
    if item is None:
        raise ValidationError(_("That is not part of this event."))
    if isinstance(item, Question):
        answered = question_answer_count(item)
        if answered:
            raise ValidationError(
                ngettext(
                    "%(count)d person has answered this question, so it stays: their answer "
                    "is kept in the attendee list and the export.",
                    "%(count)d people have answered this question, so it stays: their answers "
                    "are kept in the attendee list and the export.",
                    answered,
                )
                % {"count": answered}
            )
    before = snapshot(item)
    item.delete()
    audit_record(
        actor=by,
        action=f"events.{kind}.deleted",
        obj=event,
        organisation=event.organiser,
        before={kind: before},
    )


def _answers_given(question: Question) -> set[str]:
    key = str(question.pk)
    answers = Registration.objects.filter(event_id=question.event_id).values_list(
        "answers", flat=True
    )
    return {
        str(given[key])
        for given in answers
        if isinstance(given, dict) and given.get(key) not in (None, "", [], False)
    }


@transaction.atomic
def question_update(
    *,
    event: Event,
    by: Any,
    pk: int,
    label: dict[str, str],
    kind: str,
    required: bool,
    choices: list[str],
) -> Question:
    """Change a registration question's wording, kind, options or whether it is required.

    Once somebody has answered, what their answers mean is kept: the kind stays, and an
    option somebody chose stays among the options (new ones may be added, and the question
    reworded, which is how a typo gets fixed).
    """
    question = Question.objects.select_for_update().filter(event=event, pk=pk).first()
    if question is None:
        raise ValidationError(_("That is not part of this event."))
    given = _answers_given(question)
    if given and kind != question.kind:
        raise ValidationError(
            {"kind": _("People have answered this question, so its kind cannot change.")}
        )
    if given and kind == QuestionKind.CHOICE:
        dropped = sorted(given - set(choices))
        if dropped:
            raise ValidationError(
                {
                    "choices": _(
                        "These options have been chosen, so they stay: %(options)s. You may add "
                        "options or reword the question."
                    )
                    % {"options": ", ".join(dropped)}
                }
            )
    before = snapshot(question)
    question.label = label
    question.kind = kind
    question.required = required
    question.choices = choices if kind == QuestionKind.CHOICE else []
    question.full_clean()
    question.save()
    audit_record(
        actor=by,
        action="events.question.changed",
        obj=question,
        organisation=event.organiser,
        before=before,
        after=snapshot(question),
    )
    return question
