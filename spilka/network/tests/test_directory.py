import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_directory_lists_public_organisations(anon, demo):
    response = anon.get("/en/organisations/")
    assert response.status_code == 200
    assert "National Union of Mineworkers, Durham Area" in response.content.decode()


def test_directory_hides_private_organisations_from_visitors(anon, demo):
    response = anon.get("/en/organisations/?q=convoy")
    assert "USC convoy coordination team" not in response.content.decode()


def test_directory_filters_by_country(anon, demo):
    body = anon.get("/en/organisations/?country=UA").content.decode()
    assert "Confederation of Free Trade Unions of Ukraine" in body
    assert "Left Together (Razem)" not in body


def test_directory_filters_by_kind_and_language(anon, demo):
    body = anon.get("/en/organisations/?kind=party&language=pl").content.decode()
    assert "Left Together (Razem)" in body
    assert "Social Movement" not in body  # a party, but not working in Polish


def test_directory_in_ukrainian_shows_ukrainian_names(anon, demo):
    body = anon.get("/uk/organisations/").content.decode()
    assert "Незалежна профспілка гірників України" in body


def test_organisation_page_shows_twinning(anon, demo):
    response = anon.get(reverse("network:organisation", kwargs={"slug": "num-durham"}))
    body = response.content.decode()
    assert response.status_code == 200
    assert "twinned with" in body
    assert "Independent Miners&#x27; Union of Ukraine, Pavlohrad" in body
    assert "1990" in body


def test_network_page_draws_the_picture(anon, demo):
    body = anon.get(reverse("network:network")).content.decode()
    assert "<svg" in body
    assert "European Network for Solidarity with Ukraine" in body
