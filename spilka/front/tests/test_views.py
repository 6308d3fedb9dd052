"""The instance's front page and an organisation's front sections, as visitors see them."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from spilka.front.tests import builders as make

pytestmark = pytest.mark.django_db

USC = "ukraine-solidarity-campaign"


def _queries(client, url: str) -> int:
    cache.clear()  # a cold cache: the page reads everything it shows
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _more_of_everything(org, n: int = 6, prefix: str = "more") -> None:
    """``n`` more of every kind of row the front sections show, each a bit more than a
    section holds (three petitions for a campaign showing two)."""
    for i in range(n):
        campaign = make.campaign(org, f"front-{prefix}-{i}")
        for letter in "abc":
            make.petition(campaign, f"front-{prefix}-{i}-{letter}")
        make.need(org, f"Front {prefix} need {i}", priority="critical")
        make.event(org, f"front-{prefix}-{i}")
        make.statement(campaign, f"front-{prefix}-statement-{i}")
        make.publication(org, f"front-{prefix}-{i}")


def test_the_front_page_is_at_the_language_root_and_the_directory_moved(anon, demo):
    assert reverse("front:index") == "/en/"
    assert reverse("network:directory") == "/en/organisations/"
    body = anon.get("/en/").content.decode()
    assert "data-front-page" in body
    nav = body.split('class="site-header"', 1)[1].split("</header>", 1)[0]
    assert 'href="/en/" data-nav="front"' in nav
    assert 'href="/en/organisations/" data-nav="directory"' in nav


def test_the_front_page_shows_every_section_linking_to_each_item(anon, demo):
    body = anon.get("/en/").content.decode()
    for section in ("campaigns", "needs", "events", "statements", "publications", "network"):
        assert f'data-front-section="{section}"' in body, section
    assert 'data-front-link="campaign"' in body
    assert 'data-front-link="petition"' in body
    assert 'class="petition-progress"' in body


def test_petition_progress_is_the_count_and_goal_the_petition_page_shows(anon, demo):
    org = demo[USC]
    campaign = make.campaign(org, "front-progress")
    petition = make.petition(campaign, "front-progress-petition", goal=750)
    type(petition).objects.filter(pk=petition.pk).update(confirmed_count=321)
    front = anon.get("/en/").content.decode()
    card = front.split('data-front-petition="front-progress-petition"', 1)[1].split("</div>", 2)
    card_html = "".join(card[:2])
    assert 'value="321" max="750"' in card_html
    petition_page = anon.get(petition.get_absolute_url()).content.decode()
    assert 'value="321" max="750"' in petition_page


def test_the_front_page_is_in_the_visitors_language(anon, demo):
    org = demo[USC]
    campaign = make.campaign(
        org, "front-words", title={"en": "Front words campaign", "uk": "Кампанія першої сторінки"}
    )
    make.petition(campaign, "front-words-petition")
    uk = anon.get("/uk/").content.decode()
    assert '<html lang="uk"' in uk
    assert "Кампанія першої сторінки" in uk
    assert "Front words campaign" not in uk
    with translation.override("uk"):
        assert reverse("campaigns:campaign", args=["front-words"]) in uk
    assert 'href="/uk/organisations/"' in uk
    en = anon.get("/en/").content.decode()
    assert "Front words campaign" in en
    assert "Кампанія першої сторінки" not in en


def test_events_are_shown_in_the_visitors_time_zone(anon, demo):
    make.event(demo[USC], "front-zone", days=2, time_zone="Europe/Kyiv")
    body = anon.get("/en/", {"tz": "America/New_York"}).content.decode()
    assert "America/New_York" in body
    anon.cookies["spilka_tz"] = "Europe/Warsaw"
    assert "Europe/Warsaw (CE" in anon.get("/en/").content.decode()


def test_the_front_page_names_no_private_organisation_and_no_finer_place(anon, demo):
    private = demo["usc-convoy-team"]
    make.need(
        demo[USC],
        "Front need somewhere",
        oblast="sumy",
        hromada="Hidden hromada",
        settlement="Hidden village",
        publish_only_oblast=False,
        priority="critical",
    )
    make.publication(private, "front-private-publication")
    body = anon.get("/en/").content.decode()
    assert "Front need somewhere" in body
    assert "Sumy oblast" in body
    assert "Hidden village" not in body and "Hidden hromada" not in body
    assert "front-private-publication" not in body
    assert str(private) not in body
    assert private.slug not in body


def test_a_visitor_who_signs_in_sees_the_same_public_front_page(login, usc_admin, demo):
    make.campaign(demo[USC], "front-hidden-campaign", is_public=False)
    body = login(usc_admin).get("/en/").content.decode()
    assert "front-hidden-campaign" not in body


def test_the_front_page_costs_the_same_queries_with_more_data(anon, demo):
    _more_of_everything(demo[USC], n=1, prefix="first")  # one of each to start with
    before = _queries(anon, "/en/")
    _more_of_everything(demo[USC])
    after = _queries(anon, "/uk/")
    assert after <= before
    assert before <= 20


def test_the_front_page_is_cached_for_everyone(anon, demo, django_assert_max_num_queries):
    anon.get("/en/")
    with django_assert_max_num_queries(0):
        anon.get("/uk/")


def test_the_organisation_page_shows_its_own_front_sections(anon, demo):
    org = demo[USC]
    mine = make.campaign(org, "front-usc-campaign")
    make.petition(mine, "front-usc-petition")
    other = make.campaign(demo["razem"], "front-razem-campaign")
    make.petition(other, "front-razem-petition")
    make.need(org, "Front USC need")
    make.publication(org, "front-usc-publication")
    body = anon.get(org.get_absolute_url()).content.decode()
    assert f'data-organisation-front="{org.slug}"' in body
    assert 'data-front-campaign="front-usc-campaign"' in body
    assert 'data-front-petition="front-usc-petition"' in body
    assert "front-razem-campaign" not in body
    assert "Front USC need" in body
    assert 'data-front-publication="front-usc-publication"' in body


def test_the_organisation_front_is_in_ukrainian_under_uk(anon, demo):
    org = demo[USC]
    make.campaign(org, "front-usc-uk", title={"en": "USC words", "uk": "Слова USC"})
    with translation.override("uk"):
        url = org.get_absolute_url()
    body = anon.get(url).content.decode()
    assert "Слова USC" in body
    assert "USC words" not in body


def test_a_private_organisations_page_has_no_front_sections(login, demo):
    from spilka.lib.testing import user_with_roles

    private = demo["usc-convoy-team"]
    member = user_with_roles("member@convoy.test", [(private, "viewer")])
    make.need(private, "Front convoy team need")
    response = login(member).get(private.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert "data-organisation-front" not in body
    assert "Front convoy team need" not in body


def test_the_organisation_page_costs_the_same_queries_with_more_data(anon, demo):
    url = demo[USC].get_absolute_url()
    _more_of_everything(demo[USC], n=1, prefix="first")  # one of each to start with
    before = _queries(anon, url)
    _more_of_everything(demo[USC])
    after = _queries(anon, url)
    assert after <= before
