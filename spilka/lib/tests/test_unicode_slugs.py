"""Short addresses in any alphabet: a Cyrillic slug is accepted through the forms, its
pages open (links percent-encoded, paths decoded back), and a bad one is refused in the
site's own translatable words, not Django's English "Enter a valid “slug”"."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import translation

from spilka.campaigns.models import Campaign
from spilka.events.models import Event
from spilka.lib.slugs import SLUG_MESSAGE, SlugFormField, slug_from, validate_slug
from spilka.lib.testing import user_with_roles
from spilka.network.models import Organisation

pytestmark = pytest.mark.django_db

SLUG = "солідарність"
DJANGO_WORDING = "Enter a valid"


def test_the_converter_and_reverse_percent_encode_a_cyrillic_address():
    url = reverse("network:organisation", kwargs={"slug": SLUG})
    assert url == f"/en/org/{quote(SLUG)}/"
    assert url.isascii()


def test_the_form_field_accepts_unicode_and_refuses_in_our_words():
    field = SlugFormField(max_length=80)
    assert field.clean(SLUG) == SLUG
    assert field.clean("przyjaźń_2025") == "przyjaźń_2025"
    with pytest.raises(Exception) as error:
        field.clean("два слова")
    assert error.value.messages == [str(SLUG_MESSAGE)]


def test_the_message_is_our_own_gettext_string_in_every_language():
    # Not translated on this branch yet: it falls back to our msgid, never Django's text.
    from django.utils.functional import Promise

    assert isinstance(SLUG_MESSAGE, Promise)  # gettext_lazy: looked up in the reader's language
    with translation.override("en"):
        assert str(SLUG_MESSAGE) == "Use letters, numbers, hyphens or underscores."
    for language in ("en", "uk", "pl", "ru"):
        with translation.override(language):
            assert DJANGO_WORDING not in str(SLUG_MESSAGE)
    assert validate_slug.message is SLUG_MESSAGE


def test_slug_from_keeps_cyrillic_and_polish_letters():
    assert slug_from("Солідарність з шахтарями!") == "солідарність-з-шахтарями"
    assert slug_from("Zbiórka dla górników") == "zbiórka-dla-górników"
    assert slug_from("!!!", fallback="event") == "event"


def test_an_administrator_adds_a_branch_with_a_cyrillic_address_and_opens_it(login, usc_admin, usc):
    client = login(usc_admin)
    response = client.post(
        reverse("network:organisation_create") + f"?parent={usc.slug}",
        {
            "parent_slug": usc.slug,
            "slug": SLUG,
            "name_en": "Solidarity branch",
            "kind": "campaign",
            "country": "GB",
            "original_language": "en",
            "is_public": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == f"/en/org/{quote(SLUG)}/"
    assert Organisation.objects.filter(slug=SLUG).exists()
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Solidarity branch" in page.content.decode()


@pytest.mark.parametrize("language", ["en", "uk"])
def test_a_bad_address_is_refused_with_our_message(login, usc_admin, usc, language):
    response = login(usc_admin).post(
        f"/{language}/org/new/?parent={usc.slug}",
        {
            "parent_slug": usc.slug,
            "slug": "два слова",
            "name_en": "Branch",
            "kind": "campaign",
            "country": "GB",
            "original_language": "en",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    with translation.override(language):
        assert str(SLUG_MESSAGE) in body
    assert DJANGO_WORDING not in body


def test_a_campaign_with_a_cyrillic_address_is_created_and_opens(login, usc_admin, usc, anon):
    response = login(usc_admin).post(
        "/en/campaigns/new/",
        {
            "slug": SLUG,
            "title_en": "Solidarity with miners",
            "original_language": "en",
            "summary_en": "Warm clothing.",
            "status": "active",
            "is_public": "on",
            "lead_organisation": usc.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    campaign = Campaign.objects.get(slug=SLUG)
    assert response["Location"] == campaign.get_absolute_url()
    assert quote(SLUG) in campaign.get_absolute_url()
    page = anon.get(campaign.get_absolute_url())
    assert page.status_code == 200
    assert "Solidarity with miners" in page.content.decode()


def test_an_event_with_a_cyrillic_address_is_created_and_opens(client, demo, anon):
    organiser = user_with_roles("organiser@ussc.test", [(demo["ussc"], "organiser")])
    client.force_login(organiser)
    response = client.post(
        "/en/events/new/?org=ussc",
        {
            "slug": SLUG,
            "kind": "online_forum",
            "title_en": "Solidarity forum",
            "original_language": "en",
            "time_zone": "Europe/Warsaw",
            "starts_at": "2027-03-27T18:00",
            "ends_at": "2027-03-27T20:00",
            "is_online": "on",
            "join_url": "https://meet.example.org/j/1",
            "is_public": "on",
            "status": "scheduled",
            "registration_enabled": "on",
            "languages": "en, uk",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get(slug=SLUG)
    page = anon.get(event.get_absolute_url())
    assert page.status_code == 200
    assert "Solidarity forum" in page.content.decode()


def test_a_download_named_after_a_cyrillic_address_keeps_its_name():
    from spilka.lib.csv_safe import csv_response

    response = csv_response([["a"]], filename=f"{SLUG}-attendees.csv")
    assert response["Content-Disposition"] == (
        f"attachment; filename*=utf-8''{quote(SLUG)}-attendees.csv"
    )
