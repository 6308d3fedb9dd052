"""Query counts of the list pages: bounded now, and not growing with the network."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from spilka.network import services

pytestmark = pytest.mark.django_db

USC = "ukraine-solidarity-campaign"

# Today: directory 3, organisation 8, network 3; people 7 (with the session and user).
# The organisation's page also reads its front sections (spilka/front): 6 more on a cold
# cache for USC, at most 11 when every section is full (each adds its count), none once
# cached. The bounds leave a little room for a new feature without hiding an N+1.
PAGES = {
    "directory": (reverse("network:directory"), 5),
    "organisation": (reverse("network:organisation", kwargs={"slug": USC}), 20),
    "network": (reverse("network:network"), 5),
}
EXTRA = 30


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Hashing is not under test here; Argon2 for every persona only makes tests slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def network(_fast_passwords, demo):
    return demo


def _grow_network(demo) -> None:
    """Thirty more organisations, each linked to USC and to ENSU, a third of them branches."""
    for i in range(EXTRA):
        org = services.organisation_create(
            by="test",
            slug=f"extra-group-{i:02d}",
            name={"en": f"Extra group {i}", "uk": f"Додаткова група {i}"},
            short_name=f"EG{i}",
            kind="union_branch" if i % 3 == 0 else "campaign",
            country=["DE", "FR", "GB"][i % 3],
            languages=["en"],
            parent=demo[USC] if i % 3 == 0 else None,
        )
        services.relationship_create(
            by="test", source=org, target=demo[USC], kind="affiliated_to", confirmed=True
        )
        services.relationship_create(
            by="test", source=org, target=demo["ensu"], kind="member_of", confirmed=True
        )
        if i % 2:
            services.relationship_create(
                by="test",
                source=demo[USC],
                target=org,
                kind="supports",
                since_year=2023,
                confirmed=True,
            )


def _count(client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", PAGES)
def test_page_for_anon_stays_within_its_query_bound(
    anon, network, django_assert_max_num_queries, page
):
    path, bound = PAGES[page]
    with django_assert_max_num_queries(bound):
        response = anon.get(path)
    assert response.status_code == 200


@pytest.mark.parametrize("page", PAGES)
def test_query_count_does_not_grow_with_more_organisations(
    anon, network, django_assert_max_num_queries, page
):
    path, bound = PAGES[page]
    before = _count(anon, path)
    _grow_network(network)
    after = _count(anon, path)
    assert after <= before, f"{page}: {before} queries before, {after} after {EXTRA} more"
    with django_assert_max_num_queries(bound):
        response = anon.get(path)
    body = response.content.decode()
    # The extra organisations really are on the page, so the count covers them.
    assert "Extra group" in body or "EG1" in body


def test_organisation_page_shows_the_extra_links_with_the_same_queries(anon, network):
    path, _bound = PAGES["organisation"]
    before = _count(anon, path)
    _grow_network(network)
    body = anon.get(path).content.decode()
    assert body.count("Extra group") >= EXTRA
    assert _count(anon, path) <= before


def test_people_page_query_count_does_not_grow_with_more_people(
    login, usc_admin, network, django_assert_max_num_queries
):
    client = login(usc_admin)
    path = reverse("network:people", kwargs={"slug": USC})
    client.get(path)  # the first request loads the session user; count steady state
    before = _count(client, path)
    for i in range(EXTRA):
        services.person_create(
            by="test",
            full_name=f"Volunteer {i:02d}",
            email=f"volunteer{i}@usc.example",
            phone=f"+44 20 7946 0{i:03d}",
            country="GB",
            organisation=network[USC],
            role_title="Driver",
        )
    after = _count(client, path)
    assert after <= before
    with django_assert_max_num_queries(10):
        body = client.get(path).content.decode()
    assert "volunteer29@usc.example" in body


def test_a_network_bigger_than_the_picture_draws_its_most_linked_organisations(
    anon, network, monkeypatch, django_assert_max_num_queries
):
    from spilka.network.views import directory

    monkeypatch.setattr(directory, "NETWORK_PICTURE_LIMIT", 10)
    path, bound = PAGES["network"]
    _grow_network(network)

    with django_assert_max_num_queries(bound):
        body = anon.get(path).content.decode()

    svg = body[body.index("<svg") : body.index("</svg>")]
    assert svg.count("<circle") == 10
    # USC and ENSU gained thirty links each: they are drawn; the others are counted.
    assert f'href="{reverse("network:organisation", kwargs={"slug": USC})}"' in svg
    assert 'href="/en/org/ensu/"' in svg
    assert "The picture shows the 10 most linked of" in body
