"""RSS and Atom per organisation and language, parsed as a feed reader would."""

import feedparser
import pytest

from spilka.publishing.services import translation as services
from spilka.publishing.tests.conftest import POLISH

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_the_feed_parses_and_lists_the_organisations_publications(anon, publication, kind):
    response = anon.get(f"/en/feeds/ussc/{kind}/")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    titles = [entry.title for entry in feed.entries]
    assert "Teach-in notes" in titles
    assert "A year of forums and street mobilisations" in titles
    entry = next(e for e in feed.entries if e.title == "Teach-in notes")
    assert entry.link.endswith("/en/publications/teach-in-notes/")


def test_a_languages_feed_lists_only_what_is_published_in_that_language(
    anon, translated_pl, ussc_organiser
):
    feed = feedparser.parse(anon.get("/pl/feeds/ussc/rss/").content)
    assert feed.entries == []
    services.translation_approve(task=translated_pl, by=ussc_organiser)
    services.translation_publish(task=translated_pl, by=ussc_organiser)
    feed = feedparser.parse(anon.get("/pl/feeds/ussc/atom/").content)
    assert [e.title for e in feed.entries] == [POLISH["title"]]
    assert feed.entries[0].link.endswith("/pl/publications/teach-in-notes/")


def test_a_private_organisation_has_no_feed(anon, demo):
    from spilka.network.models import Organisation

    Organisation.objects.filter(slug="ussc").update(is_public=False)
    assert anon.get("/en/feeds/ussc/rss/").status_code == 404
    assert anon.get("/en/feeds/nobody/atom/").status_code == 404


def test_drafts_stay_out_of_feeds(anon, publication, ussc_organiser):
    from spilka.publishing.services import publications as publication_services

    publication_services.publication_update(
        publication=publication, by=ussc_organiser, status="draft"
    )
    feed = feedparser.parse(anon.get("/en/feeds/ussc/rss/").content)
    assert "Teach-in notes" not in [e.title for e in feed.entries]
