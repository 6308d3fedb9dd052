"""RSS and Atom per organisation and language, parsed as a feed reader would."""

import re

import feedparser
import pytest
from defusedxml import ElementTree

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


# --- RFC 4287, checked strictly (feedparser forgives what feed validators do not) ------------
ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
# RFC 3987: an absolute IRI starts with a scheme and a colon, and holds no white space.
ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")


def atom_problems(content: bytes) -> list[str]:
    """What in ``content`` breaks RFC 4287's musts for atom:feed (§4.1.1) and atom:entry
    (§4.1.2): one id (an absolute IRI), title and updated (RFC 3339) each, an author on the
    feed or on every entry, links rel="alternate", entry ids unique."""
    problems: list[str] = []
    root = ElementTree.fromstring(content)
    if root.tag != f"{ATOM}feed":
        return [f"the root is {root.tag}, not atom:feed"]

    def check(element, where):
        for name in ("id", "title", "updated"):
            found = element.findall(f"{ATOM}{name}")
            if len(found) != 1:
                problems.append(f"{where} has {len(found)} atom:{name}, not exactly one")
        for node in element.findall(f"{ATOM}id"):
            if not ABSOLUTE_IRI.match((node.text or "").strip()):
                problems.append(f"{where} id {node.text!r} is not an absolute IRI")
        for node in element.findall(f"{ATOM}updated") + element.findall(f"{ATOM}published"):
            if not RFC3339.match((node.text or "").strip()):
                problems.append(f"{where} date {node.text!r} is not RFC 3339")
        for author in element.findall(f"{ATOM}author"):
            if len(author.findall(f"{ATOM}name")) != 1 or not author.findtext(f"{ATOM}name"):
                problems.append(f"{where} has an author without exactly one name")
        links = element.findall(f"{ATOM}link")
        alternates = [ln for ln in links if ln.get("rel", "alternate") == "alternate"]
        if not alternates:
            problems.append(f"{where} has no link rel=alternate")
        for link in links:
            if not link.get("href"):
                problems.append(f"{where} has a link without href")

    check(root, "the feed")
    entries = root.findall(f"{ATOM}entry")
    for number, entry in enumerate(entries, start=1):
        check(entry, f"entry {number}")
    if not root.findall(f"{ATOM}author"):
        for number, entry in enumerate(entries, start=1):
            if not entry.findall(f"{ATOM}author"):
                problems.append(f"entry {number} has no author and neither has the feed")
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    if len(ids) != len(set(ids)):
        problems.append("two entries share an id")
    return problems


def test_the_checker_catches_what_rfc_4287_forbids():
    bad = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>x</id>'
        b"<updated>2024-01-01</updated><entry><title>e</title><id>x</id></entry>"
        b"<entry><title>e</title><id>x</id></entry></feed>"
    )
    problems = atom_problems(bad)
    assert "the feed id 'x' is not an absolute IRI" in problems
    assert "the feed date '2024-01-01' is not RFC 3339" in problems
    assert "entry 1 has 0 atom:updated, not exactly one" in problems
    assert "entry 1 has no author and neither has the feed" in problems
    assert "two entries share an id" in problems


@pytest.mark.parametrize("language", ["en", "pl"])
def test_the_atom_feed_meets_rfc_4287(anon, publication, translated_pl, ussc_organiser, language):
    services.translation_approve(task=translated_pl, by=ussc_organiser)
    services.translation_publish(task=translated_pl, by=ussc_organiser)
    response = anon.get(f"/{language}/feeds/ussc/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)
    assert root.findall(f"{ATOM}entry")
    assert atom_problems(response.content) == []


def test_atom_entry_ids_stay_the_same_when_a_publication_is_edited(
    anon, publication, ussc_organiser
):
    from spilka.publishing.services import publications as publication_services

    def ids():
        root = ElementTree.fromstring(anon.get("/en/feeds/ussc/atom/").content)
        return [entry.findtext(f"{ATOM}id") for entry in root.findall(f"{ATOM}entry")]

    before = ids()
    publication_services.publication_update(
        publication=publication, by=ussc_organiser, title={"en": "Teach-in notes, revised"}
    )
    assert ids() == before
    assert all(i.startswith("tag:") for i in before)
