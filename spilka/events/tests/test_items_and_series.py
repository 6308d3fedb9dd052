"""Removing and reordering speakers, questions and recordings; starting a recurring series."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from spilka.events.models import Event, Question, Registration, Series
from spilka.events.recurrence import describe_rule
from spilka.events.services import events as event_services
from spilka.events.services import items as item_services
from spilka.events.services.series import series_rule, series_start
from spilka.events.tests.conftest import make_event
from spilka.lib.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(ussc):
    event = make_event(ussc)
    for name in ("Ann", "Bohdan", "Celina"):
        event_services.speaker_add(event=event, by="test", name=name)
    return event


def _names(event):
    return list(event.speakers.order_by("position", "pk").values_list("name", flat=True))


def test_moving_a_speaker_up_swaps_it_with_the_one_before(event, ussc_organiser):
    celina = event.speakers.get(name="Celina")
    assert item_services.event_item_move(
        event=event, by=ussc_organiser, kind="speaker", pk=celina.pk, direction="up"
    )
    assert _names(event) == ["Ann", "Celina", "Bohdan"]
    assert AuditEntry.objects.filter(action="events.speaker.moved").count() == 1


def test_the_first_item_does_not_move_up(event, ussc_organiser):
    ann = event.speakers.get(name="Ann")
    assert not item_services.event_item_move(
        event=event, by=ussc_organiser, kind="speaker", pk=ann.pk, direction="up"
    )
    assert _names(event) == ["Ann", "Bohdan", "Celina"]


def test_recordings_without_positions_are_numbered_when_moved(event, ussc_organiser):
    first = event_services.recording_add(event=event, by="test", url="https://example.org/1")
    second = event_services.recording_add(event=event, by="test", url="https://example.org/2")
    event.recordings.update(position=0)  # as recordings made before positions existed
    item_services.event_item_move(
        event=event, by=ussc_organiser, kind="recording", pk=second.pk, direction="up"
    )
    assert list(event.recordings.values_list("pk", flat=True)) == [second.pk, first.pk]


def test_an_unanswered_question_is_deleted_with_an_audit_row(event, ussc_organiser):
    question = event_services.question_add(event=event, by="test", label={"en": "Diet?"})
    item_services.event_item_delete(event=event, by=ussc_organiser, kind="question", pk=question.pk)
    assert not Question.objects.filter(pk=question.pk).exists()
    entry = AuditEntry.objects.get(action="events.question.deleted")
    assert entry.before["question"]["label"] == {"en": "Diet?"}


def test_an_answered_question_stays_with_its_answers(event, ussc_organiser):
    question = event_services.question_add(event=event, by="test", label={"en": "Diet?"})
    Registration.objects.create(
        event=event, full_name="Ola", email="ola@example.org", answers={str(question.pk): "Vegan"}
    )
    with pytest.raises(ValidationError, match="1 person has answered"):
        item_services.event_item_delete(
            event=event, by=ussc_organiser, kind="question", pk=question.pk
        )
    assert Question.objects.filter(pk=question.pk).exists()


def test_manage_page_moves_with_plain_forms(login, event, ussc_organiser):
    client = login(ussc_organiser)
    page = client.get(reverse("events:manage", kwargs={"slug": event.slug})).content.decode()
    bohdan = event.speakers.get(name="Bohdan")
    url = reverse("events:item_move", args=[event.slug, "speaker", bohdan.pk])
    assert url in page
    response = client.post(url, {"direction": "down"})
    assert response.status_code == 302
    assert _names(event) == ["Ann", "Celina", "Bohdan"]


def test_deleting_asks_first_then_removes(login, event, ussc_organiser):
    client = login(ussc_organiser)
    ann = event.speakers.get(name="Ann")
    url = reverse("events:item_delete", args=[event.slug, "speaker", ann.pk])
    assert client.get(url).status_code == 200
    assert event.speakers.filter(pk=ann.pk).exists()
    assert client.post(url).status_code == 302
    assert not event.speakers.filter(pk=ann.pk).exists()


def test_another_organisations_organiser_cannot_move_or_delete(login, event, razem_organiser):
    ann = event.speakers.get(name="Ann")
    client = login(razem_organiser)
    move = reverse("events:item_move", args=[event.slug, "speaker", ann.pk])
    delete = reverse("events:item_delete", args=[event.slug, "speaker", ann.pk])
    assert client.post(move, {"direction": "down"}).status_code == 403
    assert client.post(delete).status_code == 403
    assert _names(event) == ["Ann", "Bohdan", "Celina"]


def test_a_speaker_of_another_event_is_not_found(login, event, ussc, ussc_organiser):
    other = make_event(ussc, slug="other-forum")
    speaker = event_services.speaker_add(event=other, by="test", name="Dmytro")
    url = reverse("events:item_delete", args=[event.slug, "speaker", speaker.pk])
    assert login(ussc_organiser).post(url).status_code == 404
    assert other.speakers.filter(pk=speaker.pk).exists()


# --- series -----------------------------------------------------------------------------


def test_rules_follow_the_first_date():
    tuesday = datetime.date(2026, 6, 9)  # the second Tuesday of June
    assert series_rule(frequency="weekly", interval=2, first_date=tuesday) == (
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"
    )
    assert series_rule(frequency="monthly_weekday", interval=1, first_date=tuesday) == (
        "FREQ=MONTHLY;BYDAY=2TU"
    )
    assert series_rule(
        frequency="monthly_weekday", interval=1, first_date=datetime.date(2026, 6, 30)
    ).endswith("BYDAY=-1TU")


def test_a_series_of_four_keeps_the_local_time_across_the_clock_change(ussc, ussc_organiser):
    series, events = series_start(
        by=ussc_organiser,
        organiser=ussc,
        slug="kyiv-calls",
        title={"en": "Kyiv calls"},
        time_zone="Europe/Kyiv",
        local_start_time=datetime.time(19, 0),
        duration_minutes=60,
        frequency="weekly",
        interval=2,
        first_date=datetime.date(2026, 10, 13),
        count=4,
    )
    kyiv = zoneinfo.ZoneInfo("Europe/Kyiv")
    starts = [e.starts_at.astimezone(kyiv) for e in events]
    assert [s.date() for s in starts] == [
        datetime.date(2026, 10, 13),
        datetime.date(2026, 10, 27),
        datetime.date(2026, 11, 10),
        datetime.date(2026, 11, 24),
    ]
    assert {s.time() for s in starts} == {datetime.time(19, 0)}
    assert all(e.series == series for e in events)
    assert AuditEntry.objects.filter(
        action="events.series.created", object_id=str(series.pk)
    ).exists()


def test_an_until_date_before_the_first_is_refused(ussc, ussc_organiser):
    with pytest.raises(ValidationError):
        series_start(
            by=ussc_organiser,
            organiser=ussc,
            slug="never",
            title={"en": "Never"},
            frequency="weekly",
            interval=1,
            first_date=datetime.date(2026, 10, 13),
            until=datetime.date(2026, 10, 1),
        )
    assert not Series.objects.filter(slug="never").exists()


def _series_post(**overrides):
    data = {
        "slug": "monthly-forum",
        "title_en": "Monthly forum",
        "original_language": "en",
        "kind": "online_forum",
        "is_online": "on",
        "time_zone": "Europe/Warsaw",
        "frequency": "monthly_weekday",
        "interval": "1",
        "first_date": "2026-09-08",
        "local_start_time": "18:30",
        "duration_minutes": "90",
        "count": "3",
        "until": "",
        "is_public": "on",
    }
    data.update(overrides)
    return data


def test_organiser_creates_a_series_from_the_form(login, ussc, ussc_organiser):
    client = login(ussc_organiser)
    url = reverse("events:series_create") + f"?org={ussc.slug}"
    assert client.get(url).status_code == 200
    response = client.post(url, _series_post())
    assert response.status_code == 302
    series = Series.objects.get(slug="monthly-forum")
    assert series.recurrence == "FREQ=MONTHLY;BYDAY=2TU"
    assert Event.objects.filter(series=series).count() == 3
    page = client.get(series.get_absolute_url()).content.decode()
    assert "monthly-forum-2026-09-08" in page


def test_the_form_needs_a_count_or_an_until_date(login, ussc, ussc_organiser):
    url = reverse("events:series_create") + f"?org={ussc.slug}"
    response = login(ussc_organiser).post(url, _series_post(count=""))
    assert response.status_code == 400
    assert not Series.objects.filter(slug="monthly-forum").exists()
    assert 'value="monthly-forum"' in response.content.decode()


def test_people_without_an_organising_role_cannot_create_a_series(login, ussc_viewer):
    assert login(ussc_viewer).get(reverse("events:series_create")).status_code == 403


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=WEEKLY;INTERVAL=1;BYDAY=TU", "Every week on Tuesday"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", "Every 2 weeks on Monday"),
        ("FREQ=MONTHLY;BYDAY=2TH", "Every month on Thursday of week 2"),
        ("FREQ=MONTHLY;BYDAY=-1FR", "Every month on Friday of the last week"),
        ("RRULE:FREQ=WEEKLY;BYDAY=SU;COUNT=3", "Every week on Sunday, 3 times"),
        ("FREQ=WEEKLY;BYDAY=WE;UNTIL=20270115", "Every week on Wednesday, until Jan. 15, 2027"),
    ],
)
def test_a_series_rule_reads_as_words(rule, words):
    with translation.override("en"):
        assert describe_rule(rule) == words


def test_a_rule_the_form_never_writes_is_shown_as_it_is_rather_than_described_wrongly():
    for rule in ("FREQ=DAILY;INTERVAL=3", "FREQ=WEEKLY;BYDAY=MO,WE", "FREQ=YEARLY;BYMONTH=5"):
        assert describe_rule(rule) == rule


def test_the_series_page_describes_its_rule_in_words_not_as_an_rrule(client, ussc, ussc_organiser):
    series, _events = series_start(
        by=ussc_organiser,
        organiser=ussc,
        slug="tuesday-calls",
        title={"en": "Tuesday calls"},
        time_zone="Europe/Kyiv",
        local_start_time=datetime.time(19, 0),
        duration_minutes=60,
        frequency="weekly",
        interval=1,
        first_date=datetime.date(2026, 10, 13),
        count=2,
    )
    series.is_public = True
    series.save(update_fields=["is_public"])
    with translation.override("en"):
        page = client.get(series.get_absolute_url()).content.decode()
    assert "Every week on Tuesday, at 19:00 (Europe/Kyiv)." in page
    assert ">Repeats by the rule" not in page
    with translation.override("uk"):
        assert "вівторок" in describe_rule(series.recurrence).lower()
