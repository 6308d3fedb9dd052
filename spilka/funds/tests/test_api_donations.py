"""OSDI donations through the API, and the record donation helper.

Personas: USC keeps the public "solidarity-fund" (GBP) with named and anonymous donors;
Razem keeps no USC books; an anonymous caller has no key."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from spilka.campaigns.tests.api_helpers import Api, key_for, person, rows
from spilka.funds.models import Donor, Fund, Transaction, TransactionKind
from spilka.funds.services.donations import donation_record
from spilka.funds.services.funds import fund_create
from spilka.lib.models import AuditEntry

pytestmark = pytest.mark.django_db

DONATIONS = "/api/v1/donations/"


@pytest.fixture
def fund(usc):
    return Fund.objects.get(organisation=usc, slug="solidarity-fund")


@pytest.fixture
def books(usc):
    return key_for(usc, ["funds:books", "funds:write"])


def _helper(fund):
    return f"/api/v1/fundraising_pages/{fund.pk}/donations/"


def _gift(fund, email="donor@example.org", name="Private Donor", show_name=False, amount="15.00"):
    return donation_record(
        fund=fund,
        amount=Decimal(amount),
        currency=fund.currency,
        occurred_on=datetime.date(2024, 5, 2),
        by="test",
        donor_name=name,
        donor_email=email,
        show_name=show_name,
    )


def _by_id(listed):
    return {row["_links"]["self"]["href"].rstrip("/").rsplit("/", 1)[-1]: row for row in listed}


def test_anyone_reads_donations_as_the_transparency_page_shows_them(fund):
    hidden = _gift(fund)
    named = _gift(fund, email="named@example.org", name="Named Donor", show_name=True)
    response = Api().get(DONATIONS, per_page=100)
    text = response.content.decode()
    listed = _by_id(rows(response, "donations"))
    assert "donor@example.org" not in text and "Private Donor" not in text
    assert listed[str(named.pk)]["donor_public_name"] == "Named Donor"
    assert listed[str(hidden.pk)]["donor_public_name"] == ""
    assert (
        listed[str(hidden.pk)]["amount"] == "15.00" and listed[str(hidden.pk)]["currency"] == "GBP"
    )
    assert listed[str(hidden.pk)]["person"] is None


def test_a_read_key_sees_figures_and_only_the_books_key_sees_donors(fund, usc, books):
    gift = _gift(fund)
    reader = key_for(usc, ["funds:read"]).get(f"{DONATIONS}{gift.pk}/")
    assert reader.status_code == 200 and reader.json()["person"] is None
    keeper = books.get(f"{DONATIONS}{gift.pk}/").json()
    assert keeper["person"]["email_addresses"] == [{"address": "donor@example.org"}]


def test_another_organisations_books_key_sees_no_donor_of_ours(fund, demo):
    _gift(fund)
    razem = key_for(demo["razem"], ["funds:books", "funds:write"])
    response = razem.get(DONATIONS, per_page=100)
    assert "donor@example.org" not in response.content.decode()
    assert all(row["person"] is None for row in rows(response, "donations"))


def test_a_private_funds_donations_stay_with_its_organisation(usc, books, demo):
    private = fund_create(
        by="test",
        organisation=usc,
        slug="hardship",
        name={"en": "Hardship"},
        currency="GBP",
        is_public=False,
    )
    gift = _gift(private, email="quiet@example.org")
    assert Api().get(f"{DONATIONS}{gift.pk}/").status_code == 404
    assert key_for(demo["razem"], ["funds:books"]).get(f"{DONATIONS}{gift.pk}/").status_code == 404
    assert key_for(usc, ["funds:read"]).get(f"{DONATIONS}{gift.pk}/").status_code == 404
    assert books.get(f"{DONATIONS}{gift.pk}/").status_code == 200


def test_recorded_donation_is_posted_by_the_ledger_with_its_audit_row(
    fund, books, usc, django_capture_on_commit_callbacks
):
    body = {
        "person": person("giver@example.org", name="Maria Kowalska"),
        "amount": "42.50",
        "currency": "GBP",
        "action_date": "2024-06-01",
        "payment": {"reference_number": "BANK-77"},
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = books.post(_helper(fund), body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["amount"] == "42.50" and data["currency"] == "GBP"
    entry = Transaction.objects.get(fund=fund, reference="BANK-77")
    assert entry.kind == TransactionKind.DONATION and entry.amount == Decimal("42.50")
    assert entry.donor.email == "giver@example.org" and not entry.donor.consented_updates
    assert AuditEntry.objects.filter(
        action="funds.transaction.donation", object_id=str(entry.pk), organisation=usc
    ).exists()


def test_a_donor_asking_for_updates_is_mailed_and_not_subscribed(
    fund, books, usc, django_capture_on_commit_callbacks
):
    from spilka.outreach.models import PendingSignup, Supporter, SupporterStatus

    body = {
        "person": person("news.donor@example.org", status="subscribed"),
        "amount": 10,
        "currency": "GBP",
        "action_date": "2024-06-02",
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert books.post(_helper(fund), body).status_code == 201
    assert PendingSignup.objects.filter(organisation=usc, email="news.donor@example.org").exists()
    assert not Supporter.objects.filter(
        organisation=usc, email="news.donor@example.org", status=SupporterStatus.SUBSCRIBED
    ).exists()


def test_a_decimal_comma_reads_as_meant(fund, books):
    body = {"amount": "42,50", "currency": "GBP", "action_date": "2024-06-03"}
    response = books.post(_helper(fund), body)
    assert response.status_code == 201 and response.json()["amount"] == "42.50"


def test_recording_needs_the_books_and_write_scopes_of_the_funds_organisation(fund, usc, demo):
    body = {"amount": "5.00", "currency": "GBP", "action_date": "2024-06-04"}
    before = Transaction.objects.count()
    assert Api().post(_helper(fund), body).status_code in (401, 403)
    assert key_for(usc, ["funds:books"]).post(_helper(fund), body).status_code == 403
    assert key_for(usc, ["funds:write"]).post(_helper(fund), body).status_code == 403
    other = key_for(demo["razem"], ["funds:books", "funds:write"]).post(_helper(fund), body)
    assert other.status_code == 404
    assert Transaction.objects.count() == before


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"amount": "abc", "currency": "GBP", "action_date": "2024-06-04"},
        {"amount": "-5", "currency": "GBP", "action_date": "2024-06-04"},
        {"amount": "0", "currency": "GBP", "action_date": "2024-06-04"},
        {"amount": "1e9", "currency": "GBP", "action_date": "2024-06-04"},
        {"amount": "99999999999999999", "currency": "GBP", "action_date": "2024-06-04"},
        {"amount": "5.00", "currency": "XYZ", "action_date": "2024-06-04"},
        {"amount": "5.00", "currency": "GBP", "action_date": "yesterday"},
        {"amount": "5.00", "currency": "GBP", "action_date": "2024-06-04", "person": "x"},
        {"amount": True, "currency": "GBP", "action_date": "2024-06-04"},
        ["5.00"],
        "{",
    ],
)
def test_bad_input_is_a_400_never_a_500(fund, usc, body):
    api = key_for(usc, ["funds:books", "funds:write"], language="uk")
    before = Transaction.objects.count()
    response = api.post(_helper(fund), body)
    assert response.status_code == 400, response.content
    assert response.json()
    assert Transaction.objects.count() == before


def test_a_date_without_a_rate_is_explained_in_ukrainian(fund, usc):
    api = key_for(usc, ["funds:books", "funds:write"], language="uk")
    body = {"amount": "5.00", "currency": "EUR", "action_date": "1990-01-02"}
    response = api.post(_helper(fund), body)
    assert response.status_code == 400
    assert "1990-01-02" in response.content.decode()
    assert "There is no" not in response.content.decode()


def test_queries_do_not_grow_with_the_rows_on_a_page(fund, books):
    for n in range(3):
        _gift(fund, email=f"d{n}@example.org", name=f"D {n}", show_name=True)
    for api in (Api(), books):
        api.get(DONATIONS)  # the key's first use records when it was used: not counted
        counts = []
        for per_page in (1, 3):
            with CaptureQueriesContext(connection) as captured:
                assert api.get(DONATIONS, per_page=per_page).status_code == 200
            counts.append(len(captured))
        assert counts[0] == counts[1]


def test_erased_donors_are_not_shown_even_to_the_books_key(fund, books):
    gift = _gift(fund, email="erase.me@example.org")
    Donor.objects.filter(pk=gift.donor_id).update(
        erased_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    )
    assert books.get(f"{DONATIONS}{gift.pk}/").json()["person"] is None
