"""Every claim on the books page can be reached: paged in place and searchable."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from spilka.funds.models import Expense, Fund
from spilka.funds.views import public
from spilka.network.models import Organisation

BOOKS = "/en/money/org/ukraine-solidarity-campaign/books/"
PER_PAGE = 20  # claims per page on the books page


def _claims(fund, claimant, count):
    # Created one by one so the newest (highest number) comes first.
    for i in range(count):
        Expense.objects.create(
            fund=fund,
            claimant=claimant,
            title=f"Van hire {i:03d}",
            incurred_on=datetime.date(2026, 1, 1),
            currency="GBP",
        )


@pytest.mark.django_db
def test_the_oldest_claim_is_on_the_second_page(fund, volunteer, treasurer, login):
    _claims(fund, volunteer, PER_PAGE + 1)
    client = login(treasurer)
    first = client.get(BOOKS).content.decode()
    second = client.get(BOOKS, {"claims_page": 2}).content.decode()
    assert "Van hire 000" not in first and "Van hire 020" in first
    assert "Van hire 000" in second and "Van hire 020" not in second
    # Claimants see their own claims paged the same way.
    assert "Van hire 000" in login(volunteer).get(BOOKS, {"claims_page": 2}).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["claims_page=abc", "claims_page=999", "waiting_page=x", "imports_page=-5"]
)
def test_any_page_number_answers(fund, volunteer, treasurer, login, query):
    _claims(fund, volunteer, PER_PAGE + 1)
    assert login(treasurer).get(f"{BOOKS}?{query}").status_code == 200


@pytest.mark.django_db
def test_search_finds_a_claim_past_the_first_page(fund, volunteer, treasurer, login):
    _claims(fund, volunteer, PER_PAGE + 1)
    Expense.objects.filter(title="Van hire 000").update(title="Generator for Pavlohrad")
    page = login(treasurer).get(BOOKS, {"q": "generator"}).content.decode()
    assert "Generator for Pavlohrad" in page
    assert "Van hire 001" not in page


@pytest.mark.django_db
def test_queries_do_not_grow_with_claims(
    fund, volunteer, treasurer, login, django_assert_max_num_queries
):
    client = login(treasurer)
    _claims(fund, volunteer, 2)
    client.get(BOOKS)
    with CaptureQueriesContext(connection) as few:
        client.get(BOOKS)
    _claims(fund, volunteer, PER_PAGE * 3)
    with django_assert_max_num_queries(len(few)):
        client.get(BOOKS + "?claims_page=2")


@pytest.mark.django_db
def test_rates_pages_answer(rates, treasurer, login):
    client = login(treasurer)
    response = client.get(BOOKS + "rates/?page=999")
    assert response.status_code == 200
    assert client.get(BOOKS + "rates/?page=abc").status_code == 200


def _public_funds(organisations):
    Fund.objects.bulk_create(
        Fund(organisation=org, slug="index-relief", name={"en": "Relief"}, currency="GBP")
        for org in organisations
    )


@pytest.mark.django_db
def test_the_transparency_index_pages_its_organisations(
    anon, demo, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(public, "INDEX_PER_PAGE", 2)
    Fund.objects.update(is_public=False)  # the demo's own, out of the way
    public_orgs = list(Organisation.objects.filter(is_public=True).order_by("slug"))
    _public_funds(public_orgs[:5])
    private = Organisation.objects.filter(is_public=False).first()
    _public_funds([private])
    hidden = public_orgs[5]
    Fund.objects.create(organisation=hidden, slug="index-own", name={"en": "Own"}, is_public=False)

    with CaptureQueriesContext(connection) as few:
        pages = [anon.get("/en/money/", {"page": n}).content.decode() for n in (1, 2, 3)]
    listed = [org for org in public_orgs if any(f"/money/org/{org.slug}/" in p for p in pages)]
    assert listed == public_orgs[:5]
    assert f"/money/org/{public_orgs[0].slug}/" in pages[0]
    assert f"/money/org/{public_orgs[4].slug}/" in pages[2]
    assert "Page 3 of 3" in pages[2]
    assert all(f"/money/org/{private.slug}/" not in p for p in pages)

    _public_funds(public_orgs[5:20])
    with django_assert_max_num_queries(len(few) // 3):
        assert anon.get("/en/money/", {"page": 2}).status_code == 200
