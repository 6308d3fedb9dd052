"""Tags, taggings and lists: through the outreach services, inside the key's organisation."""

from __future__ import annotations

import pytest

from spilka.api.testing import api_client
from spilka.lib.models import AuditEntry
from spilka.outreach.models import Supporter, SupporterList, Tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def olena(usc):
    return Supporter.objects.create(organisation=usc, email="olena@example.org", name="Olena")


def test_a_writer_creates_a_tag_tags_a_person_and_removes_it(usc, usc_writer, olena):
    client = api_client(usc_writer[1])
    created = client.post("/api/v1/tags/", {"name": "Convoy drivers"}, format="json")
    assert created.status_code == 201
    tag = created.json()
    again = client.post("/api/v1/tags/", {"name": "Convoy drivers"}, format="json")
    assert again.status_code == 200 and again.json()["identifiers"] == tag["identifiers"]
    person_href = f"http://testserver/api/v1/people/{olena.pk}"
    tagging = client.post(
        tag["_links"]["osdi:taggings"]["href"],
        {"_links": {"osdi:person": {"href": person_href}}},
        format="json",
    )
    assert tagging.status_code == 201
    body = tagging.json()
    assert body["_links"]["osdi:person"]["href"] == person_href
    assert list(olena.tags.values_list("name", flat=True)) == ["Convoy drivers"]
    mine = client.get(f"/api/v1/people/{olena.pk}/taggings").json()
    assert [t["_links"]["osdi:tag"]["href"] for t in mine["_embedded"]["osdi:taggings"]] == [
        tag["_links"]["self"]["href"]
    ]
    deleted = client.delete(body["_links"]["self"]["href"])
    assert deleted.status_code == 200 and "notice" in deleted.json()
    assert not olena.tags.exists()
    actions = set(AuditEntry.objects.filter(organisation=usc).values_list("action", flat=True))
    assert {"outreach.tag.created", "outreach.supporter.groups_changed"} <= actions


def test_a_key_cannot_tag_another_organisations_person_or_use_its_tags(
    usc, razem, usc_writer, olena
):
    from spilka.api.testing import api_key

    _key, razem_secret = api_key(razem, ["supporters:write"])
    usc_tag = Tag.objects.create(organisation=usc, name="Private")
    razem_client = api_client(razem_secret)
    assert razem_client.get(f"/api/v1/tags/{usc_tag.pk}").status_code == 404
    assert razem_client.get(f"/api/v1/tags/{usc_tag.pk}/taggings").status_code == 404
    link = {"_links": {"osdi:person": {"href": f"/api/v1/people/{olena.pk}"}}}
    assert (
        razem_client.post(f"/api/v1/tags/{usc_tag.pk}/taggings", link, format="json").status_code
        == 404
    )
    razem_tag = razem_client.post("/api/v1/tags/", {"name": "Theirs"}, format="json").json()
    response = razem_client.post(razem_tag["_links"]["osdi:taggings"]["href"], link, format="json")
    assert response.status_code == 404
    assert not olena.tags.exists()
    assert razem_client.get(f"/api/v1/people/{olena.pk}/taggings").json()["total_records"] == 0


@pytest.mark.parametrize(
    "body",
    [{}, {"_links": {}}, {"_links": {"osdi:person": {"href": "/api/v1/tags/1"}}}, {"_links": "x"}],
)
def test_a_bad_tagging_is_a_400(usc, usc_writer, body):
    tag = Tag.objects.create(organisation=usc, name="T")
    response = api_client(usc_writer[1]).post(
        f"/api/v1/tags/{tag.pk}/taggings", body, format="json"
    )
    assert response.status_code == 400


def test_a_reader_cannot_create_tags(usc_reader):
    assert (
        api_client(usc_reader[1]).post("/api/v1/tags/", {"name": "x"}, format="json").status_code
        == 403
    )


def test_lists_and_their_items(usc, usc_reader, olena):
    members = SupporterList.objects.create(organisation=usc, name="Members")
    olena.lists.add(members)
    client = api_client(usc_reader[1])
    lists = client.get("/api/v1/lists/").json()["_embedded"]["osdi:lists"]
    mine = next(item for item in lists if item["name"] == "Members")
    items = client.get(mine["_links"]["osdi:items"]["href"]).json()["_embedded"]["osdi:items"]
    assert [i["_links"]["osdi:person"]["href"].rsplit("/", 1)[-1] for i in items] == [str(olena.pk)]
