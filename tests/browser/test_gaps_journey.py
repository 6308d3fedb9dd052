"""Organisers use the pages that closed issue 16's gaps, by clicking their own buttons.

Aid: route times typed per stop in the route's zone, a pledge's publish delay, and
cancelling the pledge after confirming. Events: moving a speaker down, removing one after
the confirm page, and starting a recurring series. Elements are found by data-* hooks,
names and ids, so the same journeys run under every language prefix.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal as D

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from spilka.aid.models import PledgeStatus, RouteStop
from spilka.aid.services import convoys as convoy_services
from spilka.aid.services import needs as need_services
from spilka.aid.services.catalogue import catalogue_ensure
from spilka.demo import load_all
from spilka.events.models import Event, Registration, Series
from spilka.events.services import events as event_services
from spilka.network import services as network_services
from spilka.network.models import Organisation
from tests.browser.language_boxes import fill_language_box
from tests.browser.sign_in import sign_in
from tests.demo_snapshot import load_demo_fresh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long journey passphrase"


def _user(email: str, org: Organisation, role: str):
    user = get_user_model().objects.create_user(email, PASSWORD, display_name=email.split("@")[0])
    network_services.role_grant(by="test", user=user, organisation=org, role=role)
    return user


@pytest.mark.parametrize("language", ["en", "uk"])
def test_route_times_and_a_pledge_cancelled(page, live_server, language):
    load_demo_fresh(load_all)
    base = live_server.url
    donor = Organisation.objects.get(slug="unison")
    recipient = Organisation.objects.get(slug="npgu-pavlohrad")
    organiser = _user("convoys@unison.test", donor, "organiser")
    items = catalogue_ensure(by="test")
    need = need_services.need_create(
        by="test",
        organisation=recipient,
        title={"en": "Kits"},
        oblast="dnipropetrovsk",
        lines=[(items["first-aid-kit"], D(10))],
    )
    pledge = need_services.pledge_create(
        by=organiser,
        need=need,
        donor_organisation=donor,
        lines=[{"need_line": need.lines.get(), "quantity": D(10)}],
    )
    convoy = convoy_services.convoy_create(by=organiser, organisation=donor, title="To Pavlohrad")
    stop = convoy_services.route_stop_add(by=organiser, convoy=convoy, place="Przemyśl")

    sign_in(page, base, "convoys@unison.test", PASSWORD, language=language)
    page.goto(f"{base}/{language}/aid/convoys/{convoy.pk}/")
    page.locator("[data-action=edit-route]").click()
    page.select_option("select[name=time_zone]", "Europe/Warsaw")
    page.fill(f"input[name=arrival_{stop.pk}]", "2027-05-04T10:00")
    page.fill(f"input[name=departure_{stop.pk}]", "2027-05-04T09:00")
    page.locator("[data-action=save-route]").click()
    # Refused with the message beside the field, and what was typed still there.
    expect(page.locator(f"input[name=departure_{stop.pk}]")).to_have_value("2027-05-04T09:00")
    expect(page.locator("#route-errors")).to_be_visible()
    page.fill(f"input[name=departure_{stop.pk}]", "2027-05-04T12:00")
    page.locator("[data-action=save-route]").click()
    expect(
        page.locator(f"#route-stops [data-stop='{stop.pk}'] [data-time=departure]")
    ).to_contain_text("Europe/Warsaw")
    stop = RouteStop.objects.get(pk=stop.pk)
    assert stop.planned_departure - stop.planned_at == datetime.timedelta(hours=2)

    page.goto(f"{base}/{language}/aid/needs/{need.pk}/")
    page.locator(f"[data-pledge='{pledge.pk}']").click()
    page.fill("input[name=publish_after]", "2027-06-01T12:00")
    page.select_option("#pledge-publish-form select[name=time_zone]", "Europe/London")
    page.locator("[data-action=save-publish-after]").click()
    expect(page.locator("#pledge-publish-after")).to_contain_text("2027")
    pledge.refresh_from_db()
    # Noon in London in June is 11:00 UTC.
    assert pledge.publish_after == datetime.datetime(2027, 6, 1, 11, 0, tzinfo=datetime.UTC)
    page.locator("[data-action=cancel-pledge]").click()
    page.check("#id_understood")
    page.locator("[data-action=confirm-cancel-pledge]").click()
    expect(page.locator("#pledge-status")).to_have_attribute("data-status", "cancelled")
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.CANCELLED


@pytest.mark.parametrize("language", ["en", "pl"])
def test_speakers_reordered_and_removed_and_a_series_started(page, live_server, language):
    load_demo_fresh(load_all)
    base = live_server.url
    ussc = Organisation.objects.get(slug="ussc")
    _user("forums@ussc.test", ussc, "organiser")
    start = timezone.now() + datetime.timedelta(days=5)
    event = event_services.event_create(
        by="test",
        organiser=ussc,
        slug="gaps-forum",
        kind="online_forum",
        title={"en": "Gaps forum"},
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        time_zone="Europe/Warsaw",
        is_online=True,
    )
    ann = event_services.speaker_add(event=event, by="test", name="Ann")
    bohdan = event_services.speaker_add(event=event, by="test", name="Bohdan")

    sign_in(page, base, "forums@ussc.test", PASSWORD, language=language)
    page.goto(f"{base}/{language}/events/{event.slug}/manage/")
    page.locator(f"[data-item='speaker-{ann.pk}'] [data-action=move-down]").click()
    expect(page.locator("#speakers li").first).to_have_attribute("data-speaker", str(bohdan.pk))
    page.locator(f"[data-item='speaker-{bohdan.pk}'] [data-action=delete]").click()
    page.locator("[data-action=confirm-delete]").click()
    expect(page.locator(f"[data-speaker='{bohdan.pk}']")).to_have_count(0)
    assert list(event.speakers.values_list("name", flat=True)) == ["Ann"]

    # A question with an answer is reworded and gains an option; the chosen one stays.
    meal = event_services.question_add(
        event=event, by="test", label={"en": "Meal?"}, kind="choice", choices=["Vegan", "Meat"]
    )
    Registration.objects.create(
        event=event, full_name="Ola", email="ola@example.org", answers={str(meal.pk): "Vegan"}
    )
    page.goto(f"{base}/{language}/events/{event.slug}/manage/")
    page.locator(f"[data-item='question-{meal.pk}'] [data-action=edit]").click()
    expect(page.locator("#question-answered")).to_be_visible()
    fill_language_box(page, "label", "en", "Which meal?")
    page.fill("textarea[name=choices_text]", "Vegan\nMeat\nHalal")
    page.locator("[data-action=save-question]").click()
    expect(page.locator(f"[data-question='{meal.pk}']")).to_contain_text("Which meal?")
    meal.refresh_from_db()
    assert meal.choices == ["Vegan", "Meat", "Halal"]

    first = (timezone.now() + datetime.timedelta(days=10)).date()
    page.goto(f"{base}/{language}/events/")
    page.locator("[data-action=new-series]").click()
    page.fill("input[name=slug]", "gaps-series")
    page.fill("input[name=title_en]", "Gaps series")
    page.select_option("select[name=time_zone]", "Europe/Kyiv")
    page.select_option("select[name=frequency]", "weekly")
    page.fill("input[name=interval]", "2")
    page.fill("input[name=first_date]", first.isoformat())
    page.fill("input[name=local_start_time]", "18:00")
    page.fill("input[name=count]", "3")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/{language}/events/series/gaps-series/")
    series = Series.objects.get(slug="gaps-series")
    assert Event.objects.filter(series=series).count() == 3
    rule = page.locator("#series-rule")
    expect(rule).to_have_attribute("data-rule", re.compile("INTERVAL=2"))
    # The visitor reads the rule in words, never the RRULE itself.
    expect(rule).not_to_contain_text("FREQ=")
