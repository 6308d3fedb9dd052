"""Personas for publishing: USSC's translator (root conftest), a second translator, an
organiser who reviews, and a publication of theirs written in English."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from spilka.lib.testing import user_with_roles
from spilka.publishing.models import Publication, TranslationTask
from spilka.publishing.services import publications as publication_services


@pytest.fixture
def ussc(demo):
    return demo["ussc"]


@pytest.fixture
def ussc_organiser(demo):
    return user_with_roles("organiser@ussc.test", [(demo["ussc"], "organiser")])


@pytest.fixture
def ussc_translator_two(demo):
    return user_with_roles("second-translator@ussc.test", [(demo["ussc"], "translator")])


@pytest.fixture
def ussc_viewer(demo):
    return user_with_roles("viewer@ussc.test", [(demo["ussc"], "viewer")])


@pytest.fixture
def publication(ussc, ussc_organiser):
    return publication_services.publication_create(
        by=ussc_organiser,
        organisation=ussc,
        slug="teach-in-notes",
        kind="article",
        original_language="en",
        title={"en": "Teach-in notes"},
        summary={"en": "What we heard at the teach-in."},
        body={"en": "First paragraph about Sotsialnyi Rukh.\n\nSecond paragraph."},
        tags=["forums"],
        status="published",
    )


def task_for(obj, language: str) -> TranslationTask:
    return TranslationTask.objects.get(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        target_language=language,
    )


@pytest.fixture
def task_pl(publication):
    return task_for(publication, "pl")


POLISH = {
    "title": "Notatki z teach-inu",
    "summary": "Co usłyszeliśmy na teach-inie.",
    "body": "Pierwszy akapit o Ruchu Społecznym.\n\nDrugi akapit.",
}


@pytest.fixture
def translated_pl(task_pl, ussc_translator):
    """The Polish task drafted and submitted by USSC's translator."""
    from spilka.publishing.services import translation as services

    task = services.translation_claim(task=task_pl, by=ussc_translator)
    services.translation_save_draft(task=task, by=ussc_translator, texts=POLISH)
    return services.translation_submit(task=task, by=ussc_translator)


def publication_reload(publication: Publication) -> Publication:
    return Publication.objects.get(pk=publication.pk)
