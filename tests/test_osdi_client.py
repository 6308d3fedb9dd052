"""The `osdi` client from PyPI (written for Action Network) against a live Spilka.

Its ``ActionNetworkService(uri, api_key)`` takes any base address, so it is pointed at the
live test server's ``/api/v1`` with an organisation's key, unpatched. It lists people,
finds one by address (its OData ``email_address eq`` filter), creates a person through the
signup helper, and tags them. The client has no "create tag" call of its own, so the tag
is made with its generic ``_post_request`` (what it uses for everything else).
"""

from __future__ import annotations

import pytest
from osdi.action_network.person import ANPerson
from osdi.action_network.service import ActionNetworkService

from spilka.api.testing import api_key
from spilka.outreach.models import Supporter, SupporterStatus

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def usc_supporters(demo):
    usc = demo["ukraine-solidarity-campaign"]
    Supporter.objects.bulk_create(
        [
            Supporter(
                organisation=usc,
                email=f"member{n}@example.org",
                name=f"Member {n}",
                status=SupporterStatus.SUBSCRIBED,
            )
            for n in range(30)
        ]
    )
    return usc


def test_the_osdi_client_lists_filters_creates_and_tags(live_server, usc_supporters, demo):
    usc = usc_supporters
    _key, secret = api_key(usc, ["supporters:write"])
    Supporter.objects.create(organisation=demo["razem"], email="razem-only@example.org")
    service = ActionNetworkService(f"{live_server.url}/api/v1", secret)

    people = service.get_model_raw("people", "osdi:people")  # follows every "next" page
    addresses = {p["email_addresses"][0]["address"] for p in people}
    assert len(people) == Supporter.objects.filter(organisation=usc).count() >= 30
    assert "razem-only@example.org" not in addresses

    found = service.find_person(email="member7@example.org", model=ANPerson)
    assert found is not None and found.email == "member7@example.org"
    assert found.id == str(Supporter.objects.get(organisation=usc, email="member7@example.org").pk)
    assert service.find_person(email="razem-only@example.org", model=ANPerson) is None

    created = service.create_person("Iryna", "Bondar", "iryna@example.org", model=ANPerson)
    supporter = Supporter.objects.get(organisation=usc, email="iryna@example.org")
    assert created.id == str(supporter.pk)
    assert supporter.status == SupporterStatus.NO_CONSENT  # until she confirms by mail

    tag = service._post_request("tags", {"name": "Convoy volunteers"})
    service = ActionNetworkService(f"{live_server.url}/api/v1", secret)  # reads the tags again
    assert "Convoy volunteers" in service.tags_by_name
    tagging = service.add_tagging(created, "Convoy volunteers")
    assert tagging["_links"]["osdi:tag"]["href"] == tag["_links"]["self"]["href"]
    assert list(supporter.tags.values_list("name", flat=True)) == ["Convoy volunteers"]

    again = service.find_person(email="iryna@example.org", model=ANPerson)
    assert set(again.tags) == {"Convoy volunteers"}
    again.tags["Convoy volunteers"].delete()
    assert not supporter.tags.exists()
