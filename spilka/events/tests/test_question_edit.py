"""Organisers edit a registration question; answers already given keep their meaning."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from spilka.events.models import Question, Registration
from spilka.events.services import events as event_services
from spilka.events.services import items as item_services
from spilka.events.tests.conftest import make_event
from spilka.lib.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(ussc):
    return make_event(ussc)


@pytest.fixture
def meal(event):
    return event_services.question_add(
        event=event,
        by="test",
        label={"en": "Meal?"},
        kind="choice",
        choices=["Vegan", "Meat"],
    )


def _answer(event, question, value):
    Registration.objects.create(
        event=event,
        full_name="Ola",
        email=f"ola-{value.lower()}@example.org",
        answers={str(question.pk): value},
    )


def _edit(question, **overrides):
    fields = {
        "label": {"en": "Which meal?"},
        "kind": question.kind,
        "required": False,
        "choices": list(question.choices),
    }
    fields.update(overrides)
    return item_services.question_update(event=question.event, by="test", pk=question.pk, **fields)


def test_an_unanswered_question_changes_freely_with_an_audit_row(meal):
    _edit(meal, kind="text", required=True, choices=[])
    meal.refresh_from_db()
    assert (meal.label, meal.kind, meal.required, meal.choices) == (
        {"en": "Which meal?"},
        "text",
        True,
        [],
    )
    entry = AuditEntry.objects.get(action="events.question.changed")
    assert entry.before["kind"] == "choice" and entry.after["kind"] == "text"


def test_an_answered_question_is_reworded_and_gains_an_option(event, meal):
    _answer(event, meal, "Vegan")
    _edit(meal, choices=["Vegan", "Meat", "Halal"])
    meal.refresh_from_db()
    assert meal.label == {"en": "Which meal?"}
    assert meal.choices == ["Vegan", "Meat", "Halal"]


def test_an_option_somebody_chose_cannot_be_dropped(event, meal):
    _answer(event, meal, "Vegan")
    with pytest.raises(ValidationError, match="Vegan"):
        _edit(meal, choices=["Meat", "Fish"])
    meal.refresh_from_db()
    assert meal.choices == ["Vegan", "Meat"]
    # An option nobody chose may go.
    _edit(meal, choices=["Vegan", "Fish"])
    meal.refresh_from_db()
    assert meal.choices == ["Vegan", "Fish"]


def test_an_answered_question_keeps_its_kind(event, meal):
    _answer(event, meal, "Meat")
    with pytest.raises(ValidationError, match="kind cannot change"):
        _edit(meal, kind="text", choices=[])
    assert Question.objects.get(pk=meal.pk).kind == "choice"


def test_the_organiser_edits_a_question_from_the_manage_page(login, event, meal, ussc_organiser):
    client = login(ussc_organiser)
    manage = client.get(reverse("events:manage", kwargs={"slug": event.slug})).content.decode()
    url = reverse("events:question_edit", args=[event.slug, meal.pk])
    assert url in manage
    form = client.get(url).content.decode()
    assert "Vegan\nMeat" in form
    response = client.post(
        url,
        {
            "label_en": "Which meal would you like?",
            "kind": "choice",
            "choices_text": "Vegan\nMeat\nHalal",
        },
    )
    assert response.status_code == 302
    meal.refresh_from_db()
    assert meal.label["en"] == "Which meal would you like?"
    assert meal.choices == ["Vegan", "Meat", "Halal"]


def test_dropping_a_chosen_option_from_the_page_is_refused_with_the_typed_text_kept(
    login, event, meal, ussc_organiser
):
    _answer(event, meal, "Vegan")
    client = login(ussc_organiser)
    url = reverse("events:question_edit", args=[event.slug, meal.pk])
    response = client.post(
        url, {"label_en": "Reworded", "kind": "choice", "choices_text": "Meat\nFish"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "These options have been chosen, so they stay: Vegan" in page
    assert "Reworded" in page and "Meat\nFish" in page
    assert Question.objects.get(pk=meal.pk).choices == ["Vegan", "Meat"]


def test_people_who_cannot_run_the_event_cannot_edit_its_questions(login, meal, ussc_viewer):
    url = reverse("events:question_edit", args=[meal.event.slug, meal.pk])
    # A viewer of the organisation is refused (403), as on the rest of the manage pages.
    assert login(ussc_viewer).get(url).status_code == 403
    assert login(ussc_viewer).post(url, {"label_en": "x", "kind": "text"}).status_code == 403
    assert not AuditEntry.objects.filter(action="events.question.changed").exists()
