"""Sharing and discovery: link previews, share pictures, sitemap.xml, robots.txt, feed
autodiscovery, the add-to-calendar file and the error pages, as an anonymous visitor.
"""

from __future__ import annotations

import datetime
import io
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import urlparse

import icalendar
import pytest
from django.test import Client, RequestFactory, override_settings
from django.utils import translation
from PIL import Image

from spilka.campaigns.models import Campaign, Petition, Signature, Statement
from spilka.events.models import Event
from spilka.lib.discovery import OrganisationSitemap
from spilka.network.models import Organisation
from spilka.publishing.models import Publication

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "uk", "pl", "ru")
SITEMAP_NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "x": "http://www.w3.org/1999/xhtml",
}


class Head(HTMLParser):
    """The <meta> and <link> tags of a page, and its <html lang>."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.links: list[dict[str, str]] = []
        self.lang = ""
        self.attrs_seen: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        a = {k: v or "" for k, v in attrs}
        self.attrs_seen.append((tag, a))
        if tag == "html":
            self.lang = a.get("lang", "")
        elif tag == "meta" and (a.get("property") or a.get("name")):
            self.meta.setdefault(a.get("property") or a["name"], []).append(a.get("content", ""))
        elif tag == "link":
            self.links.append(a)


def parse(response) -> Head:  # type: ignore[no-untyped-def]
    head = Head()
    head.feed(response.content.decode())
    return head


def _local(url: str) -> str:
    parsed = urlparse(url)
    assert parsed.scheme == "http" and parsed.netloc == "testserver", url
    return parsed.path + (f"?{parsed.query}" if parsed.query else "")


def _public_objects() -> dict[str, object]:
    return {
        "petition": Petition.objects.exclude(status="draft")
        .filter(campaign__is_public=True)
        .exclude(campaign__status="draft")
        .first(),
        "statement": Statement.objects.exclude(status="draft")
        .filter(campaign__is_public=True)
        .exclude(campaign__status="draft")
        .first(),
        "campaign": Campaign.objects.filter(is_public=True).exclude(status="draft").first(),
        "event": Event.objects.filter(is_public=True).first(),
    }


# Link previews ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["petition", "statement", "campaign", "event"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_public_page_has_link_preview_tags_with_a_drawn_picture(client, demo, kind, language):
    obj = _public_objects()[kind]
    assert obj is not None, kind
    with translation.override(language):
        path = obj.get_absolute_url()
    response = client.get(path)
    assert response.status_code == 200
    head = parse(response)
    meta = head.meta

    assert meta["og:url"] == [f"http://testserver{path}"]
    assert meta["og:title"][0] and meta["og:description"][0]
    assert meta["og:type"] == ["article"]
    assert meta["twitter:card"] == ["summary_large_image"]
    expected_locale = {"en": "en_GB", "uk": "uk_UA", "pl": "pl_PL", "ru": "ru_RU"}
    assert meta["og:locale"] == [expected_locale[language]]
    assert sorted(meta["og:locale:alternate"]) == sorted(
        v for k, v in expected_locale.items() if k != language
    )
    image_url = meta["og:image"][0]
    assert meta["twitter:image"] == [image_url]
    assert _local(image_url).startswith(f"/{language}/share/{kind}/")

    picture = Client().get(_local(image_url))
    assert picture.status_code == 200
    assert picture["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(picture.content))
    assert image.format == "PNG"
    assert image.size == (1200, 630)


def test_the_petition_preview_names_no_signer(client, demo):
    petition = _public_objects()["petition"]
    names = list(
        Signature.objects.filter(petition=petition).values_list("full_name", flat=True)[:50]
    )
    assert names, "the demo petition has signers"
    head = parse(client.get(petition.get_absolute_url()))
    text = " ".join(" ".join(values) for values in head.meta.values())
    for name in names:
        assert name not in text


def test_the_picture_changes_address_when_the_count_changes(client, demo):
    petition = _public_objects()["petition"]
    first = parse(client.get(petition.get_absolute_url())).meta["og:image"][0]
    Petition.objects.filter(pk=petition.pk).update(confirmed_count=petition.confirmed_count + 1)
    second = parse(client.get(petition.get_absolute_url())).meta["og:image"][0]
    assert first != second
    assert first.split("?")[0] == second.split("?")[0]


def test_a_draft_or_private_item_has_no_preview_and_no_picture(client, demo, usc_admin, login):
    petition = _public_objects()["petition"]
    Petition.objects.filter(pk=petition.pk).update(status="draft")
    assert client.get(f"/en/share/petition/{petition.slug}.png").status_code == 404

    event = _public_objects()["event"]
    Event.objects.filter(pk=event.pk).update(is_public=False)
    assert client.get(f"/en/share/event/{event.slug}.png").status_code == 404

    campaign = Campaign.objects.filter(
        lead_organisation__slug="ukraine-solidarity-campaign"
    ).first()
    Campaign.objects.filter(pk=campaign.pk).update(is_public=False)
    assert client.get(f"/en/share/campaign/{campaign.slug}.png").status_code == 404
    # Its organisers still see the page, without tags that would invite sharing it.
    page = login(usc_admin).get(campaign.get_absolute_url())
    assert page.status_code == 200
    assert "og:image" not in parse(page).meta
    assert client.get("/en/share/nonsense/x.png").status_code == 404


def test_a_private_lead_organisation_is_not_named_on_the_picture(demo):
    from spilka.lib.sharing import card_for

    campaign = _public_objects()["campaign"]
    private = Organisation.objects.filter(is_public=False).first() or Organisation(
        slug="hidden", is_public=False, name={"en": "Hidden Union"}
    )
    campaign.lead_organisation = private
    card = card_for("campaign", campaign)
    assert card.organisation == "a partner organisation (not public)"
    assert str(private) not in card.title


def test_share_pictures_draw_cyrillic_and_long_titles():
    from spilka.lib.share_images import ShareCard, card_png

    card = ShareCard(
        kind="petition",
        key="1",
        language="uk",
        label="Петиція",
        title="Щоб кожна працівниця АЕС отримала захист " * 6,
        organisation="Кампанія солідарності з Україною",
        count=12345,
        goal=10000,
        progress_text="12 345 з 10 000 підписів",
    )
    png = card_png(card)
    assert Image.open(io.BytesIO(png)).size == (1200, 630)
    assert card_png(card) is not None  # from the cache the second time


# Sitemap and robots ----------------------------------------------------------------------


def _sections(client) -> list[str]:  # type: ignore[no-untyped-def]
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    return [_local(loc.text) for loc in root.findall("s:sitemap/s:loc", SITEMAP_NS)]


def _sitemap_body(client) -> str:  # type: ignore[no-untyped-def]
    return "".join(client.get(section).content.decode() for section in _sections(client))


def _sitemap(client) -> list[tuple[str, dict[str, str]]]:  # type: ignore[no-untyped-def]
    urls = []
    for section in _sections(client):
        response = client.get(section)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/xml")
        urls += _urls(ET.fromstring(response.content))
    return urls


def _urls(root) -> list[tuple[str, dict[str, str]]]:  # type: ignore[no-untyped-def]
    urls = []
    for url in root.findall("s:url", SITEMAP_NS):
        loc = url.find("s:loc", SITEMAP_NS).text
        alternates = {
            link.get("hreflang"): link.get("href") for link in url.findall("x:link", SITEMAP_NS)
        }
        urls.append((loc, alternates))
    return urls


def test_the_sitemap_lists_public_pages_in_four_languages_with_alternates(client, demo):
    urls = _sitemap(client)
    locs = {loc for loc, _ in urls}
    for loc, alternates in urls:
        assert set(alternates) == {*LANGUAGES, "x-default"}, loc
        assert loc in alternates.values()
    # x-default is the address without a language, which sends each visitor to theirs.
    petition = _public_objects()["petition"]
    x_default = next(
        alternates["x-default"]
        for loc, alternates in urls
        if loc.endswith(f"/petitions/{petition.slug}/")
    )
    answer = client.get(_local(x_default), HTTP_ACCEPT_LANGUAGE="pl")
    assert answer.status_code == 302
    assert answer["Location"] == f"/pl/petitions/{petition.slug}/"
    objects = _public_objects()
    objects["organisation"] = Organisation.objects.filter(is_public=True).first()
    objects["publication"] = Publication.objects.filter(
        status="published", organisation__is_public=True
    ).first()
    for kind, obj in objects.items():
        assert obj is not None, kind
        for language in LANGUAGES:
            with translation.override(language):
                assert f"http://testserver{obj.get_absolute_url()}" in locs, (kind, language)


def test_the_sitemap_never_lists_a_private_organisation_or_a_draft(client, demo):
    from tests.private_partner import SLUG, link_private_partner

    link_private_partner()
    petition = _public_objects()["petition"]
    Petition.objects.filter(pk=petition.pk).update(status="draft")
    event = _public_objects()["event"]
    Event.objects.filter(pk=event.pk).update(is_public=False)
    publication = Publication.objects.filter(status="published").first()
    Publication.objects.filter(pk=publication.pk).update(status="draft")
    private_orgs = list(Organisation.objects.filter(is_public=False).values_list("slug", flat=True))
    assert SLUG in private_orgs

    body = _sitemap_body(client)
    assert "/org/ukraine-solidarity-campaign/" in body
    for slug in private_orgs:
        assert f"/org/{slug}/" not in body, slug
    assert f"/petitions/{petition.slug}/" not in body
    assert f"/events/{event.slug}/" not in body
    assert f"/publications/{publication.slug}/" not in body
    for campaign in Campaign.objects.filter(is_public=False):
        assert f"/campaigns/{campaign.slug}/" not in body


def test_a_long_sitemap_section_is_paged_and_dated_by_its_latest_change(client, demo, monkeypatch):
    # Ten organisations a page (each in four languages), so the demo's need several pages.
    monkeypatch.setattr(OrganisationSitemap, "limit", 40)
    public = Organisation.objects.filter(is_public=True)
    latest = max(public.values_list("updated_at", flat=True))
    Organisation.objects.filter(pk=public.order_by("pk").last().pk).update(
        updated_at=latest + datetime.timedelta(days=3)
    )
    latest += datetime.timedelta(days=3)

    root = ET.fromstring(client.get("/sitemap.xml").content)
    section = [
        (_local(site.find("s:loc", SITEMAP_NS).text), site.find("s:lastmod", SITEMAP_NS).text)
        for site in root.findall("s:sitemap", SITEMAP_NS)
        if "/sitemap-organisations.xml" in site.find("s:loc", SITEMAP_NS).text
    ]
    pages = -(-public.count() * len(LANGUAGES) // 40)
    assert pages > 1
    assert [loc for loc, _ in section] == ["/sitemap-organisations.xml"] + [
        f"/sitemap-organisations.xml?p={n}" for n in range(2, pages + 1)
    ]
    assert {lastmod for _, lastmod in section} == {latest.isoformat()}

    listed = []
    for loc, _ in section:
        urls = _urls(ET.fromstring(client.get(loc).content))
        assert 0 < len(urls) <= 40
        listed += [urlparse(url).path for url, _ in urls]
    expected = []
    for organisation in public.order_by("pk"):
        for language in LANGUAGES:
            with translation.override(language):
                expected.append(organisation.get_absolute_url())
    assert listed == expected


def test_robots_txt_allows_the_public_site_and_points_to_the_sitemap(client, demo):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines and "Allow: /" in lines
    for language in LANGUAGES:
        assert f"Disallow: /{language}/accounts/" in lines
        assert f"Disallow: /{language}/outbox/" in lines
        assert f"Disallow: /{language}/events/r/" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /*/edit/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    # Nothing robots.txt forbids is in the sitemap.
    disallowed = [line.split(": ", 1)[1] for line in lines if line.startswith("Disallow: /")]
    literal = [rule for rule in disallowed if "*" not in rule]
    for loc, _ in _sitemap(client):
        path = urlparse(loc).path
        assert not any(path.startswith(rule) for rule in literal), loc


# Feeds and the calendar file -------------------------------------------------------------


FEED_TYPES = {
    "application/rss+xml": "application/rss+xml",
    "application/atom+xml": "application/atom+xml",
    "text/calendar": "text/calendar",
}


@pytest.mark.parametrize("language", ["en", "uk"])
def test_feed_autodiscovery_links_resolve_with_their_type(client, demo, usc, language):
    with translation.override(language):
        org_path = usc.get_absolute_url()
    pages = {org_path: 3, f"/{language}/events/": 1, f"/{language}/publications/": 2}
    for page, expected in pages.items():
        head = parse(client.get(page))
        feeds = [link for link in head.links if link.get("rel") == "alternate" and link.get("type")]
        assert len(feeds) == expected, page
        for link in feeds:
            response = client.get(link["href"])
            assert response.status_code == 200, link
            assert response["Content-Type"].startswith(FEED_TYPES[link["type"]]), link


def test_the_site_publications_feed_has_no_private_organisations_writing(client, demo):
    from tests.private_partner import link_private_partner

    link_private_partner()
    hidden = Publication.objects.filter(organisation__is_public=False, status="published")
    assert hidden.exists()
    public = Publication.objects.filter(organisation__is_public=True, status="published").first()
    body = client.get("/en/feeds/atom/").content.decode()
    assert f"/publications/{public.slug}/" in body
    for publication in hidden:
        assert f"/publications/{publication.slug}/" not in body


def test_a_private_organisation_page_advertises_no_feed(demo, login):
    from django.contrib.auth import get_user_model

    from spilka.network import services

    private = Organisation.objects.filter(is_public=False).first()
    assert private is not None
    user = get_user_model().objects.create_user("viewer@private.test", "x" * 20)
    services.role_grant(by="test setup", user=user, organisation=private, role="viewer")
    page = login(user).get(private.get_absolute_url())
    assert page.status_code == 200
    assert not [link for link in parse(page).links if link.get("rel") == "alternate"]


def test_every_public_event_page_offers_a_calendar_file_without_the_join_link(client, demo):
    event = _public_objects()["event"]
    Event.objects.filter(pk=event.pk).update(
        join_url="https://meet.example/secret-room", join_details="passcode 4242"
    )
    head = parse(client.get(event.get_absolute_url()))
    hrefs = [a["href"] for tag, a in head.attrs_seen if tag == "a" and "data-add-to-calendar" in a]
    assert hrefs == [f"/en/events/{event.slug}/event.ics"]
    response = client.get(hrefs[0])
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "secret-room" not in body and "4242" not in body
    calendar = icalendar.Calendar.from_ical(body)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    assert str(events[0]["url"]) == f"http://testserver{event.get_absolute_url()}"

    Event.objects.filter(pk=event.pk).update(is_public=False)
    assert client.get(hrefs[0]).status_code == 404


# Error pages -----------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_404_page_is_styled_and_in_the_visitors_language(client, demo, language):
    response = client.get(f"/{language}/no-such-page-here/")
    assert response.status_code == 404
    head = parse(response)
    assert head.lang == language
    assert any(link.get("href") == "/static/spilka/spilka.css" for link in head.links)
    assert head.meta["robots"] == ["noindex"]
    assert 'data-error-page="404"' in response.content.decode()
    if language != "en":
        with translation.override(language):
            assert translation.gettext("Not found") in response.content.decode()


@pytest.mark.parametrize("language", ["en", "pl"])
def test_the_403_page_is_styled_and_in_the_visitors_language(
    demo, razem_organiser, login, language
):
    client = login(razem_organiser)
    response = client.get(f"/{language}/org/ukraine-solidarity-campaign/edit/")
    assert response.status_code == 403
    head = parse(response)
    assert head.lang == language
    assert any(link.get("href") == "/static/spilka/spilka.css" for link in head.links)
    assert 'data-error-page="403"' in response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_500_page_stands_alone_in_the_visitors_language(
    demo, language, django_assert_num_queries
):
    from django.views.defaults import server_error

    request = RequestFactory().get(f"/{language}/")
    with translation.override(language), django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    head = parse(response)
    assert head.lang == language
    assert [link["href"] for link in head.links if link.get("rel") == "stylesheet"] == [
        "/static/spilka/spilka.css"
    ]
    assert 'data-error-page="500"' in response.content.decode()


@override_settings(ROOT_URLCONF="tests.discovery_urls")
def test_an_exception_in_a_view_gives_the_500_page(demo):
    client = Client(raise_request_exception=False)
    response = client.get("/boom/", HTTP_ACCEPT_LANGUAGE="uk")
    assert response.status_code == 500
    assert parse(response).lang == "uk"
    assert 'data-error-page="500"' in response.content.decode()


def test_the_csrf_failure_page_is_styled_and_in_the_visitors_language(demo):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/uk/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    head = parse(response)
    assert head.lang == "uk"
    assert any(link.get("href") == "/static/spilka/spilka.css" for link in head.links)
    assert "data-csrf-failure" in response.content.decode()


def test_django_debug_pages_keep_their_inline_style_in_debug_only(client, demo):
    with override_settings(DEBUG=True):
        debug = client.get("/en/no-such-page-here/")
    assert debug.status_code == 404
    assert "'unsafe-inline'" in debug["Content-Security-Policy"]
    normal = client.get("/en/no-such-page-here/")
    assert "'unsafe-inline'" not in normal["Content-Security-Policy"]
    assert "'unsafe-inline'" not in client.get("/en/")["Content-Security-Policy"]
