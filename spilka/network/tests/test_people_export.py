"""An organisation's people as CSV and XLSX: exactly who the people page shows the user,
audited, formula-safe, and no more queries for more people."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from spilka.lib.models import AuditEntry
from spilka.lib.testing import user_with_roles
from spilka.network import services
from spilka.network.models import Membership
from tests.strict_formats import csv_problems, csv_rows, xlsx_problems, xlsx_rows

pytestmark = pytest.mark.django_db

USC = "ukraine-solidarity-campaign"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def usc_viewer(demo):
    return user_with_roles("viewer@usc.test", [(demo[USC], "viewer")])


def _url(fmt, slug=USC):
    return reverse("network:people_export", kwargs={"slug": slug, "fmt": fmt})


def _rows(response, fmt):
    body = b"".join(response.streaming_content)
    if fmt == "csv":
        assert csv_problems(body) == []
        return csv_rows(body)
    assert xlsx_problems(body) == []
    return xlsx_rows(body)


def _names(client, fmt):
    response = client.get(_url(fmt))
    assert response.status_code == 200
    return [row[0] for row in _rows(response, fmt)[1:]]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_lists_exactly_the_people_page_and_is_audited(login, demo, usc_viewer, fmt):
    client = login(usc_viewer)
    taras = services.person_create(
        by="test", full_name="Taras Volunteer", email="taras@usc.example", organisation=demo[USC]
    )
    gone = services.person_create(
        by="test", full_name="Gone Person", email="gone@usc.example", organisation=demo[USC]
    )
    services.membership_end(
        membership=Membership.objects.get(person=gone),
        by="test",
        ended_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    names = _names(client, fmt)
    assert "Olena Kovalenko" in names and "Taras Volunteer" in names
    assert "Gone Person" not in names
    page = client.get(reverse("network:people", kwargs={"slug": USC})).content.decode()
    assert _url("csv") in page and _url("xlsx") in page
    # Every row of the export is on the page (one page: the demo has fewer than 50).
    assert all(name in page for name in names)
    response = client.get(_url(fmt))
    rows = _rows(response, fmt)
    assert rows[[row[0] for row in rows].index("Taras Volunteer")][2] == "taras@usc.example"
    assert f"{USC}-people-" in response["Content-Disposition"]
    entry = AuditEntry.objects.filter(action="network.people.exported").latest("pk")
    assert entry.actor == usc_viewer and entry.after["format"] == fmt
    assert entry.after["rows"] == len(names) and taras.pk


@pytest.mark.parametrize("role", ["translator", "treasurer", "logistics"])
def test_roles_that_do_not_see_people_get_no_export(login, demo, role):
    client = login(user_with_roles(f"{role}@usc.test", [(demo[USC], role)]))
    for fmt in ("csv", "xlsx"):
        response = client.get(_url(fmt))
        assert response.status_code == 403
        assert b"Olena" not in response.content
    assert not AuditEntry.objects.filter(action="network.people.exported").exists()


def test_another_organisations_organiser_gets_no_export(login, razem_organiser, anon):
    response = login(razem_organiser).get(_url("csv"))
    assert response.status_code in (403, 404) and b"Olena" not in response.content
    assert anon.get(_url("xlsx")).status_code == 302


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_name_written_as_a_formula_is_escaped(login, demo, usc_viewer, fmt):
    services.person_create(
        by="test", full_name="=cmd|' /C calc'!A0", email="x@usc.example", organisation=demo[USC]
    )
    assert "'=cmd|' /C calc'!A0" in _names(login(usc_viewer), fmt)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_query_count_does_not_grow_with_the_people(
    login, demo, usc_viewer, django_assert_max_num_queries, fmt
):
    client = login(usc_viewer)
    with django_assert_max_num_queries(14) as few:
        small = len(_names(client, fmt))
    for number in range(20):
        services.person_create(
            by="test",
            full_name=f"Member {number:02d}",
            email=f"m{number}@usc.example",
            organisation=demo[USC],
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        large = len(_names(client, fmt))
    assert large == small + 20
