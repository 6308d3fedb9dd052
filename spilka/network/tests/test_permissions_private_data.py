"""No private data crosses between organisations: people, branches, pages and forms.

USC is the Ukraine Solidarity Campaign. ``usc_admin`` holds admin and organiser roles
there and nowhere else; roles do not pass to branches, so USC's private branch
``usc-convoy-team`` is as hidden from them as from anyone. ``razem_organiser`` and
``ussc_translator`` hold roles in other organisations only.

Not found and not allowed look the same to outsiders for private objects (404);
a public organisation's private pages say "not allowed" (403); anonymous visitors
are sent to sign in (302) before anything is looked up.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from spilka.network.models import Consent, Organisation, Person, Relationship
from spilka.network.tests.permission_personas import (  # noqa: F401 (_demo_network: autouse)
    CONVOY,
    CONVOY_NAMES,
    USC,
    _demo_network,
)
from spilka.network.tests.permission_personas import network_url as _url
from spilka.network.tests.permission_personas import person_pk as _person_pk
from spilka.network.tests.permission_personas import persona_client as _client

pytestmark = pytest.mark.django_db


# --- No private data crosses between organisations -----------------------------------


def test_usc_people_page_lists_its_people_for_its_admin(login, usc_admin):
    # The positive control for the leak tests below.
    body = login(usc_admin).get(_url("people", slug=USC)).content.decode()
    assert "Olena Kovalenko" in body
    assert "olena@usc.example" in body


@pytest.mark.parametrize("persona", ["razem_organiser", "ussc_translator"])
def test_outsider_cannot_see_usc_people(request, persona):
    response = _client(request, persona).get(_url("people", slug=USC))
    body = response.content.decode()
    assert response.status_code == 403
    assert "Olena Kovalenko" not in body
    assert "olena@usc.example" not in body


@pytest.mark.parametrize("persona", ["razem_organiser", "ussc_translator"])
def test_person_linked_only_to_usc_is_not_found_for_outsiders(request, persona):
    response = _client(request, persona).get(_url("person", person_email="olena@usc.example"))
    body = response.content.decode()
    assert response.status_code == 404
    assert "Olena Kovalenko" not in body
    assert "olena@usc.example" not in body
    assert "Union liaison" not in body


def test_outsider_cannot_record_consent_for_a_usc_person(login, razem_organiser, demo):
    olena = _person_pk("olena@usc.example")
    consents = Consent.objects.filter(person_id=olena).count()
    response = login(razem_organiser).post(
        reverse("network:consent_create", kwargs={"pk": olena}),
        {
            "organisation": demo["razem"].pk,
            "purpose": "updates",
            "granted": "yes",
            "wording": "Yes please.",
            "source": "a form",
        },
    )
    assert response.status_code == 404
    assert Consent.objects.filter(person_id=olena).count() == consents


def test_outsider_cannot_edit_a_usc_person(login, razem_organiser):
    olena = Person.objects.get(emails__email="olena@usc.example")
    response = login(razem_organiser).post(
        reverse("network:person_edit", kwargs={"pk": olena.pk}),
        {"full_name": "Renamed", "phone": "", "country": "GB", "preferred_language": "en"},
    )
    assert response.status_code == 404
    assert Person.objects.get(pk=olena.pk).full_name == "Olena Kovalenko"


@pytest.mark.parametrize("persona", ["razem_organiser", "ussc_translator"])
def test_outsider_cannot_add_a_branch_to_usc(request, persona):
    client = _client(request, persona)
    organisations = Organisation.objects.count()
    response = client.post(
        reverse("network:organisation_create") + f"?parent={USC}",
        {
            "parent_slug": USC,
            "slug": "usc-intruders",
            "name_en": "Intruders",
            "kind": "campaign",
            "country": "GB",
            "original_language": "en",
            "is_public": "on",
        },
    )
    assert response.status_code == 403
    assert Organisation.objects.count() == organisations
    assert not Organisation.objects.filter(slug="usc-intruders").exists()


def test_outsider_cannot_add_a_person_to_usc(login, razem_organiser):
    people = Person.objects.count()
    response = login(razem_organiser).post(
        _url("person_create", slug=USC),
        {"full_name": "Intruder", "email": "intruder@example.org", "preferred_language": "en"},
    )
    assert response.status_code == 403
    assert Person.objects.count() == people


@pytest.mark.parametrize(
    "path",
    [
        "/en/organisations/",
        "/en/organisations/?q=convoy",
        "/en/organisations/?country=GB",
        "/en/organisations/?page=2",
        "/uk/organisations/",
        "/uk/organisations/?q=USC",
    ],
)
def test_directory_for_anon_never_contains_the_private_branch(anon, demo, path):
    response = anon.get(path)
    body = response.content.decode()
    assert response.status_code == 200
    assert not any(name in body for name in CONVOY_NAMES)
    assert CONVOY not in body


def test_directory_for_admin_of_usc_does_not_contain_its_private_branch(login, usc_admin):
    body = login(usc_admin).get("/en/organisations/?q=convoy").content.decode()
    assert not any(name in body for name in CONVOY_NAMES)


def test_directory_shows_private_organisation_to_someone_with_a_role_in_it(login, demo):
    # Positive control: the private branch is there for its own members.
    user = get_user_model().objects.get(email="organiser@usc.example")
    body = login(user).get("/en/organisations/?q=convoy").content.decode()
    assert "USC convoy coordination team" in body


def test_network_page_for_anon_never_includes_private_organisations(anon, demo):
    body = anon.get(reverse("network:network")).content.decode()
    assert f'href="{_url("organisation", slug=USC)}"' in body  # its public parent is drawn
    assert not any(name in body for name in CONVOY_NAMES)
    assert CONVOY not in body


@pytest.mark.parametrize("persona", ["anon", "usc_admin", "razem_organiser"])
def test_usc_graph_never_includes_its_private_branch(request, persona):
    response = _client(request, persona).get(_url("organisation_graph", slug=USC))
    body = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert f'href="{_url("organisation", slug="kvpu")}"' in body  # a public neighbour is drawn
    assert not any(name in body for name in CONVOY_NAMES)
    assert CONVOY not in body


@pytest.mark.parametrize("persona", ["anon", "usc_admin", "razem_organiser"])
def test_usc_page_does_not_list_its_private_branch(request, persona):
    body = _client(request, persona).get(_url("organisation", slug=USC)).content.decode()
    assert not any(name in body for name in CONVOY_NAMES)
    assert CONVOY not in body


@pytest.mark.parametrize("persona", ["anon", "razem_organiser", "ussc_translator"])
def test_usc_page_offers_no_private_links_to_outsiders(request, persona):
    body = _client(request, persona).get(_url("organisation", slug=USC)).content.decode()
    for page in ("people", "organisation_edit", "roles", "audit"):
        assert _url(page, slug=USC) not in body


def test_usc_page_offers_private_links_to_its_admin(login, usc_admin):
    body = login(usc_admin).get(_url("organisation", slug=USC)).content.decode()
    for page in ("people", "organisation_edit", "roles", "audit"):
        assert _url(page, slug=USC) in body


def test_usc_audit_log_does_not_reveal_its_private_branch(login, usc_admin):
    body = login(usc_admin).get(_url("audit", slug=USC) + "?area=network").content.decode()
    assert "network.organisation.created" in body
    assert "campaigns.signature.created" not in body
    assert not any(name in body for name in CONVOY_NAMES)


def test_forms_of_usc_do_not_offer_its_private_branch(login, usc_admin, demo):
    client = login(usc_admin)
    convoy_option = f'value="{demo[CONVOY].pk}"'
    for page in ("relationship_create", "organisation_edit"):
        body = client.get(_url(page, slug=USC)).content.decode()
        assert convoy_option not in body
        assert not any(name in body for name in CONVOY_NAMES)
    # Any visible organisation may be the other side of a relationship (it is accepted
    # there before it shows); only one's own organisations may be a parent.
    kvpu_option = f'value="{demo["kvpu"].pk}"'
    assert kvpu_option in client.get(_url("relationship_create", slug=USC)).content.decode()
    assert kvpu_option not in client.get(_url("organisation_edit", slug=USC)).content.decode()


def test_admin_cannot_link_to_a_private_organisation_they_cannot_see(login, usc_admin, demo):
    relationships = Relationship.objects.count()
    response = login(usc_admin).post(
        _url("relationship_create", slug=USC),
        {"kind": "supports", "target": demo[CONVOY].pk},
    )
    assert response.status_code == 400
    assert Relationship.objects.count() == relationships
