"""Demo data for events, loaded by `load_demo` after the network and the campaigns.

Today in the demo is late November 2026: USSC's monthly forum has past recordings and an
upcoming session; the UK conference, the 2022 Lviv delegation and a San Francisco march
are in the archive. Recording links point at example.org; nobody real registers.
"""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

from django.db import transaction

from spilka.events.models import Event, Series
from spilka.events.services import events as services
from spilka.network.models import Organisation

BY = "load_demo"
LA = zoneinfo.ZoneInfo("America/Los_Angeles")


def _at(zone: zoneinfo.ZoneInfo, *args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=zone)  # type: ignore[misc, arg-type]


SERIES: dict[str, Any] = {
    "slug": "ussc-forums",
    "organiser": "ussc",
    "title": {
        "en": "USSC public forums",
        "uk": "Публічні форуми USSC",
        "pl": "Otwarte fora USSC",
        "ru": "Открытые форумы USSC",
    },
    "description": {
        "en": "A monthly public Zoom forum of the Ukraine Socialist Solidarity Campaign: "
        "Ukrainian, Russian, Iranian and American speakers on the war, its history and the "
        "left's answers. Recordings of past forums are below."
    },
    "recurrence": "FREQ=MONTHLY;BYDAY=2WE",
    "time_zone": "America/Los_Angeles",
    "local_start_time": datetime.time(17, 0),
    "duration_minutes": 90,
}

PAST_FORUMS: list[dict[str, Any]] = [
    {
        "slug": "ussc-forum-holodomor",
        "start": (2022, 11, 9, 17, 0),
        "topic": "history",
        "title": {
            "en": "The Holodomor: famine, memory and Ukrainian independence",
            "uk": "Голодомор: голод, пам'ять і незалежність України",
            "pl": "Wielki Głód: głód, pamięć i niepodległość Ukrainy",
        },
        "speakers": [("A historian of Soviet Ukraine", "Demo University")],
        "recording": "https://peertube.example.org/w/demo-holodomor",
    },
    {
        "slug": "ussc-forum-iranian-revolution",
        "start": (2023, 1, 11, 17, 0),
        "topic": "international",
        "title": {
            "en": "Woman, Life, Freedom: the Iranian revolution and Ukraine",
            "uk": "Жінка, життя, свобода: іранська революція та Україна",
        },
        "speakers": [("An Iranian socialist feminist", ""), ("A USSC organiser", "USSC")],
        "recording": "https://peertube.example.org/w/demo-iran",
    },
    {
        "slug": "ussc-forum-is-russia-fascist",
        "start": (2023, 3, 8, 17, 0),
        "topic": "politics",
        "title": {
            "en": "Is Russia fascist?",
            "uk": "Чи є Росія фашистською?",
            "pl": "Czy Rosja jest faszystowska?",
            "ru": "Фашистская ли Россия?",
        },
        "speakers": [("A Russian anti-war sociologist", ""), ("A Ukrainian historian", "")],
        "recording": "https://peertube.example.org/w/demo-russia-fascism",
        "languages": ["en", "ru"],
    },
    {
        "slug": "ussc-forum-environment",
        "start": (2023, 6, 14, 17, 0),
        "topic": "environment",
        "title": {
            "en": "The environmental aspects of the war: the Kakhovka dam and beyond",
            "uk": "Екологічні наслідки війни: Каховська ГЕС і не тільки",
        },
        "speakers": [("An ecologist from Ukraine", "Demo ecology group")],
        "recording": "https://peertube.example.org/w/demo-environment",
    },
]

OTHER_EVENTS: list[dict[str, Any]] = [
    {
        "slug": "another-ukraine-is-possible",
        "organiser": "ukraine-solidarity-campaign",
        "co": ["sotsialnyi-rukh"],
        "campaign": "full-support-for-ukraine",
        "kind": "conference",
        "topic": "labour",
        "starts_at": _at(zoneinfo.ZoneInfo("Europe/London"), 2023, 6, 24, 10, 0),
        "hours": 7,
        "time_zone": "Europe/London",
        "city": "London",
        "country": "GB",
        "venue_name": "A trade union hall",
        "languages": ["en", "uk"],
        "title": {
            "en": "Another Ukraine is Possible",
            "uk": "Інша Україна можлива",
            "pl": "Inna Ukraina jest możliwa",
            "ru": "Другая Украина возможна",
        },
        "description": {
            "en": "A day conference of the Ukraine Solidarity Campaign with trade unionists "
            "and socialists from Ukraine: reconstruction for working people, debt "
            "cancellation, and union rights under martial law."
        },
        "recording": "https://peertube.example.org/w/demo-another-ukraine",
    },
    {
        "slug": "lviv-delegation-2022",
        "organiser": "ukraine-solidarity-campaign",
        "co": ["kvpu"],
        "kind": "delegation",
        "topic": "labour",
        "starts_at": _at(zoneinfo.ZoneInfo("Europe/Kyiv"), 2022, 11, 18, 9, 0),
        "hours": 56,
        "time_zone": "Europe/Kyiv",
        "city": "Lviv",
        "country": "UA",
        "requires_approval": True,
        "languages": ["en", "uk"],
        "title": {
            "en": "Parliamentary delegation to Lviv",
            "uk": "Парламентська делегація до Львова",
            "pl": "Delegacja parlamentarna do Lwowa",
        },
        "description": {
            "en": "Members of parliament and union officers met Ukrainian trade unions, "
            "miners' representatives and Social Movement in Lviv. Places were approved by "
            "the organisers; who took part is not published here."
        },
    },
    {
        "slug": "sf-unity-march",
        "organiser": "ussc",
        "kind": "street_action",
        "topic": "war",
        "starts_at": _at(LA, 2023, 2, 25, 12, 0),
        "hours": 3,
        "time_zone": "America/Los_Angeles",
        "city": "San Francisco",
        "country": "US",
        "venue_name": "Civic Center",
        "turnout": 400,
        "languages": ["en", "uk"],
        "title": {
            "en": "Unity march for Ukraine, San Francisco",
            "uk": "Марш єдності з Україною, Сан-Франциско",
        },
        "description": {
            "en": "On the anniversary of the full-scale invasion, unions, Ukrainian community "
            "groups and the left marched together through San Francisco."
        },
    },
]


def _event(orgs: dict[str, Organisation], data: dict[str, Any], series: Series | None) -> Event:
    from spilka.campaigns.models import Campaign

    existing = Event.objects.filter(slug=data["slug"]).first()
    if existing is not None:
        return existing
    fields = {
        k: v
        for k, v in data.items()
        if k
        not in {"slug", "organiser", "co", "campaign", "hours", "speakers", "recording", "start"}
    }
    fields["ends_at"] = data["starts_at"] + datetime.timedelta(hours=data["hours"])
    campaign = Campaign.objects.filter(slug=data.get("campaign", "")).first()
    event = services.event_create(
        by=BY,
        organiser=orgs[data["organiser"]],
        slug=data["slug"],
        co_organisers=[orgs[s] for s in data.get("co", []) if s in orgs],
        co_organisers_confirmed=True,  # the demo network agreed to it
        campaign=campaign,
        series=series,
        **fields,
    )
    for name, org_name in data.get("speakers", []):
        services.speaker_add(event=event, by=BY, name=name, organisation_name=org_name)
    if data.get("recording"):
        services.recording_add(event=event, by=BY, url=data["recording"], title="", language="en")
    return event


@transaction.atomic
def load_events_demo() -> dict[str, int]:
    orgs = {o.slug: o for o in Organisation.objects.all()}
    if "ussc" not in orgs or "ukraine-solidarity-campaign" not in orgs:
        return {}
    before = Event.objects.count()
    series = Series.objects.filter(slug=SERIES["slug"]).first()
    if series is None:
        series = services.series_create(
            by=BY,
            organiser=orgs[SERIES["organiser"]],
            **{k: v for k, v in SERIES.items() if k != "organiser"},
        )
    for forum in PAST_FORUMS:
        data = {
            "organiser": "ussc",
            "kind": "online_forum",
            "is_online": True,
            "time_zone": "America/Los_Angeles",
            "starts_at": _at(LA, *forum["start"]),
            "hours": 1.5,
            "languages": forum.get("languages", ["en"]),
            "description": {"en": "A USSC public forum on Zoom."},
            "join_url": "https://meet.example.org/j/ussc-past",
            **{k: v for k, v in forum.items() if k != "start"},
        }
        _event(orgs, data, series)
    # The next sessions come from the series' rule (second Wednesday, 17:00 in California).
    upcoming = services.series_generate(
        series=series,
        by=BY,
        after=datetime.date(2026, 12, 1),
        until=datetime.date(2027, 1, 31),
        join_url="https://meet.example.org/j/ussc-forum",
        join_details="Passcode: solidarity",
        languages=["en", "uk"],
        topic="labour",
        capacity=300,
    )
    if upcoming:
        first = upcoming[0]
        services.event_update(
            event=first,
            by=BY,
            title={
                "en": "Ukraine's unions under martial law",
                "uk": "Профспілки України в умовах воєнного стану",
                "pl": "Ukraińskie związki w stanie wojennym",
                "ru": "Профсоюзы Украины в условиях военного положения",
            },
        )
        services.speaker_add(
            event=first, by=BY, name="A miners' union organiser", organisation_name="NPGU"
        )
        services.question_add(
            event=first,
            by=BY,
            label={"en": "Where are you joining from?", "pl": "Skąd się łączysz?"},
            kind="text",
            required=False,
        )
    for data in OTHER_EVENTS:
        _event(orgs, data, None)
    return {"events": Event.objects.count() - before}
