"""Public pages, feeds and JSON-LD: what anyone may read, and never the join link."""

from __future__ import annotations

import datetime
import json
import re

import icalendar
import pytest
from django.utils import timezone

from spilka.events.services import events as event_services
from spilka.events.services import registrations as services
from spilka.events.tests.conftest import JOIN_URL, make_event

pytestmark = pytest.mark.django_db

PUBLIC_URLS = [
    "/{lang}/events/",
    "/{lang}/events/archive/",
    "/{lang}/events/{slug}/",
    "/{lang}/events/feed.ics",
    "/{lang}/events/org/ussc/feed.ics",
    "/{lang}/events/series/ussc-forums/",
    "/{lang}/events/series/ussc-forums/feed.ics",
    "/{lang}/events/archive/?series=ussc-forums",
    "/{lang}/campaigns/full-support-for-ukraine/",
]


def _jsonld(page: str) -> dict:
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert block is not None
    return json.loads(block.group(1))


def test_no_public_page_or_feed_contains_the_join_link(client, forum, demo):
    services.event_register(
        event=forum,
        full_name="Ola",
        email="ola@example.org",
        answers={forum.questions.get().pk: "x"},
    )
    for lang in ("en", "pl"):
        for url in PUBLIC_URLS:
            response = client.get(url.format(lang=lang, slug=forum.slug))
            assert response.status_code == 200, url
            body = response.content.decode()
            assert JOIN_URL not in body, url
            assert "secret-forum" not in body, url
            assert "Passcode" not in body, url
            assert "ola@example.org" not in body, url


def test_the_feed_parses_with_stable_uids_time_zones_and_no_private_link(client, forum, settings):
    settings.ALLOWED_HOSTS = ["spilka.example.org"]
    body = client.get("/en/events/feed.ics", HTTP_HOST="spilka.example.org").content.decode()
    cal = icalendar.Calendar.from_ical(body)
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    uid = f"event-{forum.pk}@spilka.example.org"
    assert uid in events
    vevent = events[uid]
    assert vevent.decoded("DTSTART") == forum.starts_at.replace(microsecond=0)
    assert vevent["DTSTART"].params["TZID"] == "America/Los_Angeles"
    assert "America/Los_Angeles" in [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")]
    assert str(vevent["URL"]).endswith(f"/en/events/{forum.slug}/")
    assert JOIN_URL not in body
    # Asked again, the same UID: calendar apps update rather than duplicate.
    again = client.get("/en/events/feed.ics", HTTP_HOST="spilka.example.org").content.decode()
    assert uid in again


def test_the_feed_carries_each_zone_once_ahead_of_the_events_as_icalendar_would(
    client, forum, ussc
):
    make_event(ussc, slug="kyiv-forum", time_zone="Europe/Kyiv")
    make_event(ussc, slug="second-kyiv-forum", time_zone="Europe/Kyiv")
    body = client.get("/en/events/feed.ics").content.decode()
    cal = icalendar.Calendar.from_ical(body)
    zones = [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")]
    used = {str(e["DTSTART"].params["TZID"]) for e in cal.walk("VEVENT")}
    assert {"America/Los_Angeles", "Europe/Kyiv"} <= used
    assert sorted(zones) == sorted(used)  # each once
    kinds = [c.name for c in cal.subcomponents]
    assert kinds.index("VEVENT") == len(zones)  # the zones first
    # The zones kept from one feed to the next are those icalendar builds afresh.
    for zone in cal.walk("VTIMEZONE"):
        fresh = icalendar.Timezone.from_ical(
            icalendar.Timezone.from_tzid(str(zone["TZID"])).to_ical()
        )
        assert zone.to_ical() == fresh.to_ical()


def test_a_cancelled_event_is_marked_cancelled_in_the_feed(client, forum):
    event_services.event_update(event=forum, by="t", status="cancelled")
    cal = icalendar.Calendar.from_ical(client.get("/en/events/org/ussc/feed.ics").content)
    statuses = {str(e["UID"]).split("@")[0]: str(e["STATUS"]) for e in cal.walk("VEVENT")}
    assert statuses[f"event-{forum.pk}"] == "CANCELLED"


def test_members_only_events_stay_out_of_feeds_and_lists(client, ussc):
    hidden = make_event(ussc, slug="members-meeting", kind="meeting", is_public=False)
    assert f"event-{hidden.pk}@" not in client.get("/en/events/feed.ics").content.decode()
    assert "members-meeting" not in client.get("/en/events/").content.decode()
    assert client.get("/en/events/members-meeting/").status_code == 404


def test_members_see_members_only_events(client, ussc, ussc_viewer):
    make_event(ussc, slug="members-meeting", kind="meeting", is_public=False)
    client.force_login(ussc_viewer)
    assert client.get("/en/events/members-meeting/").status_code == 200


def test_json_ld_describes_an_online_forum_without_the_join_link(client, forum):
    page = client.get(f"/en/events/{forum.slug}/").content.decode()
    data = _jsonld(page)
    assert data["@type"] == "Event"
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["location"] == {"@type": "VirtualLocation", "url": data["url"]}
    assert data["organizer"]["name"] == forum.organiser.display_name
    assert "recordedIn" not in data


def test_json_ld_names_the_recording_once_there_is_one(client, demo):
    data = _jsonld(client.get("/en/events/ussc-forum-holodomor/").content.decode())
    assert data["recordedIn"][0]["url"].startswith("https://peertube.example.org/")
    march = _jsonld(client.get("/en/events/sf-unity-march/").content.decode())
    assert march["location"]["@type"] == "Place"
    assert march["location"]["address"]["addressLocality"] == "San Francisco"


def test_json_ld_cannot_be_broken_out_of_by_a_title(client, ussc):
    make_event(ussc, slug="xss", title={"en": "</script><script>alert(1)</script>"})
    page = client.get("/en/events/xss/").content.decode()
    assert "</script><script>alert(1)" not in page
    assert _jsonld(page)["name"] == "</script><script>alert(1)</script>"


def test_recordings_are_links_until_clicked_and_load_nothing_from_the_video_host(client, demo):
    page = client.get("/en/events/ussc-forum-holodomor/").content.decode()
    assert "<iframe" not in page
    assert 'href="https://peertube.example.org/w/demo-holodomor"' in page
    assert 'target="_blank"' in page


def test_an_allowed_video_host_gets_a_click_to_load_button(client, demo, settings):
    settings.SPILKA_EVENTS_EMBED_HOSTS = ["peertube.example.org"]
    page = client.get("/en/events/ussc-forum-holodomor/").content.decode()
    assert 'data-embed-src="https://peertube.example.org/videos/embed/demo-holodomor"' in page
    assert "<iframe" not in page


def test_the_archive_filters_by_series_topic_and_language(client, demo):
    def slugs(query):
        page = client.get(f"/en/events/archive/?{query}").content.decode()
        return set(re.findall(r'href="/en/events/([a-z0-9-]+)/"', page))

    assert "ussc-forum-holodomor" in slugs("series=ussc-forums")
    assert "sf-unity-march" not in slugs("series=ussc-forums")
    assert slugs("topic=history") >= {"ussc-forum-holodomor"}
    assert "ussc-forum-environment" not in slugs("topic=history")
    assert "ussc-forum-is-russia-fascist" in slugs("language=ru")
    assert "ussc-forum-holodomor" not in slugs("language=ru")
    assert client.get("/en/events/archive/?topic=<b>&language=zz&page=x").status_code == 200


def test_the_event_list_and_archive_take_a_fixed_number_of_queries(
    client, demo, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        client.get("/en/events/")
    with django_assert_max_num_queries(10):
        client.get("/en/events/archive/")


def test_the_street_action_shows_its_turnout(client, demo):
    assert "400 people came" in client.get("/en/events/sf-unity-march/").content.decode()


def test_a_delegation_names_nobody_who_registered(client, ussc):
    event = make_event(ussc, slug="delegation", kind="delegation", requires_approval=True)
    registration = services.event_register(
        event=event, full_name="Member of Parliament X", email="mp@example.org"
    ).registration
    assert registration.status == "pending"
    page = client.get("/en/events/delegation/").content.decode()
    assert "The organisers approve each registration." in page
    assert "Member of Parliament X" not in page
    assert client.get("/en/events/delegation/attendees/").status_code == 302


def test_campaign_pages_list_their_events(client, demo):
    page = client.get("/en/campaigns/full-support-for-ukraine/").content.decode()
    assert 'id="events"' in page
    assert "/en/events/another-ukraine-is-possible/" in page


def test_a_campaign_without_events_has_no_events_section(client, demo):
    page = client.get("/en/campaigns/warsaw-left-unity/").content.decode()
    assert 'id="events"' not in page


def test_upcoming_series_events_are_on_the_series_page(client, demo):
    page = client.get("/en/events/series/ussc-forums/").content.decode()
    assert "/en/events/ussc-forums-2026-12-09/" in page or timezone.now() > datetime.datetime(
        2026, 12, 10, tzinfo=datetime.UTC
    )
    assert "/en/events/ussc-forum-holodomor/" in page
