"""Every time is shown in the visitor's zone, named, with the event's own zone beside it
when different; mail goes out in the recipient's zone."""

from __future__ import annotations

import datetime
import re
import zoneinfo

import pytest
from django.core import mail
from django.test import RequestFactory

from spilka.events import tokens, zones
from spilka.events.models import Registration, RegistrationStatus
from spilka.events.services import registrations as services
from spilka.events.tests.conftest import make_event

pytestmark = pytest.mark.django_db

LA = zoneinfo.ZoneInfo("America/Los_Angeles")
# 17:00 in Los Angeles on 1 July 2027 is 03:00 on 2 July in Kyiv.
START = datetime.datetime(2027, 7, 1, 17, 0, tzinfo=LA)


def _request(cookie: str | None = None, query: str = ""):
    request = RequestFactory().get(f"/en/events/{query}")
    if cookie is not None:
        request.COOKIES[zones.COOKIE] = cookie
    return request


# --- zones: what the cookie may hold -------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    ["Europe/Kyiv", "Europe%2FKyiv", "Europe%2fKyiv", '"Europe/Kyiv"', " Europe%2FKyiv "],
)
def test_the_cookie_is_read_plain_encoded_or_quoted(raw):
    assert zones.zone_name_clean(raw) == "Europe/Kyiv"
    assert zones.viewer_zone(_request(raw)).key == "Europe/Kyiv"
    assert zones.viewer_zone_chosen(_request(raw))


@pytest.mark.parametrize("raw", ["Europe/Kiev", "Europe%2FKiev", "Europe/Zaporozhye"])
def test_an_old_name_a_browser_reports_is_shown_by_todays_name(raw):
    # Chromium reports Kyiv as "Europe/Kiev".
    assert zones.zone_name_clean(raw) == "Europe/Kyiv"
    assert zones.viewer_zone(_request(raw)).key == "Europe/Kyiv"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "Mars/Olympus",
        "../../etc/passwd",
        "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/etc/localtime",
        "Europe",  # a directory of the zone database, not a zone
        "Europe/Kyiv\x00",
        "Europe%00Kyiv",
        "%",
        "%E0%A4%A",
        "x" * 5000,
        "Europe/Kyiv; other=1",
        "<script>",
    ],
)
def test_a_garbage_cookie_is_no_zone_and_never_an_error(raw):
    assert zones.zone_name_clean(raw) == ""
    assert zones.zone_or_none(raw) is None
    request = _request(raw)
    assert zones.viewer_zone(request, "America/Los_Angeles").key == "America/Los_Angeles"
    assert not zones.viewer_zone_chosen(request)


def test_a_query_choice_comes_before_the_cookie():
    request = _request("Europe%2FKyiv", "?tz=Europe/Warsaw")
    assert zones.viewer_zone_name(request) == "Europe/Warsaw"
    request = _request("Europe%2FKyiv", "?tz=Nowhere/Land")
    assert zones.viewer_zone_name(request) == "Europe/Kyiv"


# --- pages -----------------------------------------------------------------------------


@pytest.fixture
def la_forum(ussc):
    return make_event(
        ussc, slug="la-forum", starts_at=START, ends_at=START + datetime.timedelta(hours=1)
    )


def _row(page: str, slug: str) -> str:
    return next(card for card in page.split('<li class="card') if f"/events/{slug}/" in card)


@pytest.mark.parametrize("cookie", ["Europe/Kyiv", "Europe%2FKyiv"])
def test_a_kyiv_visitor_sees_kyiv_time_on_the_list_and_the_page(client, la_forum, cookie):
    client.cookies[zones.COOKIE] = cookie
    row = _row(client.get("/en/events/").content.decode(), la_forum.slug)
    assert "July 2, 2027, 3 a.m. Europe/Kyiv (EEST)" in row
    assert "July 1, 2027, 5 p.m. America/Los_Angeles (PDT)" in row  # the event's own, beside
    page = client.get(f"/en/events/{la_forum.slug}/").content.decode()
    start = re.search(r'id="event-start">([^<]*)<', page).group(1)
    assert start == "July 2, 2027, 3 a.m. Europe/Kyiv (EEST)"
    assert "Local time: July 1, 2027, 5 p.m. America/Los_Angeles (PDT)" in page


def test_without_a_known_zone_the_list_and_the_page_agree_on_the_events_zone(client, la_forum):
    row = _row(client.get("/en/events/").content.decode(), la_forum.slug)
    page = client.get(f"/en/events/{la_forum.slug}/").content.decode()
    shown = "July 1, 2027, 5 p.m. America/Los_Angeles (PDT)"
    assert shown in row
    assert re.search(r'id="event-start">([^<]*)<', page).group(1) == shown
    assert "UTC" not in row


def test_a_visitor_in_the_events_zone_sees_it_once(client, la_forum):
    client.cookies[zones.COOKIE] = "America/Los_Angeles"
    row = _row(client.get("/en/events/").content.decode(), la_forum.slug)
    assert row.count("America/Los_Angeles (PDT)") == 1
    assert "data-event-local-start" not in row


def test_registrant_pages_use_the_zone_of_registration_then_the_cookie(client, la_forum):
    client.cookies[zones.COOKIE] = "Europe/Kyiv"
    registration = services.event_register(
        event=la_forum, full_name="Olena", email="olena@example.org", time_zone="Europe/Kyiv"
    ).registration
    assert registration.time_zone == "Europe/Kyiv"
    del client.cookies[zones.COOKIE]  # another device: the zone recorded at registration
    token = tokens.make_token(registration.pk, tokens.REGISTRATION_SALT)
    page = client.get(f"/en/events/r/{token}/").content.decode()
    assert "July 2, 2027, 3 a.m. Europe/Kyiv (EEST)" in page
    assert "America/Los_Angeles (PDT)" in page
    client.cookies[zones.COOKIE] = "Europe/Warsaw"  # the browser's own zone wins
    page = client.get(f"/en/events/r/{token}/").content.decode()
    assert "July 2, 2027, 2 a.m. Europe/Warsaw (CEST)" in page


def test_a_garbage_zone_is_not_recorded(la_forum):
    registration = services.event_register(
        event=la_forum, full_name="A", email="a@example.org", time_zone="../../etc/passwd"
    ).registration
    assert registration.time_zone == ""


def test_registering_records_the_visitors_zone(client, ussc, register):
    event = make_event(ussc, slug="zone-forum")
    client.cookies[zones.COOKIE] = "Europe%2FKyiv"
    register(event)
    assert Registration.objects.get(event=event).time_zone == "Europe/Kyiv"


def test_the_organisers_manage_page_names_the_zones(client, la_forum, ussc_organiser):
    client.force_login(ussc_organiser)
    client.cookies[zones.COOKIE] = "Europe/Kyiv"
    page = client.get(f"/en/events/{la_forum.slug}/manage/").content.decode()
    assert "July 2, 2027, 3 a.m. Europe/Kyiv (EEST)" in page
    assert "Local time: July 1, 2027, 5 p.m. America/Los_Angeles (PDT)" in page


# --- mail --------------------------------------------------------------------------------


def test_mail_gives_the_time_in_the_recipients_zone(la_forum, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.event_register(
            event=la_forum, full_name="Olena", email="olena@example.org", time_zone="Europe/Kyiv"
        )
        services.event_register(event=la_forum, full_name="Ann", email="ann@example.org")
    kyiv, la = mail.outbox
    assert "When: July 2, 2027, 3 a.m. Europe/Kyiv (EEST)" in kyiv.body
    assert "Local time: July 1, 2027, 5 p.m. America/Los_Angeles (PDT)" in kyiv.body
    # No zone recorded: the event's own, once.
    assert "When: July 1, 2027, 5 p.m. America/Los_Angeles (PDT)" in la.body
    assert "Local time" not in la.body


def test_an_offer_deadline_is_in_the_recipients_zone_in_mail_and_on_the_page(
    client, ussc, django_capture_on_commit_callbacks
):
    event = make_event(
        ussc,
        slug="small-forum",
        capacity=1,
        starts_at=START,
        ends_at=START + datetime.timedelta(hours=1),
    )
    first = services.event_register(event=event, full_name="A", email="a@example.org")
    second = services.event_register(
        event=event, full_name="B", email="b@example.org", time_zone="Europe/Kyiv"
    ).registration
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration_id=first.registration.pk)
    second.refresh_from_db()
    assert second.status == RegistrationStatus.OFFERED
    offered = next(m for m in mail.outbox if m.to == ["b@example.org"])
    until = zones.local(second.offer_expires_at, zoneinfo.ZoneInfo("Europe/Kyiv"))
    assert f"before {until}." in offered.body
    assert "(UTC)" not in offered.body
    token = tokens.make_token(second.pk, tokens.OFFER_SALT)
    page = client.get(f"/en/events/offer/{token}/").content.decode()
    assert f"until {until}." in page


def test_the_recorded_zone_is_exported_and_erased(la_forum):
    from spilka.events import personal_data

    services.event_register(
        event=la_forum, full_name="Olena", email="olena@example.org", time_zone="Europe/Kyiv"
    )
    (row,) = personal_data.export("olena@example.org")
    assert row["time_zone"] == "Europe/Kyiv"
    assert personal_data.erase("olena@example.org") == 1
    assert Registration.objects.get(event=la_forum).time_zone == ""
