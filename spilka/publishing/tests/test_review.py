"""Regressions found in review: stale translations, GETs that wrote, lost updates,
service-level access, draft visibility, message contexts, sanitiser bypasses, queries."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied

from conftest import client_for
from spilka.lib.audit import AuditEntry
from spilka.lib.languages import CONTENT_LANGUAGES
from spilka.publishing.markdown import render_markdown
from spilka.publishing.models import Publication, ResourceLink, TaskState, TranslationTask
from spilka.publishing.services import publications as publication_services
from spilka.publishing.services import translation as services
from spilka.publishing.services import translation_sources as sources
from spilka.publishing.tests.conftest import POLISH, publication_reload

pytestmark = pytest.mark.django_db
URL_ATTRIBUTE = re.compile(r'(href|src|action|formaction|xlink:href)="[^"]*(javascript|data:)')


@pytest.fixture
def published_pl(translated_pl, ussc_organiser):
    services.translation_approve(task=translated_pl, by=ussc_organiser)
    return services.translation_publish(task=translated_pl, by=ussc_organiser)


# --- Stale translations of other apps' content, without translation_sync ---------------------
def test_a_campaign_edited_through_its_own_service_marks_its_translations_needing_edits(
    demo, usc_admin
):
    from spilka.campaigns.models import Campaign
    from spilka.campaigns.services.campaigns import campaign_update

    campaign = Campaign.objects.filter(lead_organisation=demo["ukraine-solidarity-campaign"])[0]
    source = campaign.original_language
    full = {code: f"Title {code}" for code in CONTENT_LANGUAGES}
    Campaign.objects.filter(pk=campaign.pk).update(
        title=full, summary={code: f"Summary {code}" for code in CONTENT_LANGUAGES}
    )
    campaign.refresh_from_db()
    TranslationTask.objects.filter(object_id=campaign.pk, content_type__model="campaign").delete()
    tasks = sources.translation_tasks_ensure(obj=campaign)
    assert {t.state for t in tasks} == {TaskState.PUBLISHED}

    campaign_update(campaign=campaign, by=usc_admin, title={**full, source: "A new title"})

    states = set(
        TranslationTask.objects.filter(
            object_id=campaign.pk, content_type__model="campaign"
        ).values_list("state", flat=True)
    )
    assert states == {TaskState.NEEDS_EDITING}


def test_reading_a_task_page_or_progress_shows_a_changed_source_but_writes_nothing(
    published_pl, publication, ussc_translator
):
    # A write that sends no signal (QuerySet.update) leaves the task marked published.
    Publication.objects.filter(pk=publication.pk).update(
        body={**publication_reload(publication).body, "en": "A rewritten original."}
    )
    audits = AuditEntry.objects.count()
    client = client_for(ussc_translator)

    page = client.get(f"/en/translate/tasks/{published_pl.pk}/").content.decode()
    client.get("/en/translate/org/ussc/")

    assert "Needs editing" in page
    assert TranslationTask.objects.get(pk=published_pl.pk).state == TaskState.PUBLISHED
    assert AuditEntry.objects.count() == audits
    # The next POST records it, and the claim starts from the published text.
    assert client.post(f"/en/translate/tasks/{published_pl.pk}/claim/").status_code == 302
    task = TranslationTask.objects.get(pk=published_pl.pk)
    assert task.state == TaskState.CLAIMED
    assert task.draft["title"] == POLISH["title"]


# --- Lost update: an author's form must not write back old maps -------------------------------
def test_an_edit_from_a_form_opened_before_a_translation_was_published_keeps_it(
    translated_pl, ussc_organiser, publication
):
    opened = publication_reload(publication)  # the author opens the edit form
    services.translation_approve(task=translated_pl, by=ussc_organiser)
    services.translation_publish(task=translated_pl, by=ussc_organiser)

    publication_services.publication_update(
        publication=opened,
        by=ussc_organiser,
        original={"title": "Teach-in notes, revised", "summary": "", "body": opened.body["en"]},
    )

    saved = publication_reload(publication)
    assert saved.title == {"en": "Teach-in notes, revised", "pl": POLISH["title"]}
    assert saved.body["pl"] == POLISH["body"]
    assert "en" not in saved.summary and saved.summary["pl"] == POLISH["summary"]


def test_the_edit_page_keeps_published_translations(published_pl, ussc_organiser, publication):
    response = client_for(ussc_organiser).post(
        "/en/publications/teach-in-notes/edit/",
        {
            "kind": "article",
            "title": "Teach-in notes",
            "summary": "",
            "body": "First paragraph about Sotsialnyi Rukh.\n\nSecond paragraph.",
            "tags": "forums",
            "status": "published",
            "published_on": "2025-01-01",
        },
    )
    assert response.status_code == 302
    saved = publication_reload(publication)
    assert saved.title["pl"] == POLISH["title"] and "en" not in saved.summary


# --- Access enforced in the services --------------------------------------------------------
def test_a_holder_whose_role_was_withdrawn_can_no_longer_draft_or_submit(task_pl, ussc_translator):
    from spilka.network.models import OrganisationRole

    task = services.translation_claim(task=task_pl, by=ussc_translator)
    OrganisationRole.objects.filter(user=ussc_translator).delete()
    ussc_translator.__dict__.pop("_spilka_roles", None)

    with pytest.raises(PermissionDenied):
        services.translation_save_draft(task=task, by=ussc_translator, texts=POLISH)
    with pytest.raises(PermissionDenied):
        services.translation_submit(task=task, by=ussc_translator)


def test_a_viewer_of_the_organisation_does_not_see_its_drafts(
    ussc, ussc_organiser, ussc_viewer, ussc_translator
):
    publication_services.publication_create(
        by=ussc_organiser,
        organisation=ussc,
        slug="draft-notes",
        kind="article",
        original_language="en",
        title={"en": "Draft notes"},
        body={"en": "Not yet."},
        status="draft",
    )
    assert client_for(ussc_viewer).get("/en/publications/draft-notes/").status_code == 404
    assert client_for(ussc_translator).get("/en/publications/draft-notes/").status_code == 200


# --- Message contexts for short ambiguous words ---------------------------------------------
@pytest.mark.parametrize(
    ("model", "field", "context"),
    [
        (TranslationTask, "claimed_by", "translation task"),
        (TranslationTask, "source_language", "translated from a language"),
        (TranslationTask, "target_language", "translated into a language"),
        (ResourceLink, "position", "order"),
        (ResourceLink, "url", "web"),
    ],
)
def test_short_ambiguous_field_names_carry_a_message_context(model, field, context):
    verbose_name = model._meta.get_field(field).verbose_name
    assert getattr(verbose_name, "_args", (None,))[0] == context


def test_published_carries_a_different_context_for_publications_and_tasks():
    from spilka.publishing.models import PublicationStatus

    assert PublicationStatus.PUBLISHED.label._args[0] == "publication status"
    assert TaskState.PUBLISHED.label._args[0] == "translation task"


# --- Sanitiser bypass attempts ----------------------------------------------------------------
@pytest.mark.parametrize(
    "source",
    [
        '<a href="jav&#x09;ascript:alert(1)">x</a>',
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<a href=" &#106;avascript:alert(1)">x</a>',
        "[x](&#106;avascript:alert(1))",
        "[x][r]\n\n[r]: javascript:alert(1)",
        "<javascript:alert(1)>",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        '<a href="data:text/html,<script>alert(1)</script>">x</a>',
        "<svg onload=alert(1)><script>alert(1)</script></svg>",
        '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
        "<scr<script>ipt>alert(1)</script>",
        '<form><button formaction="javascript:alert(1)">x</button></form>',
    ],
)
def test_script_url_bypasses_do_not_survive(source):
    html = render_markdown(source).lower()
    # Shown as text is harmless; as an address or a tag it is not.
    assert not URL_ATTRIBUTE.search(html)
    assert "<script" not in html and "<svg" not in html and "<form" not in html
    assert not re.search(r"<[^>]+\son\w+=", html)


@pytest.mark.parametrize(
    "source",
    [
        "![x][r]\n\n[r]: https://tracker.example/a.png",
        "![x](//tracker.example/a.png)",
        '<img src="https://tracker.example/a.png" srcset="https://tracker.example/b.png 2x">',
        "![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
        '<video poster="https://tracker.example/p.png"></video><audio src="https://t.example/a">',
        '<p style="background:url(https://tracker.example/x)">s</p>',
        '<table background="https://tracker.example/x"><tr><td>1</td></tr></table>',
        '<link rel="stylesheet" href="https://tracker.example/x.css">',
        '<style>@import "https://tracker.example/x.css";</style>',
        '<object data="https://tracker.example/x"></object><embed src="https://t.example/x">',
    ],
)
def test_nothing_in_a_body_makes_the_reader_fetch_from_another_host(source):
    html = render_markdown(source)
    assert not re.search(
        r'(src|srcset|poster|background|data|href|style)="[^"]*(example|data:)', html
    )
    assert "<style" not in html and "<link" not in html and "<object" not in html


# --- Query counts -------------------------------------------------------------------------------
def test_a_feed_of_many_publications_takes_few_queries(
    anon, ussc, ussc_organiser, django_assert_max_num_queries
):
    for i in range(12):
        publication_services.publication_create(
            by=ussc_organiser,
            organisation=ussc,
            slug=f"feed-item-{i}",
            kind="article",
            original_language="en",
            title={"en": f"Item {i}"},
            body={"en": f"Body {i}"},
            tags=[f"tag-{i}"],
            status="published",
            published_on=datetime.date(2025, 1, 1 + i),
        )
    with django_assert_max_num_queries(8):
        assert anon.get("/en/feeds/ussc/rss/").status_code == 200


def test_the_progress_page_of_many_tasks_takes_few_queries(
    ussc, ussc_organiser, ussc_translator, django_assert_max_num_queries
):
    for i in range(10):
        publication_services.publication_create(
            by=ussc_organiser,
            organisation=ussc,
            slug=f"progress-{i}",
            kind="article",
            original_language="en",
            title={"en": f"Item {i}"},
            body={"en": f"Body {i}"},
            status="published",
        )
    client = client_for(ussc_translator)
    client.get("/en/translate/")  # the session is set up outside the count
    with django_assert_max_num_queries(16):
        assert client.get("/en/translate/org/ussc/").status_code == 200


def test_a_tag_filter_with_a_nul_byte_or_markup_is_ignored(anon, publication):
    for tag in ("%00", "a%00b", "<b>"):
        response = anon.get(f"/en/publications/?tag={tag}")
        assert response.status_code == 200
        assert "Teach-in notes" in response.content.decode()
