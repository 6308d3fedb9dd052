import pytest

from spilka.publishing.models import Publication, ResourceLink, TaskState
from spilka.publishing.tests.conftest import task_for

pytestmark = pytest.mark.django_db


def test_the_solidarity_zone_text_is_at_three_stages_of_the_workflow(demo):
    text = Publication.objects.get(slug="solidarity-zone-letters-to-prisoners")
    assert text.original_language == "ru"
    assert task_for(text, "en").state == TaskState.PUBLISHED
    assert task_for(text, "uk").state == TaskState.WAITING_REVIEW
    assert task_for(text, "pl").state == TaskState.CLAIMED
    assert text.languages == ["en", "ru"]


def test_every_demo_organisation_has_a_resources_page(demo):
    for org in demo.values():
        assert ResourceLink.objects.filter(organisation=org).exists(), org.slug


def test_loading_the_demo_again_changes_nothing(demo):
    from spilka.publishing.demo import load_publishing_demo

    assert load_publishing_demo() == {"publications": 0, "resource_links": 0, "glossary_terms": 0}
