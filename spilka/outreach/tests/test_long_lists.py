"""Organisers see every mailing and import: paged, searchable, never cut off."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from spilka.lib.paging import PER_PAGE
from spilka.outreach.models import Mailing

BASE = "/en/outreach/ukraine-solidarity-campaign/mailings/"


def _mailings(org, count):
    Mailing.objects.filter(organisation=org).delete()
    start = timezone.now() - timedelta(days=1000)
    Mailing.objects.bulk_create(
        Mailing(
            organisation=org,
            subject={"en": f"Bulletin {i:03d}"},
            body={"en": "News"},
            created_at=start + timedelta(minutes=i),
        )
        for i in range(count)
    )


@pytest.mark.django_db
def test_the_oldest_mailing_is_on_the_second_page(usc, usc_admin, login):
    _mailings(usc, PER_PAGE + 1)
    client = login(usc_admin)
    first = client.get(BASE).content.decode()
    second = client.get(BASE + "?page=2").content.decode()
    assert "Bulletin 000" not in first
    assert "Page 1 of 2" in first
    assert "Bulletin 000" in second
    assert "Bulletin 050" not in second


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["abc", "999", "-1", "2%00"])
def test_any_page_number_answers(usc, usc_admin, login, page):
    _mailings(usc, PER_PAGE + 1)
    response = login(usc_admin).get(BASE, {"page": page})
    assert response.status_code == 200


@pytest.mark.django_db
def test_search_finds_a_mailing_past_the_first_page(usc, usc_admin, login):
    _mailings(usc, PER_PAGE + 1)
    Mailing.objects.filter(subject__en="Bulletin 000").update(
        subject={"en": "Bulletin 000", "uk": "Шахтарі Павлограда"}
    )
    client = login(usc_admin)
    found = client.get(BASE, {"q": "bulletin 000"}).content.decode()
    assert "Bulletin 000" in found and "Bulletin 001" not in found
    cyrillic = client.get(BASE, {"q": "Шахтарі"}).content.decode()
    assert "Bulletin 000" in cyrillic and "Bulletin 001" not in cyrillic
    nothing = client.get(BASE, {"q": "no such thing"}).content.decode()
    assert "No mailing matches your search." in nothing
    # A language key is not text: "uk" is in every mailing's JSON but in no subject.
    keys = client.get(BASE, {"q": "uk"}).content.decode()
    assert "No mailing matches your search." in keys


@pytest.mark.django_db
def test_the_pager_keeps_the_search(usc, usc_admin, login):
    _mailings(usc, PER_PAGE + 1)
    page = login(usc_admin).get(BASE, {"q": "Bulletin"}).content.decode()
    assert "?q=Bulletin&amp;page=2" in page


@pytest.mark.django_db
def test_queries_do_not_grow_with_mailings(usc, usc_admin, login, django_assert_max_num_queries):
    client = login(usc_admin)
    _mailings(usc, 3)
    client.get(BASE)  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        client.get(BASE)
    _mailings(usc, PER_PAGE * 3)
    with django_assert_max_num_queries(len(few)):
        client.get(BASE + "?page=2")


@pytest.mark.django_db
def test_earlier_imports_page(usc, usc_admin, login):
    from spilka.outreach.models import SupporterImport

    SupporterImport.objects.bulk_create(
        SupporterImport(organisation=usc, filename=f"people-{i:02d}.csv") for i in range(25)
    )
    client = login(usc_admin)
    first = client.get("/en/outreach/ukraine-solidarity-campaign/imports/new/")
    assert first.status_code == 200
    assert "Page 1 of" in first.content.decode()
    assert (
        client.get("/en/outreach/ukraine-solidarity-campaign/imports/new/?page=zzz").status_code
        == 200
    )
