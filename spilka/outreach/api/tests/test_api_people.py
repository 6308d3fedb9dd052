"""OSDI people: a key reads its own organisation's supporters, and nobody else's."""

from __future__ import annotations

import pytest

from spilka.api.testing import api_client
from spilka.api.tests.conftest import add_supporters
from spilka.outreach.models import Supporter

pytestmark = pytest.mark.django_db


def test_a_person_has_the_osdi_fields(usc, usc_reader):
    olena = Supporter.objects.create(
        organisation=usc,
        email="olena@example.org",
        name="Olena Petrenko",
        language="uk",
        country="UA",
        phone="+380441234567",
        status="subscribed",
        source="signed_up",
    )
    person = api_client(usc_reader[1]).get(f"/api/v1/people/{olena.pk}/").json()
    assert person["identifiers"] == [f"spilka:{olena.pk}"]
    assert person["given_name"] == "Olena" and person["family_name"] == "Petrenko"
    assert person["email_addresses"] == [
        {"address": "olena@example.org", "primary": True, "status": "subscribed"}
    ]
    assert person["languages_spoken"] == ["uk"]
    assert person["postal_addresses"] == [{"country": "UA", "primary": True}]
    assert person["phone_numbers"] == [{"number": "+380441234567", "primary": True}]
    assert person["custom_fields"]["spilka_status"] == "subscribed"
    assert person["created_date"].endswith("Z") and person["modified_date"].endswith("Z")
    assert person["_links"]["self"]["href"].endswith(f"/api/v1/people/{olena.pk}")


def test_another_organisations_key_sees_none_of_them(usc, razem, razem_reader):
    usc_people = add_supporters(usc, 5, prefix="usc-only")
    client = api_client(razem_reader[1])
    listed = client.get("/api/v1/people/?per_page=100").json()
    addresses = {p["email_addresses"][0]["address"] for p in listed["_embedded"]["osdi:people"]}
    assert not any(a.startswith("usc-only") for a in addresses)
    assert listed["total_records"] == Supporter.objects.filter(organisation=razem).count()
    assert client.get(f"/api/v1/people/{usc_people[0].pk}/").status_code == 404
    found = client.get("/api/v1/people/", {"filter": "email_address eq 'usc-only0@example.org'"})
    assert found.json()["total_records"] == 0


def test_a_malformed_person_id_is_a_404(usc_reader):
    client = api_client(usc_reader[1])
    for pk in ("abc", "1e9", "99999999999999999999999", "-1"):
        assert client.get(f"/api/v1/people/{pk}/").status_code == 404, pk
