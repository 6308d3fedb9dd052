"""Publications and translation tasks in the API.

Personas: an anonymous client; a key of the publication's organisation with
``publishing:read``; a key of another organisation with the same scope.
"""

from __future__ import annotations

import pytest

from spilka.network.tests.api_own import BASE, all_keys, anonymous, get_all, key_client, queries_for
from spilka.publishing.models import Publication, TranslationTask

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(usc, usc_admin):
    from spilka.publishing.services.publications import publication_create

    return publication_create(
        by=usc_admin,
        organisation=usc,
        slug="unfinished-analysis",
        title={"en": "Unfinished analysis"},
        body={"en": "Not ready."},
    )


def test_published_publications_are_public_and_drafts_are_not(draft, demo):
    assert Publication.objects.filter(status="published").exists()
    slugs = {row["slug"] for row in get_all(anonymous(), "publications")}
    assert slugs and "unfinished-analysis" not in slugs
    other = key_client(demo["razem"], ["publishing:read"])
    assert "unfinished-analysis" not in {row["slug"] for row in get_all(other, "publications")}
    assert other.get(f"{BASE}publications/{draft.pk}/").status_code == 404


def test_the_organisations_key_sees_its_drafts(draft, usc):
    client = key_client(usc, ["publishing:read"])
    assert "unfinished-analysis" in {row["slug"] for row in get_all(client, "publications")}


def test_translation_tasks_are_the_key_organisations_only_and_name_no_one(draft, usc, demo):
    assert anonymous().get(f"{BASE}translation_tasks/").status_code == 401
    mine = get_all(key_client(usc, ["publishing:read"]), "translation_tasks")
    expected = TranslationTask.objects.filter(organisation=usc).count()
    assert len(mine) == expected
    assert not (all_keys(mine) & {"claimed_by", "translator", "reviewer", "draft", "email"})
    theirs = get_all(key_client(demo["razem"], ["publishing:read"]), "translation_tasks")
    assert {row["organisation"]["slug"] for row in theirs} <= {"razem"}


def test_publication_list_costs_the_same_queries_for_any_page_size(draft, usc):
    client = key_client(usc, ["publishing:read"])
    for collection in ("publications", "translation_tasks"):
        small = queries_for(client, f"{BASE}{collection}/", per_page=1)
        large = queries_for(client, f"{BASE}{collection}/", per_page=50)
        assert small == large, collection
