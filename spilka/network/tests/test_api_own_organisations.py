"""Organisations and relationships in the API: the public directory, for everyone, no people."""

from __future__ import annotations

import pytest

from spilka.network import services
from spilka.network.tests.api_own import (
    BASE,
    all_keys,
    anonymous,
    get_all,
    key_client,
    queries_for,
    rows,
)

pytestmark = pytest.mark.django_db

PEOPLE_KEYS = {"people", "email", "email_addresses", "members", "roles", "phone"}


def test_anonymous_reads_public_organisations_only(demo):
    slugs = {row["slug"] for row in get_all(anonymous(), "organisations")}
    assert "ukraine-solidarity-campaign" in slugs
    assert "usc-convoy-team" not in slugs  # private


def test_private_organisation_is_404_even_for_its_own_key(demo):
    private = demo["usc-convoy-team"]
    url = f"{BASE}organisations/{private.pk}/"
    assert anonymous().get(url).status_code == 404
    assert key_client(private, ["campaigns:read"]).get(url).status_code == 404


def test_a_public_branch_does_not_name_its_private_parent(demo):
    parent = demo["usc-convoy-team"]
    branch = services.organisation_create(
        by="test setup",
        slug="convoy-branch",
        name={"en": "Convoy branch"},
        kind="other",
        country="GB",
        parent=parent,
        is_public=True,
    )
    body = anonymous().get(f"{BASE}organisations/{branch.pk}/").json()
    assert body["parent"] is None
    assert "usc-convoy-team" not in str(body)


def test_organisation_json_carries_no_people(demo, usc):
    body = key_client(usc, ["supporters:read", "campaigns:read"]).get(
        f"{BASE}organisations/{usc.pk}/"
    )
    assert body.status_code == 200
    assert not (all_keys(body.json()) & PEOPLE_KEYS)


def test_organisations_filter_by_country_and_modified_date(demo):
    rows_gb = get_all(anonymous(), "organisations", country="gb")
    assert rows_gb and all(row["country"] == "GB" for row in rows_gb)
    later = anonymous().get(f"{BASE}organisations/", {"filter": "modified_date gt '2999-01-01'"})
    assert rows(later, "organisations") == []


def test_relationships_with_a_private_organisation_are_absent(demo):
    private, public = demo["usc-convoy-team"], demo["pcs"]
    services.relationship_create(
        by="load_demo", source=private, kind="supports", target=public, confirmed=True
    )
    for client in (anonymous(), key_client(public, ["campaigns:read"])):
        found = get_all(client, "relationships", organisation="pcs")
        assert all(row["source"]["slug"] and row["target"]["slug"] for row in found)
        assert "usc-convoy-team" not in str(found)


def test_unconfirmed_relationships_are_not_listed(demo):
    source, target = demo["pcs"], demo["neu"]
    services.relationship_create(by="test setup", source=source, kind="partner_of", target=target)
    found = get_all(anonymous(), "relationships", organisation="pcs")
    assert not [r for r in found if r["target"]["slug"] == "neu" and r["kind"] == "partner_of"]


def test_a_bad_filter_is_a_400_in_json(demo):
    response = anonymous().get(f"{BASE}organisations/", {"filter": "modified_date gt 'soon'"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/")
    assert "json" in response["Content-Type"]


def test_directory_costs_the_same_queries_for_any_page_size(demo):
    client = anonymous()
    for collection in ("organisations", "relationships"):
        small = queries_for(client, f"{BASE}{collection}/", per_page=1)
        large = queries_for(client, f"{BASE}{collection}/", per_page=100)
        assert small == large, collection


def test_records_link_to_themselves(demo, usc):
    body = anonymous().get(f"{BASE}organisations/{usc.pk}/").json()
    assert body["identifiers"] == [f"spilka:{usc.pk}"]
    assert body["_links"]["self"]["href"].rstrip("/").endswith(f"/api/v1/organisations/{usc.pk}")
    assert body["modified_date"].endswith("Z")
