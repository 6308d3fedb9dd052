"""Input an English-only parser would choke on: digits that are not ASCII, and dates at the
edge of the calendar. Each is bad input (404 or 400 JSON), never a server error."""

from __future__ import annotations

import pytest

from spilka.api.testing import api_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/people/?after=²",
        "/api/v1/people/?after=1&page=²",
        "/api/v1/people/²/",
        "/api/v1/tags/²/taggings/",
        "/api/v1/people/?after=٣",  # Arabic-Indic three: a digit, read as 3
    ],
)
def test_superscript_and_other_script_digits_are_not_a_server_error(usc_writer, path):
    _key, secret = usc_writer
    response = api_client(secret).get(path)
    assert response.status_code in (200, 400, 404)
    assert response["Content-Type"].startswith(("application/json", "application/hal+json"))


def test_a_tagging_naming_a_person_with_a_superscript_id_is_refused(usc_writer, usc):
    from spilka.outreach.services.groups import tag_create

    tag = tag_create(organisation=usc, name="Miners", by="test")
    _key, secret = usc_writer
    response = api_client(secret).post(
        f"/api/v1/tags/{tag.pk}/taggings/",
        {"_links": {"osdi:person": {"href": "https://x.test/api/v1/people/²"}}},
        format="json",
    )
    assert response.status_code == 400


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
def test_a_filter_at_the_edge_of_the_calendar_is_bad_input(usc_reader, moment):
    _key, secret = usc_reader
    response = api_client(secret, language="uk").get(
        "/api/v1/people/", {"filter": f"modified_date gt '{moment}'"}
    )
    assert response.status_code == 400
    assert "ISO 8601" in response.content.decode()
    anonymous = api_client(None).get(
        "/api/v1/petitions/", {"filter": f"modified_date lt '{moment}'"}
    )
    assert anonymous.status_code == 400
