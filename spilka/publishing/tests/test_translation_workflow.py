"""The translation workflow's rules, through its services."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from spilka.lib.models import AuditEntry
from spilka.publishing.models import TaskState
from spilka.publishing.services import publications as publication_services
from spilka.publishing.services import translation as services
from spilka.publishing.services import translation_sources as sources
from spilka.publishing.tests.conftest import POLISH, publication_reload, task_for

pytestmark = pytest.mark.django_db


def test_a_new_publication_gets_one_untranslated_task_per_other_language(publication):
    tasks = {lang: task_for(publication, lang) for lang in ("uk", "pl", "ru")}
    assert {t.state for t in tasks.values()} == {TaskState.UNTRANSLATED}
    assert all(t.organisation == publication.organisation for t in tasks.values())
    with pytest.raises(Exception):
        task_for(publication, "en")


def test_a_translator_of_the_organisation_claims_an_open_task(task_pl, ussc_translator):
    task = services.translation_claim(task=task_pl, by=ussc_translator)
    assert task.state == TaskState.CLAIMED
    assert task.claimed_by == ussc_translator
    hours = (task.claimed_until - timezone.now()).total_seconds() / 3600
    assert 47.9 < hours <= 48
    assert AuditEntry.objects.filter(action="publishing.translation.claimed").exists()


def test_claiming_a_task_someone_else_holds_is_refused(
    task_pl, ussc_translator, ussc_translator_two
):
    services.translation_claim(task=task_pl, by=ussc_translator)
    with pytest.raises(ValidationError, match="Someone else has claimed"):
        services.translation_claim(task=task_pl, by=ussc_translator_two)


def test_a_claim_expires_and_another_volunteer_may_take_the_task(
    task_pl, ussc_translator, ussc_translator_two, settings
):
    settings.SPILKA_TRANSLATION_CLAIM_HOURS = 2
    start = timezone.now()
    services.translation_claim(task=task_pl, by=ussc_translator, now=start)
    with pytest.raises(ValidationError):
        services.translation_claim(
            task=task_pl, by=ussc_translator_two, now=start + datetime.timedelta(hours=1)
        )
    later = start + datetime.timedelta(hours=2, minutes=1)
    task = services.translation_claim(task=task_pl, by=ussc_translator_two, now=later)
    assert task.claimed_by == ussc_translator_two


def test_the_first_holder_cannot_save_a_draft_once_their_claim_expired(task_pl, ussc_translator):
    start = timezone.now()
    services.translation_claim(task=task_pl, by=ussc_translator, now=start)
    with pytest.raises(ValidationError, match="expired"):
        services.translation_save_draft(
            task=task_pl,
            by=ussc_translator,
            texts=POLISH,
            now=start + datetime.timedelta(hours=49),
        )


def test_expired_claims_are_freed_by_the_sweep(task_pl, ussc_translator):
    start = timezone.now()
    services.translation_claim(task=task_pl, by=ussc_translator, now=start)
    assert services.translation_claims_expire(now=start + datetime.timedelta(hours=47)) == 0
    # The demo's own Polish claim lapses too.
    assert services.translation_claims_expire(now=start + datetime.timedelta(hours=49)) >= 1
    task_pl.refresh_from_db()
    assert task_pl.state == TaskState.UNTRANSLATED
    assert task_pl.claimed_by is None


def test_saving_a_draft_renews_the_claim(task_pl, ussc_translator):
    start = timezone.now()
    services.translation_claim(task=task_pl, by=ussc_translator, now=start)
    later = start + datetime.timedelta(hours=40)
    task = services.translation_save_draft(
        task=task_pl, by=ussc_translator, texts=POLISH, now=later
    )
    assert task.state == TaskState.IN_PROGRESS
    assert task.claimed_until == later + datetime.timedelta(hours=48)


def test_someone_without_a_role_in_the_organisation_cannot_claim(task_pl, razem_organiser):
    with pytest.raises(PermissionDenied):
        services.translation_claim(task=task_pl, by=razem_organiser)


def test_a_viewer_of_the_organisation_cannot_claim(task_pl, ussc_viewer):
    with pytest.raises(PermissionDenied):
        services.translation_claim(task=task_pl, by=ussc_viewer)


def test_only_the_holder_saves_drafts(task_pl, ussc_translator, ussc_translator_two):
    services.translation_claim(task=task_pl, by=ussc_translator)
    with pytest.raises(ValidationError, match="Claim the task"):
        services.translation_save_draft(task=task_pl, by=ussc_translator_two, texts=POLISH)


def test_submitting_needs_every_part_translated(task_pl, ussc_translator):
    services.translation_claim(task=task_pl, by=ussc_translator)
    services.translation_save_draft(
        task=task_pl, by=ussc_translator, texts={"title": "Notatki", "summary": "", "body": ""}
    )
    with pytest.raises(ValidationError, match="Translate every part"):
        services.translation_submit(task=task_pl, by=ussc_translator)


def test_an_oversized_draft_is_refused_with_the_limit(task_pl, ussc_translator):
    services.translation_claim(task=task_pl, by=ussc_translator)
    with pytest.raises(ValidationError) as error:
        services.translation_save_draft(
            task=task_pl, by=ussc_translator, texts={**POLISH, "body": "x" * 200_001}
        )
    assert "200001" in str(error.value) and "200000" in str(error.value)


def test_a_draft_for_an_unknown_field_is_refused(task_pl, ussc_translator):
    services.translation_claim(task=task_pl, by=ussc_translator)
    with pytest.raises(ValidationError, match="Unknown part"):
        services.translation_save_draft(task=task_pl, by=ussc_translator, texts={"slug": "x"})


def test_the_translator_cannot_review_their_own_translation(translated_pl, ussc_translator):
    with pytest.raises(ValidationError, match="someone else must review"):
        services.translation_approve(task=translated_pl, by=ussc_translator)


def test_another_translator_approves_and_it_is_audited(translated_pl, ussc_translator_two):
    task = services.translation_approve(task=translated_pl, by=ussc_translator_two)
    assert task.state == TaskState.APPROVED
    assert task.reviewer == ussc_translator_two
    assert AuditEntry.objects.filter(
        action="publishing.translation.approved", object_id=str(task.pk)
    ).exists()


def test_publishing_without_review_is_refused(translated_pl, ussc_organiser, publication):
    with pytest.raises(ValidationError, match="needs a review first"):
        services.translation_publish(task=translated_pl, by=ussc_organiser)
    assert "pl" not in publication_reload(publication).title


def test_publishing_writes_the_translation_into_the_publication_with_an_audit_row(
    translated_pl, ussc_organiser, publication
):
    services.translation_approve(task=translated_pl, by=ussc_organiser)
    task = services.translation_publish(task=translated_pl, by=ussc_organiser)
    assert task.state == TaskState.PUBLISHED
    fresh = publication_reload(publication)
    assert fresh.title["pl"] == POLISH["title"]
    assert fresh.body["pl"] == POLISH["body"]
    assert "pl" in fresh.languages
    entry = AuditEntry.objects.get(
        action="publishing.translation.published", object_id=str(publication.pk)
    )
    assert entry.object_type == "publishing.publication"
    assert entry.after["title"] == POLISH["title"]
    assert entry.before["title"] == ""


def _published_pl(translated_pl, reviewer):
    services.translation_approve(task=translated_pl, by=reviewer)
    return services.translation_publish(task=translated_pl, by=reviewer)


def test_editing_the_original_marks_the_published_translation_as_needing_edits(
    translated_pl, ussc_organiser, publication
):
    _published_pl(translated_pl, ussc_organiser)
    uk = task_for(publication, "uk")
    publication_services.publication_update(
        publication=publication,
        by=ussc_organiser,
        body={
            **publication_reload(publication).body,
            "en": "A rewritten first paragraph.\n\nSecond paragraph.",
        },
    )
    assert task_for(publication, "pl").state == TaskState.NEEDS_EDITING
    assert task_for(publication, "uk").state == uk.state == TaskState.UNTRANSLATED
    # The old Polish text stays readable until someone updates it.
    assert publication_reload(publication).title["pl"] == POLISH["title"]


def test_editing_only_tags_leaves_translations_alone(translated_pl, ussc_organiser, publication):
    _published_pl(translated_pl, ussc_organiser)
    publication_services.publication_update(publication=publication, by=ussc_organiser, tags=["x"])
    assert task_for(publication, "pl").state == TaskState.PUBLISHED


def test_a_task_needing_edits_is_claimed_with_the_published_text_as_its_draft(
    translated_pl, ussc_organiser, ussc_translator_two, publication
):
    _published_pl(translated_pl, ussc_organiser)
    publication_services.publication_update(
        publication=publication,
        by=ussc_organiser,
        title={**publication_reload(publication).title, "en": "Teach-in notes, revised"},
    )
    task = task_for(publication, "pl")
    task.draft = {}
    task.save()
    task = services.translation_claim(task=task, by=ussc_translator_two)
    assert task.draft["title"] == POLISH["title"]


def test_approving_after_the_original_changed_is_refused(
    translated_pl, ussc_organiser, publication
):
    from spilka.publishing.models import Publication

    # Changed behind the workflow's back (another app's own edit form, say).
    Publication.objects.filter(pk=publication.pk).update(title={"en": "Changed"})
    with pytest.raises(ValidationError, match="original has changed"):
        services.translation_approve(task=translated_pl, by=ussc_organiser)
    assert sources.translation_tasks_refresh([task_for(publication, "pl")]) == 1
    assert task_for(publication, "pl").state == TaskState.NEEDS_EDITING


def test_a_reviewer_sends_a_translation_back_with_a_note(
    translated_pl, ussc_organiser, ussc_translator
):
    with pytest.raises(ValidationError, match="Say what needs changing"):
        services.translation_return(task=translated_pl, by=ussc_organiser, note="  ")
    task = services.translation_return(
        task=translated_pl, by=ussc_organiser, note="Check the title."
    )
    assert task.state == TaskState.IN_PROGRESS
    assert task.claimed_by == ussc_translator
    assert task.review_note == "Check the title."


def test_releasing_a_claim_keeps_the_draft(task_pl, ussc_translator):
    services.translation_claim(task=task_pl, by=ussc_translator)
    services.translation_save_draft(task=task_pl, by=ussc_translator, texts=POLISH)
    task = services.translation_release(task=task_pl, by=ussc_translator)
    assert task.state == TaskState.UNTRANSLATED
    assert task.draft["title"] == POLISH["title"]


class FakeMachine:
    calls: list[tuple[str, str, str]] = []

    def translate(self, *, text, source, target):
        FakeMachine.calls.append((text, source, target))
        return f"[{target}] {text}"


class BrokenMachine:
    def translate(self, *, text, source, target):
        from spilka.publishing.machine import MachineTranslationError

        raise MachineTranslationError("timed out")


def test_machine_translation_is_off_by_default(task_pl, ussc_translator):
    services.translation_claim(task=task_pl, by=ussc_translator)
    with pytest.raises(ValidationError, match="not set up"):
        services.translation_machine_prefill(task=task_pl, by=ussc_translator)


def test_machine_prefill_fills_each_paragraph_and_marks_the_draft(
    task_pl, ussc_translator, settings
):
    settings.SPILKA_MACHINE_TRANSLATION_BACKEND = (
        "spilka.publishing.tests.test_translation_workflow.FakeMachine"
    )
    FakeMachine.calls = []
    services.translation_claim(task=task_pl, by=ussc_translator)
    task = services.translation_machine_prefill(task=task_pl, by=ussc_translator)
    assert task.machine_translated
    assert (
        task.draft["body"]
        == "[pl] First paragraph about Sotsialnyi Rukh.\n\n[pl] Second paragraph."
    )
    assert ("Second paragraph.", "en", "pl") in FakeMachine.calls
    # Still a draft: it needs submitting and a human review.
    assert task.state == TaskState.IN_PROGRESS


def test_a_machine_translation_failure_gives_a_clear_message(task_pl, ussc_translator, settings):
    settings.SPILKA_MACHINE_TRANSLATION_BACKEND = (
        "spilka.publishing.tests.test_translation_workflow.BrokenMachine"
    )
    services.translation_claim(task=task_pl, by=ussc_translator)
    with pytest.raises(ValidationError, match="did not answer"):
        services.translation_machine_prefill(task=task_pl, by=ussc_translator)


def test_machine_prefill_needs_a_claim(task_pl, ussc_translator, settings):
    settings.SPILKA_MACHINE_TRANSLATION_BACKEND = (
        "spilka.publishing.tests.test_translation_workflow.FakeMachine"
    )
    with pytest.raises(ValidationError, match="Claim the task"):
        services.translation_machine_prefill(task=task_pl, by=ussc_translator)


def test_unknown_languages_are_refused_for_a_translator_profile(ussc_translator):
    with pytest.raises(ValidationError, match="Unknown language"):
        services.translator_languages_set(user=ussc_translator, languages=["pl", "xx"])
    profile = services.translator_languages_set(user=ussc_translator, languages=["pl", "en"])
    assert profile.languages == ["en", "pl"]


def test_a_petition_is_translated_through_the_same_workflow(demo, usc_admin):
    from spilka.campaigns.models import Petition
    from spilka.network import services as network_services

    petition = Petition.objects.get(slug="iaea-zaporizhzhia")
    sources.translation_tasks_ensure(obj=petition)
    task = task_for(petition, "ru")
    if task.state == TaskState.PUBLISHED:
        pytest.skip("the demo petition already has Russian text")
    translator = demo["ukraine-solidarity-campaign"]
    from spilka.lib.testing import user_with_roles

    volunteer = user_with_roles("ru@usc.test", [(translator, "translator")])
    network_services  # noqa: B018 (imported for its side effect on role caches)
    services.translation_claim(task=task, by=volunteer)
    texts = {"title": "Петиция", "target": "МАГАТЭ", "text": "Текст петиции."}
    services.translation_save_draft(task=task, by=volunteer, texts=texts)
    services.translation_submit(task=task, by=volunteer)
    services.translation_approve(task=task, by=usc_admin)
    services.translation_publish(task=task, by=usc_admin)
    petition.refresh_from_db()
    assert petition.title["ru"] == "Петиция"


def test_someone_who_drafted_part_of_a_translation_cannot_review_it(
    task_pl, ussc_translator, ussc_translator_two
):
    # The first translator drafts, then lets the task go; a second finishes and submits.
    services.translation_claim(task=task_pl, by=ussc_translator)
    services.translation_save_draft(task=task_pl, by=ussc_translator, texts=POLISH)
    services.translation_release(task=task_pl, by=ussc_translator)
    services.translation_claim(task=task_pl, by=ussc_translator_two)
    services.translation_save_draft(task=task_pl, by=ussc_translator_two, texts=POLISH)
    services.translation_submit(task=task_pl, by=ussc_translator_two)
    with pytest.raises(ValidationError, match="someone else must review"):
        services.translation_approve(task=task_pl, by=ussc_translator)
