"""The OSDI envelope: pages, links, filters, errors in the caller's language, rate limits."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from spilka.api.testing import api_client
from spilka.api.tests.conftest import add_supporters
from spilka.outreach.models import Supporter

pytestmark = pytest.mark.django_db


def test_people_come_in_hal_pages_with_next_and_prev(usc, usc_reader):
    add_supporters(usc, 30)
    total = Supporter.objects.filter(organisation=usc).count()
    client = api_client(usc_reader[1])
    first = client.get("/api/v1/people/?per_page=10")
    assert first["Content-Type"].startswith("application/hal+json")
    body = first.json()
    assert body["total_records"] == total
    assert body["per_page"] == 10 and body["page"] == 1
    assert body["total_pages"] == -(-total // 10)
    assert len(body["_embedded"]["osdi:people"]) == 10
    assert "prev" not in body["_links"]
    second = client.get(body["_links"]["next"]["href"]).json()
    assert second["page"] == 2 and "prev" in second["_links"]
    first_ids = {p["identifiers"][0] for p in body["_embedded"]["osdi:people"]}
    second_ids = {p["identifiers"][0] for p in second["_embedded"]["osdi:people"]}
    assert not first_ids & second_ids


def test_next_links_walk_by_cursor_and_match_numbered_pages(usc, usc_reader):
    add_supporters(usc, 45)
    client = api_client(usc_reader[1])
    walked, url, hrefs = [], "/api/v1/people/?per_page=10", []
    while url:
        body = client.get(url).json()
        walked += [p["identifiers"][0] for p in body["_embedded"]["osdi:people"]]
        url = body["_links"].get("next", {}).get("href")
        hrefs.append(url)
    assert all("after=" in href for href in hrefs[:-1])
    numbered = []
    for page in range(1, body["total_pages"] + 1):
        page_body = client.get(f"/api/v1/people/?per_page=10&page={page}").json()
        numbered += [p["identifiers"][0] for p in page_body["_embedded"]["osdi:people"]]
    assert walked == numbered and len(walked) == body["total_records"] == len(set(walked))


def test_a_cursor_that_is_garbage_falls_back_to_the_page_number(usc, usc_reader):
    add_supporters(usc, 15)
    client = api_client(usc_reader[1])
    plain = client.get("/api/v1/people/?per_page=10&page=2").json()
    for after in ("abc", "-5", "1" * 40):
        body = client.get(f"/api/v1/people/?per_page=10&page=2&after={after}").json()
        assert body["_embedded"] == plain["_embedded"]


def test_per_page_is_capped_at_a_hundred_and_garbage_falls_back(usc, usc_reader):
    add_supporters(usc, 120)
    client = api_client(usc_reader[1])
    assert client.get("/api/v1/people/?per_page=5000").json()["per_page"] == 100
    assert client.get("/api/v1/people/?per_page=-3").json()["per_page"] == 1
    assert client.get("/api/v1/people/?per_page=ten").json()["per_page"] == 25


def test_a_page_past_the_end_is_a_json_404(usc_reader):
    for page in ("999999", "abc", "0", "-1"):
        response = api_client(usc_reader[1]).get(f"/api/v1/people/?page={page}")
        assert response.status_code == 404, page
        assert "error" in response.json()


def test_the_queries_per_page_do_not_grow_with_the_page_size(usc, usc_reader):
    add_supporters(usc, 150)
    client = api_client(usc_reader[1])
    client.get("/api/v1/people/")  # records the key's last use once
    counts = []
    first = client.get("/api/v1/people/?per_page=5").json()
    for url in (
        "/api/v1/people/?per_page=5&page=2",
        "/api/v1/people/?per_page=100&page=2",
        first["_links"]["next"]["href"],
    ):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    # The key, the count, the page (the cursor page reuses its walk's count).
    assert counts[0] == counts[1] == 3 and counts[2] == 2


def test_modified_date_and_email_filters(usc, usc_reader):
    people = add_supporters(usc, 3, prefix="filtered")
    long_ago = timezone.now() - datetime.timedelta(days=400)
    Supporter.objects.filter(organisation=usc).update(updated_at=long_ago)
    Supporter.objects.filter(pk=people[1].pk).update(updated_at=timezone.now())
    client = api_client(usc_reader[1])
    since = (timezone.now() - datetime.timedelta(days=1)).date().isoformat()
    recent = client.get("/api/v1/people/", {"filter": f"modified_date gt '{since}'"}).json()
    assert [p["identifiers"] for p in recent["_embedded"]["osdi:people"]] == [
        [f"spilka:{people[1].pk}"]
    ]
    by_mail = client.get("/api/v1/people/", {"filter": "email_address eq 'Filtered2@Example.org'"})
    assert [
        p["email_addresses"][0]["address"] for p in by_mail.json()["_embedded"]["osdi:people"]
    ] == ["filtered2@example.org"]
    both = client.get(
        "/api/v1/people/",
        {"filter": f"email_address eq 'filtered1@example.org' and modified_date gt '{since}'"},
    ).json()
    assert both["total_records"] == 1


@pytest.mark.parametrize(
    "bad",
    [
        "modified_date gt 2026",
        "modified_date gt 'yesterday'",
        "modified_date gt '2026-13-45'",
        "modified_date gt '99999-01-01'",
        "password eq 'x'",
        "email_address gt 'a@b.c'",
        "modified_date",
        "'; DROP TABLE x; --",
        "email_address eq 'a\x00@b.org'",
        "x" * 5000,
    ],
)
def test_a_bad_filter_is_a_400_saying_why(usc_reader, bad):
    response = api_client(usc_reader[1]).get("/api/v1/people/", {"filter": bad})
    assert response.status_code == 400
    body = response.json()
    assert body["error"].startswith("Invalid input.")
    assert "filter" in body["detail"]


def test_errors_speak_the_accept_language(usc_reader):
    english = api_client(usc_reader[1], language="en").get("/api/v1/people/999999999/")
    ukrainian = api_client(usc_reader[1], language="uk").get("/api/v1/people/999999999/")
    assert english.status_code == ukrainian.status_code == 404
    assert english.json()["error"] == "Not found."
    assert ukrainian.json()["error"] not in {"", "Not found."}


def test_malformed_json_is_a_400_not_a_500(usc_writer):
    response = api_client(usc_writer[1]).post(
        "/api/v1/people/", "{not json", content_type="application/json"
    )
    assert response.status_code in {400, 405}
    assert "error" in response.json()


def test_too_many_requests_is_a_429_with_retry_after(usc_reader, settings):
    settings.SPILKA_API_KEY_RATE = "3/minute"
    client = api_client(usc_reader[1])
    codes = [client.get("/api/v1/people/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = client.get("/api/v1/people/")
    assert int(response.headers["Retry-After"]) > 0
    assert response.json()["detail"]["code"] == "throttled"


def test_requests_without_a_key_are_limited_per_address(settings):
    settings.SPILKA_API_ANON_RATE = "2/minute"
    client = api_client()
    codes = [client.get("/api/v1/").status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_unknown_paths_under_the_api_are_json_404s():
    for path in ("/api/v1/nothing/", "/api/v1/people/1/2/3/", "/api/v1/%00"):
        response = api_client().get(path)
        assert response.status_code == 404
        assert response.json()["detail"]["code"] == "not_found"
