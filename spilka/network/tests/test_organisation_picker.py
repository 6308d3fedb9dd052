"""The organisation picker: its endpoint answers only from the form's own choices, the form
refuses forged ids, and without a script the text box is a search the form answers."""

from __future__ import annotations

import re

import pytest

from spilka.campaigns.models import Campaign
from spilka.network import pickers, services
from spilka.network.selectors import link_requests_pending_about

pytestmark = pytest.mark.django_db

URL = "/en/pickers/organisations/"


def _organisation(slug: str, name: dict[str, str], *, public: bool = True, country: str = "PL"):
    return services.organisation_create(
        by="test setup", slug=slug, name=name, kind="campaign", country=country, is_public=public
    )


def _private(slug: str, name: str):
    return _organisation(slug, {"en": name}, public=False)


def _token(body: str, field: str) -> str:
    found = re.search(r'data-scope="([^"]+)" data-name="' + field + '"', body)
    assert found, "the page has no picker for " + field
    return found.group(1)


def _campaign_data(demo, **extra):
    return {
        "slug": "picked",
        "title_en": "Without a script",
        "original_language": "en",
        "summary_en": "Generators for miners' families.",
        "lead_organisation": demo["ukraine-solidarity-campaign"].pk,
        "status": "active",
        "is_public": "on",
        **extra,
    }


@pytest.fixture
def searched(monkeypatch):
    """Every picker searches, however few choices there are (the demo has about 30)."""
    monkeypatch.setattr(pickers, "PLAIN_UP_TO", 0)


def test_the_campaign_form_renders_a_search_box_not_every_organisation(
    demo, login, usc_admin, searched
):
    body = login(usc_admin).get("/en/campaigns/new/").content.decode()
    assert 'name="co_organisers__q"' in body
    assert "spilka/picker" in body
    # None listed until asked for: the page no longer names every pickable organisation.
    assert f'value="{demo["razem"].pk}"' not in body


def test_the_endpoint_finds_organisations_the_form_offers_in_any_alphabet(
    demo, login, usc_admin, searched
):
    _organisation("kyiv-teachers", {"uk": "Профспілка освітян Київ", "en": "Kyiv teachers"})
    _organisation("lodz-nurses", {"pl": "Związek Pielęgniarek Łódź"})
    client = login(usc_admin)
    token = _token(client.get("/en/campaigns/new/").content.decode(), "co_organisers")
    results = client.get(URL, {"scope": token, "q": "RAZ"}).json()["results"]
    assert demo["razem"].pk in [r["value"] for r in results]
    assert set(results[0]) == {"name", "country", "value"}  # no slug or id to learn more by
    assert [
        r["name"] for r in client.get(URL, {"scope": token, "q": "КИЇВ"}).json()["results"]
    ] == ["Kyiv teachers"]
    found = client.get(URL, {"scope": token, "q": "pielęgniarek ŁÓDŹ"}).json()["results"]
    assert [(r["name"], r["country"]) for r in found] == [("Związek Pielęgniarek Łódź", "Poland")]


def test_the_endpoint_never_names_an_organisation_the_user_may_not_pick(
    demo, login, usc_admin, razem_organiser, searched
):
    hidden = _private("ukryta-zwiazkowa", "Ukryta Związkowa")
    client = login(usc_admin)
    token = _token(client.get("/en/campaigns/new/").content.decode(), "co_organisers")
    assert client.get(URL, {"scope": token, "q": "ukryta"}).json()["results"] == []
    # Once usc_admin holds a role in it, the same search finds it.
    services.role_grant(by="test setup", user=usc_admin, organisation=hidden, role="viewer")
    client = login(usc_admin)
    found = client.get(URL, {"scope": token, "q": "związkowa"}).json()["results"]
    assert [r["value"] for r in found] == [hidden.pk]
    # Another person's token is refused, whatever it names.
    other = login(razem_organiser)
    answer = other.get(URL, {"scope": token, "q": "ukryta"})
    assert answer.status_code == 400
    assert answer.json()["results"] == []


def test_the_endpoint_wants_a_signed_in_person_and_a_token_of_ours(demo, anon, login, usc_admin):
    assert anon.get(URL, {"scope": "x", "q": "raz"}).status_code == 302
    client = login(usc_admin)
    forged = pickers.picker_token("pickable", user=usc_admin).replace(":", ";", 1)
    assert client.get(URL, {"scope": forged, "q": "raz"}).status_code == 400
    assert client.get(URL, {"q": "raz"}).status_code == 400
    token = pickers.picker_token("pickable", user=usc_admin)
    assert client.get(URL, {"scope": token, "q": "  "}).json()["results"] == []
    assert len(client.get(URL, {"scope": token, "q": "a" * 5000}).json()["results"]) == 0


def test_the_endpoint_answers_at_most_twenty(demo, login, usc_admin):
    for n in range(25):
        services.organisation_create(
            by="test setup",
            slug=f"branch-{n}",
            name={"en": f"Branch {n}"},
            kind="union_branch",
            country="GB",
        )
    token = pickers.picker_token("pickable", user=usc_admin)
    results = login(usc_admin).get(URL, {"scope": token, "q": "branch"}).json()["results"]
    assert len(results) == pickers.MATCHES == 20


def test_a_forged_organisation_id_is_refused_by_the_form(demo, login, usc_admin, searched):
    hidden = _private("ukryta", "Ukryta")
    client = login(usc_admin)
    answer = client.post("/en/campaigns/new/", _campaign_data(demo, co_organisers=[hidden.pk]))
    assert answer.status_code == 400
    assert "Select a valid choice" in answer.content.decode()
    assert not Campaign.objects.filter(slug="picked").exists()


def test_without_script_the_text_box_is_a_search_the_form_answers(demo, login, usc_admin, searched):
    client = login(usc_admin)
    data = _campaign_data(demo, co_organisers__q="razem")
    answer = client.post("/en/campaigns/new/", data)
    body = answer.content.decode()
    assert answer.status_code == 200
    assert not Campaign.objects.filter(slug="picked").exists()
    assert "Organisations matching" in body
    razem = demo["razem"]
    assert f'name="co_organisers" value="{razem.pk}">' in body
    # What was typed elsewhere stays.
    assert 'value="Without a script"' in body
    # Ticking the match and saving names it.
    data.pop("co_organisers__q")
    data["co_organisers"] = [razem.pk]
    assert client.post("/en/campaigns/new/", data).status_code == 302
    campaign = Campaign.objects.get(slug="picked")
    named = {*campaign.co_organisers.all()} | {
        link.organisation for link in link_requests_pending_about(campaign=campaign)
    }
    assert razem in named


def test_a_short_list_stays_a_plain_list(demo, login, usc_admin):
    body = login(usc_admin).get("/en/campaigns/new/").content.decode()
    assert 'name="co_organisers__q"' not in body
    assert f'value="{demo["razem"].pk}"' in body


def test_a_visitor_searches_public_organisations_only_and_gets_no_endpoint_token(
    demo, anon, searched
):
    _private("razem-ukryta", "Razem ukryta")
    url = "/en/statements/warsaw-statement-2022/cosign/officer/"
    body = anon.get(url).content.decode()
    assert 'name="organisation__q"' in body
    assert "data-scope" not in body  # the endpoint is for signed-in people
    body = anon.post(url, {"organisation__q": "razem"}).content.decode()
    assert "Organisations matching" in body
    assert f'value="{demo["razem"].slug}"' in body
    assert "razem-ukryta" not in body and "Razem ukryta" not in body


def test_a_private_partner_is_found_by_its_name_never_by_its_city(demo, login, usc_admin, searched):
    hidden = services.organisation_create(
        by="test setup",
        slug="pidpillia",
        name={"uk": "Підпільна спілка", "en": "Underground union"},
        kind="campaign",
        country="UA",
        city="Kherson",
        is_public=False,
    )
    services.role_grant(by="test setup", user=usc_admin, organisation=hidden, role="viewer")
    client = login(usc_admin)
    token = _token(client.get("/en/campaigns/new/").content.decode(), "co_organisers")
    assert client.get(URL, {"scope": token, "q": "kherson"}).json()["results"] == []
    found = client.get(URL, {"scope": token, "q": "underground"}).json()["results"]
    assert [r["value"] for r in found] == [hidden.pk]


def test_a_forged_non_number_is_refused_and_the_form_shown_again(demo, login, usc_admin, searched):
    client = login(usc_admin)
    answer = client.post("/en/campaigns/new/", _campaign_data(demo, co_organisers=["abc"]))
    assert answer.status_code == 400
    assert not Campaign.objects.filter(slug="picked").exists()
