"""Public pages: totals, chart, nothing personal, CSV safe from formulas, few queries."""

import csv
import io
from decimal import Decimal

import pytest

from spilka.funds.services.donations import donation_record
from spilka.funds.services.ledger import transaction_post, transaction_reverse

from .conftest import DAY

pytestmark = pytest.mark.django_db


PAGE = "/en/money/org/ucu/"


@pytest.fixture
def books(rates, treasurer, demo):
    # An organisation the demo gave no money, so the totals are this test's alone.
    from spilka.funds.services.funds import fund_create

    fund = fund_create(
        by=treasurer, organisation=demo["ucu"], slug="appeal", name={"en": "Appeal"}, currency="GBP"
    )
    donation_record(
        fund=fund,
        amount="100.00",
        currency="GBP",
        occurred_on=DAY,
        by=treasurer,
        donor_name="Secret Person",
        donor_email="secret@example.org",
        reference="FPS SECRET 123",
    )
    donation_record(
        fund=fund,
        amount="50.00",
        currency="GBP",
        occurred_on=DAY,
        by=treasurer,
        donor_name="Proud Donor",
        show_name=True,
        description='=HYPERLINK("http://evil")',
    )
    transaction_post(
        fund=fund,
        kind="transfer_out",
        amount="30.00",
        currency="GBP",
        occurred_on=DAY,
        by=treasurer,
        counterparty=demo["kvpu"],
        counterparty_confirmed=True,  # KVPU agreed to be named in UCU's accounts
        description="Generators",
    )
    transaction_post(
        fund=fund,
        kind="expense",
        amount="20.00",
        currency="GBP",
        occurred_on=DAY,
        by=treasurer,
        category="fuel",
        description="Diesel",
    )
    return fund


def test_the_transparency_page_shows_totals_partners_categories_and_a_chart(anon, books):
    response = anon.get(PAGE)
    assert response.status_code == 200
    page = response.content.decode()
    assert "£150.00" in page and "£100.00" in page  # raised, balance
    assert "Confederation of Free Trade Unions of Ukraine" in page and "Fuel" in page
    assert "<svg" in page and "at ECB rates on transaction dates" in page
    assert "Proud Donor" in page


def test_the_public_page_never_shows_private_donors_emails_or_references(anon, books):
    page = anon.get(PAGE).content.decode()
    for secret in ("Secret Person", "secret@example.org", "FPS SECRET"):
        assert secret not in page
    body = b"".join(anon.get(PAGE + "ledger.csv").streaming_content).decode()
    for secret in ("Secret Person", "secret@example.org", "FPS SECRET"):
        assert secret not in body


def test_the_csv_ledger_cannot_carry_a_formula(anon, books):
    response = anon.get(PAGE + "ledger.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 4
    described = [r["description"] for r in rows if "HYPERLINK" in r["description"]]
    assert described == ['\'=HYPERLINK("http://evil")']
    # Amounts the ledger computed stay numbers: a minus sign is not a formula.
    assert {r["amount"] for r in rows} == {"100.00", "50.00", "-30.00", "-20.00"}


def test_the_csv_ledger_starts_with_a_byte_order_mark_for_spreadsheets(anon, books):
    body = b"".join(anon.get(PAGE + "ledger.csv").streaming_content)
    assert body.startswith("\ufeff".encode())
    assert body.decode("utf-8-sig").startswith("date,fund,")


def test_totals_in_another_currency_state_their_method(anon, books):
    page = anon.get(PAGE + "?currency=USD").content.decode()
    assert "at the ECB rate at the end of each month" in page and "$" in page


def test_an_unknown_currency_falls_back_to_the_fund_s_own(anon, books):
    response = anon.get(PAGE + "?currency=XYZ")
    assert response.status_code == 200 and "£150.00" in response.content.decode()


def test_a_reversal_takes_the_entry_off_the_public_totals(anon, books, treasurer):
    from spilka.funds.models import Transaction

    entry = Transaction.objects.get(fund=books, amount=Decimal("100.00"))
    transaction_reverse(entry=entry, by=treasurer, reason="bounced")
    page = anon.get(PAGE).content.decode()
    assert "£50.00" in page and "£150.00" not in page


def test_private_funds_and_private_organisations_have_no_public_page(anon, books, demo, treasurer):
    from spilka.funds.services.funds import fund_update

    fund_update(by=treasurer, fund=books, is_public=False)
    assert "£150.00" not in anon.get(PAGE).content.decode()
    assert anon.get("/en/money/org/usc-convoy-team/").status_code == 404
    assert anon.get("/en/money/org/usc-convoy-team/ledger.csv").status_code == 404


def test_the_campaign_page_shows_the_funds_tied_to_the_campaign(anon, books, treasurer):
    from spilka.campaigns.models import Campaign
    from spilka.funds.services.funds import fund_update

    campaign = Campaign.objects.get(slug="cancel-ukraines-debt")
    # Only a campaign the fund's organisation co-organises takes its fund.
    campaign.co_organisers.add(books.organisation)
    fund_update(by=treasurer, fund=books, campaign=campaign)
    response = anon.get("/en/money/campaign/cancel-ukraines-debt/")
    assert response.status_code == 200 and "£150.00" in response.content.decode()
    assert anon.get("/en/money/campaign/no-such-campaign/").status_code == 404


def test_the_transparency_page_costs_a_fixed_number_of_queries(
    anon, books, treasurer, django_assert_max_num_queries
):
    for n in range(30):
        donation_record(
            fund=books,
            amount=f"{n + 1}.00",
            currency="PLN",
            occurred_on=DAY,
            by=treasurer,
            donor_name=f"D{n}",
            show_name=True,
        )
    with django_assert_max_num_queries(12):
        anon.get(PAGE)


def test_the_index_lists_transparency_pages_and_the_user_s_books(
    anon, login, books, treasurer, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        page = anon.get("/en/money/").content.decode()
    assert "/money/org/ucu/" in page
    assert "/books/" in login(treasurer).get("/en/money/").content.decode()


def _csv_text(client):
    return b"".join(client.get(PAGE + "ledger.csv").streaming_content).decode()


def test_a_partner_is_not_named_publicly_until_it_agrees(anon, rates, treasurer, demo, login):
    from django.contrib.auth import get_user_model

    from spilka.funds.services.funds import fund_create
    from spilka.network.models import LinkKind, LinkRequest, LinkRequestStatus
    from spilka.network.services import role_grant

    fund = fund_create(
        by=treasurer, organisation=demo["ucu"], slug="appeal", name={"en": "Appeal"}, currency="GBP"
    )
    donation_record(fund=fund, amount="100.00", currency="GBP", occurred_on=DAY, by=treasurer)
    transaction_post(
        fund=fund,
        kind="transfer_out",
        amount="30.00",
        currency="GBP",
        occurred_on=DAY,
        by=treasurer,
        counterparty=demo["kvpu"],
        description="Generators",
    )
    kvpu_name = "Confederation of Free Trade Unions of Ukraine"
    page = anon.get(PAGE).content.decode()
    assert kvpu_name not in page
    assert "Partners not named" in page and "£30.00" in page
    assert kvpu_name not in _csv_text(anon)

    request = LinkRequest.objects.get(
        kind=LinkKind.FUNDS_PARTNER, organisation=demo["kvpu"], proposer=demo["ucu"]
    )
    assert request.status == LinkRequestStatus.PENDING
    kvpu_admin = get_user_model().objects.create_user("admin@kvpu.test", "a long password")
    role_grant(by="test setup", user=kvpu_admin, organisation=demo["kvpu"], role="admin")
    assert login(kvpu_admin).post(f"/en/links/{request.pk}/accept/").status_code == 302

    assert kvpu_name in anon.get(PAGE).content.decode()
    assert kvpu_name in _csv_text(anon)


def test_the_csv_ledger_names_partners_in_the_same_queries_for_more_entries(
    anon, books, treasurer, demo, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert "Confederation of Free Trade Unions" in _csv_text(anon)
    for n in range(20):
        transaction_post(
            fund=books,
            kind="transfer_out",
            amount=f"{n + 1}.00",
            currency="GBP",
            occurred_on=DAY,
            by=treasurer,
            counterparty=demo["kvpu"],
            counterparty_confirmed=True,
            description=f"Generator {n}",
        )

    with django_assert_max_num_queries(len(one.captured_queries)):
        text = _csv_text(anon)

    assert text.count("Confederation of Free Trade Unions") == 21


def _line_as_the_entry_reads(entry):
    """A CSV line built from the model instance, as the ledger CSV wrote it before it read
    plain rows in chunks."""
    from spilka.lib.csv_safe import csv_cell
    from spilka.network.display import public_name

    donor = entry.donor.public_name if entry.donor else ""
    return [
        csv_cell(entry.occurred_on),
        csv_cell(entry.fund.slug),
        csv_cell(entry.kind),
        csv_cell(entry.category),
        csv_cell(public_name(entry.counterparty) if entry.partner_named else ""),
        csv_cell(donor or ("anonymous" if entry.kind == "donation" else "")),
        csv_cell(entry.description),
        entry.amount,
        entry.currency,
        entry.reporting_amount,
        entry.reporting_currency,
        entry.rate,
        csv_cell(entry.rate_date),
        csv_cell(entry.rate_source),
        entry.reverses_id or "",
    ]


def test_the_csv_ledger_merges_every_public_fund_newest_first_across_chunks(
    anon, books, treasurer, demo, monkeypatch
):
    import datetime

    from spilka.funds.selectors import transparency
    from spilka.funds.services.funds import fund_create
    from spilka.lib.csv_safe import csv_text

    second = fund_create(
        by=treasurer, organisation=demo["ucu"], slug="winter", name={"en": "Winter"}, currency="EUR"
    )
    for n, fund in enumerate([second, books, second, books, second]):
        donation_record(
            fund=fund,
            amount=f"{n + 3}.00",
            currency="EUR",
            occurred_on=DAY - datetime.timedelta(days=n % 3),
            by=treasurer,
            donor_name=f"Giver {n}",
            show_name=n % 2 == 0,
        )
    transaction_reverse(entry=books.transactions.order_by("pk").first(), by=treasurer, reason="x")
    # Chunks of two: both funds cross several chunk ends, some within one day.
    monkeypatch.setattr(transparency, "CSV_CHUNK", 2)
    monkeypatch.setattr(transparency, "CSV_FIRST", 1)
    funds = list(transparency.public_funds(organisation=demo["ucu"]))
    assert len(funds) == 2
    entries = transparency.public_ledger(funds)
    header = next(csv.reader(io.StringIO(_csv_text(anon).removeprefix("\ufeff"))))
    expected = csv_text([header, *(_line_as_the_entry_reads(e) for e in entries)])

    assert _csv_text(anon) == expected
    assert len(expected.splitlines()) == 1 + 4 + 5 + 1
