"""Funds and ledger entries in the API: what the transparency page shows for read keys and
visitors; the full books only for a key with ``funds:books`` of the fund's organisation.

Personas: an anonymous client; USC keys with ``funds:read`` and with ``funds:books``; a
Razem key with ``funds:books`` (another organisation's treasurer-level key).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from spilka.funds.services.donations import donation_record
from spilka.funds.services.funds import fund_create
from spilka.funds.tests.conftest import DAY
from spilka.network.tests.api_own import BASE, anonymous, get_all, key_client, queries_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def books(fund, treasurer, usc_org):
    hidden = fund_create(
        by=treasurer,
        organisation=usc_org,
        slug="hidden-fund",
        name={"en": "Hidden fund"},
        currency="GBP",
        is_public=False,
    )
    named = donation_record(
        fund=fund,
        amount=Decimal("25.00"),
        currency="GBP",
        occurred_on=DAY,
        by=treasurer,
        donor_name="Alice Shown",
        donor_email="alice@example.org",
        show_name=True,
        reference="BANKREF-1",
    )
    shy = donation_record(
        fund=fund,
        amount=Decimal("40.00"),
        currency="GBP",
        occurred_on=DAY,
        by=treasurer,
        donor_name="Bob Private",
        donor_email="bob@example.org",
        reference="BANKREF-2",
    )
    secret = donation_record(
        fund=hidden,
        amount=Decimal("7.00"),
        currency="GBP",
        occurred_on=DAY,
        by=treasurer,
        donor_name="Carol Hidden",
        reference="BANKREF-3",
    )
    return {"fund": fund, "hidden": hidden, "named": named, "shy": shy, "secret": secret}


def _entries(client):
    """The entries of this test's two funds (the demo's own funds have more)."""
    return [
        *get_all(client, "ledger_entries", fund="test-convoys"),
        *get_all(client, "ledger_entries", fund="hidden-fund"),
    ]


@pytest.mark.parametrize("scopes", [None, ["funds:read"]])
def test_read_keys_and_visitors_see_the_transparency_ledger_only(books, usc_org, scopes):
    client = anonymous() if scopes is None else key_client(usc_org, scopes)
    entries = _entries(client)
    assert sorted(e["amount"] for e in entries) == ["25.00", "40.00"]
    text = str(entries)
    assert "Alice Shown" in text  # she agreed to be named
    assert "Bob Private" not in text and "bob@example.org" not in text
    assert "BANKREF" not in text and "Carol" not in text
    assert all(e["books"] is None for e in entries)
    funds = {
        f["slug"] for f in get_all(client, "funds", organisation="ukraine-solidarity-campaign")
    }
    assert "hidden-fund" not in funds and "test-convoys" in funds


def test_a_books_key_of_the_organisation_sees_the_full_books(books, usc_org):
    client = key_client(usc_org, ["funds:books"])
    entries = _entries(client)
    assert sorted(e["amount"] for e in entries) == ["25.00", "40.00", "7.00"]
    references = {e["books"]["reference"] for e in entries}
    assert references == {"BANKREF-1", "BANKREF-2", "BANKREF-3"}
    assert "Bob Private" in str(entries)
    funds = {
        f["slug"] for f in get_all(client, "funds", organisation="ukraine-solidarity-campaign")
    }
    assert "hidden-fund" in funds


def test_another_organisations_books_key_sees_only_the_public_ledger(books, demo):
    client = key_client(demo["razem"], ["funds:books"])
    entries = _entries(client)
    assert sorted(e["amount"] for e in entries) == ["25.00", "40.00"]
    assert all(e["books"] is None for e in entries)
    assert client.get(f"{BASE}funds/{books['hidden'].pk}/").status_code == 404
    assert client.get(f"{BASE}ledger_entries/{books['secret'].pk}/").status_code == 404


def test_fund_balance_is_the_transparency_balance(books, usc_org):
    funds = get_all(anonymous(), "funds", organisation="ukraine-solidarity-campaign")
    test_fund = next(f for f in funds if f["slug"] == "test-convoys")
    assert test_fund["balance"] == "65.00"


def test_a_bad_ledger_filter_is_a_400(books):
    response = anonymous().get(f"{BASE}ledger_entries/", {"filter": "amount gt '5'"})
    assert response.status_code == 400
    assert "filter" in response.json().get("detail", response.json())


def test_ledger_costs_the_same_queries_for_any_page_size(books, usc_org):
    client = key_client(usc_org, ["funds:books"])
    for collection in ("funds", "ledger_entries"):
        small = queries_for(client, f"{BASE}{collection}/", per_page=1)
        large = queries_for(client, f"{BASE}{collection}/", per_page=50)
        assert small == large, collection
