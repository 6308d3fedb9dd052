"""Every endpoint: who may use it, what bad input gets, and how many queries lists take."""

from __future__ import annotations

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from PIL import Image

from conftest import client_for
from spilka.lib.testing import assert_upright, sideways_jpeg
from spilka.publishing.models import (
    GlossaryTerm,
    Publication,
    PublicationImage,
    ResourceLink,
    TaskState,
    TranslationTask,
    TranslatorProfile,
)
from spilka.publishing.services import translation as services
from spilka.publishing.tests.conftest import POLISH, publication_reload, task_for

pytestmark = pytest.mark.django_db


# --- Publications -------------------------------------------------------------------------
def test_anyone_reads_the_publications_list_in_few_queries(
    anon, publication, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        response = anon.get("/en/publications/")
    assert response.status_code == 200
    assert "Teach-in notes" in response.content.decode()


def test_an_unknown_kind_filter_is_ignored(anon, publication):
    assert anon.get("/en/publications/?kind=<script>").status_code == 200


def test_a_published_page_shows_also_available_in_only_for_published_languages(
    anon, translated_pl, ussc_organiser, publication
):
    page = anon.get("/en/publications/teach-in-notes/").content.decode()
    assert "Also available in" not in page  # Polish is only waiting for review
    services.translation_approve(task=translated_pl, by=ussc_organiser)
    services.translation_publish(task=translated_pl, by=ussc_organiser)
    page = anon.get("/en/publications/teach-in-notes/").content.decode()
    assert 'href="/pl/publications/teach-in-notes/"' in page
    polish = anon.get("/pl/publications/teach-in-notes/").content.decode()
    assert POLISH["title"] in polish
    assert 'href="/en/publications/teach-in-notes/"' in polish


def test_a_page_in_an_untranslated_language_falls_back_and_says_so(anon, publication):
    page = anon.get("/uk/publications/teach-in-notes/").content.decode()
    assert "Teach-in notes" in page
    assert 'class="tr-missing"' in page


def test_drafts_are_hidden_from_visitors_and_other_organisations(
    anon, ussc_organiser, publication, razem_organiser
):
    from spilka.publishing.services import publications as publication_services

    publication_services.publication_update(
        publication=publication, by=ussc_organiser, status="draft"
    )
    assert anon.get("/en/publications/teach-in-notes/").status_code == 404
    assert client_for(razem_organiser).get("/en/publications/teach-in-notes/").status_code == 404
    assert client_for(ussc_organiser).get("/en/publications/teach-in-notes/").status_code == 200


def _form(**overrides):
    data = {
        "organisation": "",
        "slug": "new-article",
        "kind": "article",
        "original_language": "en",
        "title": "A new article",
        "summary": "",
        "body": "Some **text**.",
        "tags": "miners, Trade Unions",
        "status": "published",
        "published_on": "",
    }
    data.update(overrides)
    return data


def test_an_organiser_creates_a_publication(ussc_organiser, ussc):
    response = client_for(ussc_organiser).post("/en/publications/new/", _form(organisation=ussc.pk))
    assert response.status_code == 302
    publication = Publication.objects.get(slug="new-article")
    assert sorted(t.slug for t in publication.tags.all()) == ["miners", "trade-unions"]
    assert publication.published_on is not None
    assert (
        TranslationTask.objects.filter(
            object_id=publication.pk, content_type=ContentType.objects.get_for_model(Publication)
        ).count()
        == 3
    )


def test_a_translator_cannot_create_publications(ussc_translator, anon):
    assert client_for(ussc_translator).get("/en/publications/new/").status_code == 403
    assert anon.get("/en/publications/new/").status_code == 302


def test_an_organiser_cannot_publish_in_another_organisations_name(usc_admin, ussc):
    response = client_for(usc_admin).post("/en/publications/new/", _form(organisation=ussc.pk))
    assert response.status_code == 400
    assert not Publication.objects.filter(slug="new-article").exists()


def test_an_oversized_body_gets_a_clear_message_and_nothing_is_saved(ussc_organiser, ussc):
    response = client_for(ussc_organiser).post(
        "/en/publications/new/", _form(organisation=ussc.pk, body="x" * 200_001)
    )
    assert response.status_code == 400
    assert "the limit is 200000" in response.content.decode()
    assert not Publication.objects.filter(slug="new-article").exists()


def test_an_unknown_original_language_is_refused(ussc_organiser, ussc):
    response = client_for(ussc_organiser).post(
        "/en/publications/new/", _form(organisation=ussc.pk, original_language="xx")
    )
    assert response.status_code == 400


def test_only_the_organisations_organisers_edit(
    publication, ussc_translator, razem_organiser, ussc_organiser
):
    assert (
        client_for(ussc_translator).get("/en/publications/teach-in-notes/edit/").status_code == 403
    )
    assert (
        client_for(razem_organiser).get("/en/publications/teach-in-notes/edit/").status_code == 403
    )
    response = client_for(ussc_organiser).post(
        "/en/publications/teach-in-notes/edit/",
        _form(slug="ignored", title="Teach-in notes (edited)", body="New text", status="published"),
    )
    assert response.status_code == 302
    fresh = publication_reload(publication)
    assert fresh.title["en"] == "Teach-in notes (edited)"
    assert fresh.slug == "teach-in-notes"


def _jpeg_with_exif() -> io.BytesIO:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # camera make
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    out.seek(0)
    out.name = "kharkiv-office.jpg"
    return out


def test_an_uploaded_picture_is_redrawn_without_metadata(
    publication, ussc_organiser, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    response = client_for(ussc_organiser).post(
        "/en/publications/teach-in-notes/pictures/", {"image": _jpeg_with_exif()}
    )
    assert response.status_code == 302
    stored = PublicationImage.objects.get(publication=publication)
    assert "kharkiv" not in stored.image.name
    with Image.open(stored.image.path) as image:
        assert not image.getexif()


def test_a_sideways_phone_photo_is_stored_upright(publication, ussc_organiser, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = io.BytesIO(sideways_jpeg())
    upload.name = "photo.jpg"
    response = client_for(ussc_organiser).post(
        "/en/publications/teach-in-notes/pictures/", {"image": upload}
    )
    assert response.status_code == 302
    stored = PublicationImage.objects.get(publication=publication)
    assert (stored.width, stored.height) == (30, 60)
    assert_upright(stored.image.read())


def test_a_file_that_is_not_a_picture_is_refused(publication, ussc_organiser, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fake = io.BytesIO(b"<svg onload=alert(1)>")
    fake.name = "x.png"
    response = client_for(ussc_organiser).post(
        "/en/publications/teach-in-notes/pictures/", {"image": fake}
    )
    assert response.status_code == 400
    assert "not a picture we can use" in response.content.decode()


def test_only_organisers_upload_pictures(publication, ussc_translator):
    assert (
        client_for(ussc_translator).get("/en/publications/teach-in-notes/pictures/").status_code
        == 403
    )


# --- Translation ----------------------------------------------------------------------------
def test_the_queue_needs_signing_in(anon):
    assert anon.get("/en/translate/").status_code == 302


def test_the_queue_lists_open_tasks_in_my_languages_in_few_queries(
    ussc_translator, publication, django_assert_max_num_queries
):
    services.translator_languages_set(user=ussc_translator, languages=["pl"])
    client = client_for(ussc_translator)
    with django_assert_max_num_queries(20):
        page = client.get("/en/translate/").content.decode()
    assert f"/en/translate/tasks/{task_for(publication, 'pl').pk}/" in page
    assert f"/en/translate/tasks/{task_for(publication, 'uk').pk}/" not in page


def test_the_queue_refuses_an_unknown_language_filter(ussc_translator):
    response = client_for(ussc_translator).get("/en/translate/?language=xx")
    assert response.status_code == 200
    assert "Unknown language code" in response.content.decode()


def test_outsiders_do_not_see_tasks(task_pl, razem_organiser, ussc_viewer):
    assert client_for(razem_organiser).get(f"/en/translate/tasks/{task_pl.pk}/").status_code == 404
    assert client_for(ussc_viewer).get(f"/en/translate/tasks/{task_pl.pk}/").status_code == 404
    assert (
        client_for(razem_organiser).post(f"/en/translate/tasks/{task_pl.pk}/claim/").status_code
        == 404
    )


def test_claiming_through_the_page_and_claiming_a_claimed_task(
    task_pl, ussc_translator, ussc_translator_two
):
    response = client_for(ussc_translator).post(
        f"/en/translate/tasks/{task_pl.pk}/claim/", follow=True
    )
    assert "The task is yours" in response.content.decode()
    response = client_for(ussc_translator_two).post(
        f"/en/translate/tasks/{task_pl.pk}/claim/", follow=True
    )
    assert "Someone else has claimed this task" in response.content.decode()
    task_pl.refresh_from_db()
    assert task_pl.claimed_by == ussc_translator


def test_claiming_needs_post(task_pl, ussc_translator):
    assert (
        client_for(ussc_translator).get(f"/en/translate/tasks/{task_pl.pk}/claim/").status_code
        == 405
    )


def test_the_side_by_side_editor_saves_paragraphs_and_submits(task_pl, ussc_translator):
    client = client_for(ussc_translator)
    client.post(f"/en/translate/tasks/{task_pl.pk}/claim/")
    page = client.get(f"/en/translate/tasks/{task_pl.pk}/").content.decode()
    assert 'name="body-0"' in page and 'name="body-1"' in page
    assert "Ruch Społeczny" in page  # the glossary, beside the text
    data = {
        "title-0": "Notatki",
        "summary-0": "Co",
        "body-0": "Pierwszy.",
        "body-1": "Drugi.",
        "then": "save",
    }
    assert client.post(f"/en/translate/tasks/{task_pl.pk}/", data).status_code == 302
    task_pl.refresh_from_db()
    assert task_pl.draft["body"] == "Pierwszy.\n\nDrugi."
    client.post(f"/en/translate/tasks/{task_pl.pk}/", {**data, "then": "submit"})
    task_pl.refresh_from_db()
    assert task_pl.state == TaskState.WAITING_REVIEW


def test_an_oversized_draft_through_the_editor_keeps_what_was_typed(task_pl, ussc_translator):
    client = client_for(ussc_translator)
    client.post(f"/en/translate/tasks/{task_pl.pk}/claim/")
    data = {"title-0": "T" * 301, "summary-0": "", "body-0": "Keep me", "body-1": ""}
    response = client.post(f"/en/translate/tasks/{task_pl.pk}/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "the limit is 300" in page and "Keep me" in page


def test_someone_not_holding_the_task_cannot_save_a_draft(
    task_pl, ussc_translator, ussc_translator_two
):
    client_for(ussc_translator).post(f"/en/translate/tasks/{task_pl.pk}/claim/")
    client_for(ussc_translator_two).post(f"/en/translate/tasks/{task_pl.pk}/", {"title-0": "Mine"})
    task_pl.refresh_from_db()
    assert task_pl.draft.get("title", "") != "Mine"


def test_the_translator_is_refused_as_reviewer_through_the_page(translated_pl, ussc_translator):
    response = client_for(ussc_translator).post(
        f"/en/translate/tasks/{translated_pl.pk}/approve/", follow=True
    )
    assert "someone else must review it" in response.content.decode()
    translated_pl.refresh_from_db()
    assert translated_pl.state == TaskState.WAITING_REVIEW


def test_publishing_through_the_page_without_review_is_refused(translated_pl, ussc_organiser):
    response = client_for(ussc_organiser).post(
        f"/en/translate/tasks/{translated_pl.pk}/publish/", follow=True
    )
    assert "needs a review first" in response.content.decode()


def test_a_reviewer_approves_and_publishes_through_the_pages(
    translated_pl, ussc_organiser, publication
):
    client = client_for(ussc_organiser)
    client.post(f"/en/translate/tasks/{translated_pl.pk}/approve/")
    client.post(f"/en/translate/tasks/{translated_pl.pk}/publish/")
    assert publication_reload(publication).title["pl"] == POLISH["title"]


def test_sending_back_needs_a_note(translated_pl, ussc_organiser):
    response = client_for(ussc_organiser).post(
        f"/en/translate/tasks/{translated_pl.pk}/return/", {"note": ""}, follow=True
    )
    assert response.status_code == 200
    translated_pl.refresh_from_db()
    assert translated_pl.state == TaskState.WAITING_REVIEW


def test_machine_prefill_through_the_page_when_off(task_pl, ussc_translator):
    client = client_for(ussc_translator)
    client.post(f"/en/translate/tasks/{task_pl.pk}/claim/")
    response = client.post(f"/en/translate/tasks/{task_pl.pk}/machine/", follow=True)
    assert "not set up on this site" in response.content.decode()


def test_my_languages_page_saves_and_refuses_unknown_codes(ussc_translator):
    client = client_for(ussc_translator)
    assert client.post("/en/translate/languages/", {"languages": ["xx"]}).status_code == 400
    assert client.post("/en/translate/languages/", {"languages": ["pl", "uk"]}).status_code == 302
    profile = TranslatorProfile.objects.get(user=ussc_translator)
    assert sorted(profile.languages) == ["pl", "uk"]  # the queue reads the profile back
    assert "Ukrainian, Polish" in client.get("/en/translate/").content.decode()


def test_progress_per_language_for_the_organisations_translators_only(
    publication, ussc_translator, razem_organiser, anon, django_assert_max_num_queries
):
    client = client_for(ussc_translator)
    with django_assert_max_num_queries(20):
        response = client.get("/en/translate/org/ussc/")
    assert response.status_code == 200
    assert client_for(razem_organiser).get("/en/translate/org/ussc/").status_code == 403
    assert anon.get("/en/translate/org/ussc/").status_code == 302
    assert client.get("/en/translate/org/ussc/?language=xx").status_code == 200


def test_only_organisers_look_for_new_content(publication, ussc_translator, ussc_organiser):
    assert client_for(ussc_translator).post("/en/translate/org/ussc/sync/").status_code == 403
    assert client_for(ussc_organiser).post("/en/translate/org/ussc/sync/").status_code == 302


# --- Glossary -------------------------------------------------------------------------------
def test_the_glossary_is_read_by_signed_in_users_in_few_queries(
    ussc_translator, anon, django_assert_max_num_queries
):
    assert anon.get("/en/glossary/").status_code == 302
    client = client_for(ussc_translator)
    with django_assert_max_num_queries(8):
        page = client.get("/en/glossary/").content.decode()
    assert "Соціальний рух" in page


def test_only_organisers_edit_the_glossary(ussc_translator, ussc_organiser):
    assert client_for(ussc_translator).get("/en/glossary/new/").status_code == 403
    data = {
        "renderings_en": "Pavlohrad",
        "renderings_uk": "Павлоград",
        "renderings_pl": "Pawłohrad",
        "renderings_ru": "Павлоград",
    }
    assert client_for(ussc_organiser).post("/en/glossary/new/", data).status_code == 302
    assert GlossaryTerm.objects.filter(renderings__pl="Pawłohrad").exists()


def test_a_glossary_term_needs_a_rendering(ussc_organiser):
    assert client_for(ussc_organiser).post("/en/glossary/new/", {}).status_code == 400


def test_only_organisers_remove_glossary_terms(ussc_translator, ussc_organiser):
    term = GlossaryTerm.objects.first()
    assert client_for(ussc_translator).post(f"/en/glossary/{term.pk}/delete/").status_code == 403
    assert client_for(ussc_organiser).post(f"/en/glossary/{term.pk}/delete/").status_code == 302
    assert not GlossaryTerm.objects.filter(pk=term.pk).exists()


# --- Resources ------------------------------------------------------------------------------
def test_a_resources_page_is_public_with_plain_links_in_few_queries(
    anon, demo, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        response = anon.get("/en/org/ukraine-solidarity-campaign/resources/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'rel="noopener noreferrer"' in page
    assert "Model union resolution" in page


def test_a_private_organisations_resources_are_not_found(anon, demo):
    from spilka.network.models import Organisation

    Organisation.objects.filter(slug="ussc").update(is_public=False)
    assert anon.get("/en/org/ussc/resources/").status_code == 404


def test_only_organisers_manage_resource_links(ussc_translator, ussc_organiser, demo):
    assert client_for(ussc_translator).get("/en/org/ussc/resources/manage/").status_code == 403
    client = client_for(ussc_organiser)
    data = {"label_en": "Zoom forum", "url": "https://video.example/forum", "kind": "recording"}
    assert client.post("/en/org/ussc/resources/manage/", data).status_code == 302
    link = ResourceLink.objects.get(organisation=demo["ussc"], url="https://video.example/forum")
    assert (
        client.post(f"/en/org/ussc/resources/{link.pk}/move/", {"direction": "up"}).status_code
        == 302
    )
    assert client.post(f"/en/org/ussc/resources/{link.pk}/delete/").status_code == 302
    assert not ResourceLink.objects.filter(pk=link.pk).exists()


def test_moving_someone_elses_resource_link_is_refused_before_anything_else(ussc_translator, demo):
    link = ResourceLink.objects.filter(organisation=demo["ussc"]).first()
    client = client_for(ussc_translator)
    for data in ({}, {"direction": "sideways"}, {"direction": "up"}):
        response = client.post(f"/en/org/ussc/resources/{link.pk}/move/", data)
        assert response.status_code == 403


def test_javascript_links_are_refused_on_the_resources_page(ussc_organiser, demo):
    data = {"label_en": "Bad", "url": "javascript:alert(1)", "kind": "website"}
    response = client_for(ussc_organiser).post("/en/org/ussc/resources/manage/", data)
    assert response.status_code == 400
    assert not ResourceLink.objects.filter(label__en="Bad").exists()


def test_another_organisations_link_cannot_be_edited_through_ours(ussc_organiser, demo):
    other = ResourceLink.objects.filter(organisation=demo["razem"]).first()
    assert (
        client_for(ussc_organiser).get(f"/en/org/ussc/resources/{other.pk}/edit/").status_code
        == 404
    )


def test_moving_a_link_needs_a_direction(ussc_organiser, demo):
    link = ResourceLink.objects.filter(organisation=demo["ussc"]).first()
    response = client_for(ussc_organiser).post(
        f"/en/org/ussc/resources/{link.pk}/move/", {"direction": "sideways"}, follow=True
    )
    assert "Move a link up or down" in response.content.decode()
