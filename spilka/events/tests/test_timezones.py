"""Times in the organiser's zone, shown in the viewer's, across daylight-saving changes."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest

from spilka.events.recurrence import occurrences
from spilka.events.tests.conftest import make_event
from spilka.events.zones import local

pytestmark = pytest.mark.django_db

LA = zoneinfo.ZoneInfo("America/Los_Angeles")
WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")


def test_a_monthly_forum_keeps_its_local_time_when_the_clocks_change():
    starts = occurrences(
        rule="FREQ=MONTHLY;BYDAY=2WE",
        time_zone="America/Los_Angeles",
        local_start_time=datetime.time(17, 0),
        after=datetime.date(2027, 1, 1),
        until=datetime.date(2027, 4, 30),
    )
    assert [s.astimezone(LA).strftime("%m-%d %H:%M") for s in starts] == [
        "01-13 17:00",
        "02-10 17:00",
        "03-10 17:00",  # still winter time: the US changes on 14 March 2027
        "04-14 17:00",
    ]
    # In UTC the hour moves with daylight saving time.
    assert [s.hour for s in starts] == [1, 1, 1, 0]


def test_the_same_event_reads_differently_in_warsaw_before_and_after_europe_changes():
    # 20 March 2027: the US is on summer time, Europe not yet (until 28 March).
    before = datetime.datetime(2027, 3, 20, 17, 0, tzinfo=LA)
    after = datetime.datetime(2027, 4, 3, 17, 0, tzinfo=LA)
    assert str(local(before, WARSAW).value.strftime("%H:%M")) == "01:00"
    assert local(before, WARSAW).label == "Europe/Warsaw (CET)"
    assert local(after, WARSAW).value.strftime("%H:%M") == "02:00"
    assert local(after, WARSAW).label == "Europe/Warsaw (CEST)"


def test_the_page_shows_the_viewers_chosen_zone_and_labels_it(client, ussc):
    start = datetime.datetime(2027, 3, 20, 17, 0, tzinfo=LA)
    event = make_event(ussc, starts_at=start, ends_at=start + datetime.timedelta(hours=1))
    page = client.get(f"/en/events/{event.slug}/?tz=Europe/Warsaw").content.decode()
    assert "Europe/Warsaw (CET)" in page
    assert "1 a.m." in page or "01:00" in page
    # The organiser's local time is given too.
    assert "America/Los_Angeles (PDT)" in page


def test_the_browser_zone_cookie_is_used_and_a_bad_zone_falls_back_to_the_events(client, ussc):
    start = datetime.datetime(2027, 7, 1, 17, 0, tzinfo=LA)
    event = make_event(ussc, starts_at=start, ends_at=start + datetime.timedelta(hours=1))
    client.cookies["spilka_tz"] = "Europe/Kyiv"
    assert "Europe/Kyiv (EEST)" in client.get(f"/en/events/{event.slug}/").content.decode()
    page = client.get(f"/en/events/{event.slug}/?tz=Mars/Olympus").content.decode()
    assert "Europe/Kyiv (EEST)" in page  # the cookie, then the event's zone
    del client.cookies["spilka_tz"]
    page = client.get(f"/en/events/{event.slug}/?tz=../../etc").content.decode()
    assert "America/Los_Angeles (PDT)" in page
