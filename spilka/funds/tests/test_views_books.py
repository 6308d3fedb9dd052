"""Treasurers' pages: who may do what, bad input, immutability through views and admin."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from spilka.funds.models import Expense, ExpenseStatus, ImportStatus, Transaction
from spilka.funds.services.donations import donation_record
from spilka.lib.testing import user_with_roles

from .conftest import DAY, PDF

pytestmark = pytest.mark.django_db

BOOKS = "/en/money/org/ukraine-solidarity-campaign/books"


@pytest.fixture
def entry(fund, treasurer):
    return donation_record(
        fund=fund,
        amount="100.00",
        currency="GBP",
        occurred_on=DAY,
        by=treasurer,
        donor_name="Donor",
    )


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/funds/test-convoys/",
        "/funds/test-convoys/record/",
        "/rates/",
        "/shop/",
        "/imports/new/",
    ],
)
def test_treasurer_pages_are_refused_to_volunteers_outsiders_and_visitors(
    path, fund, login, volunteer, outsider_treasurer, anon, treasurer
):
    assert login(treasurer).get(BOOKS + path).status_code == 200
    if path != "/":  # volunteers see the books page with their own claims only
        assert login(volunteer).get(BOOKS + path).status_code == 403
    assert login(outsider_treasurer).get(BOOKS + path).status_code == 403
    assert anon.get(BOOKS + path).status_code == 302  # to sign in


def test_the_volunteer_books_page_shows_only_their_claims(
    fund, login, volunteer, submitted_claim, treasurer
):
    page = login(volunteer).get(BOOKS + "/").content.decode()
    assert "Fuel to Lviv" in page and "test-convoys/record" not in page


def test_a_treasurer_records_an_entry_through_the_form(fund, login, treasurer, demo):
    response = login(treasurer).post(
        BOOKS + "/funds/test-convoys/record/",
        {
            "kind": "transfer_out",
            "occurred_on": "2022-03-15",
            "amount": "250.00",
            "currency": "GBP",
            "counterparty": demo["kvpu"].pk,
        },
    )
    assert response.status_code == 302
    assert Transaction.objects.get(fund=fund).amount == Decimal("-250.00")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"amount": "10.001"}, "at most 2 decimal places"),
        ({"currency": "XYZ"}, "Select a valid choice"),
        ({"occurred_on": "2022-03-20", "currency": "USD"}, "manual rate"),
        ({"amount": "abc"}, "Enter an amount"),
    ],
)
def test_bad_entries_are_refused_with_a_clear_message_and_nothing_posted(
    fund, login, treasurer, data, message
):
    form = {
        "kind": "donation",
        "occurred_on": "2022-03-15",
        "amount": "10.00",
        "currency": "GBP",
        **data,
    }
    response = login(treasurer).post(BOOKS + "/funds/test-convoys/record/", form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Transaction.objects.filter(fund=fund).exists()


def test_no_view_edits_an_entry_only_reversal_exists(entry, login, treasurer):
    from django.urls import NoReverseMatch, reverse

    for name in ("entry_edit", "transaction_edit", "entry_delete"):
        with pytest.raises(NoReverseMatch):
            reverse(f"funds:{name}", kwargs={"org": "ukraine-solidarity-campaign", "pk": entry.pk})
    client = login(treasurer)
    assert client.get(f"{BOOKS}/entries/{entry.pk}/reverse/").status_code == 405
    assert client.post(f"{BOOKS}/entries/{entry.pk}/reverse/", {"reason": ""}).status_code == 302
    assert not Transaction.objects.filter(reverses=entry).exists()
    client.post(f"{BOOKS}/entries/{entry.pk}/reverse/", {"reason": "Wrong fund"})
    assert Transaction.objects.get(reverses=entry).amount == Decimal("-100.00")
    assert Transaction.objects.get(pk=entry.pk).amount == Decimal("100.00")


def test_an_outsider_cannot_reverse_another_organisation_s_entry(
    entry, login, outsider_treasurer, volunteer
):
    for user in (outsider_treasurer, volunteer):
        assert (
            login(user).post(f"{BOOKS}/entries/{entry.pk}/reverse/", {"reason": "x"}).status_code
            == 403
        )
    assert not Transaction.objects.filter(reverses=entry).exists()


def test_the_admin_shows_entries_but_cannot_add_change_or_delete(
    entry, client, django_user_model, settings
):
    settings.SPILKA_STAFF_2FA = (
        False  # the second factor is tested by accounts; here: the admin itself
    )
    admin = django_user_model.objects.create_superuser("root@spilka.test", "pass phrase 123")
    client.force_login(admin)
    base = "/admin/funds/transaction/"
    assert client.get(base).status_code == 200
    assert client.get(f"{base}add/").status_code == 403
    assert client.post(f"{base}{entry.pk}/change/", {"amount": "1"}).status_code == 403
    assert client.post(f"{base}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Transaction.objects.get(pk=entry.pk).amount == Decimal("100.00")


def _claim_form(fund, **extra):
    return {
        "fund": fund.pk,
        "title": "Fuel to Lviv",
        "incurred_on": "2022-03-15",
        "currency": "PLN",
        "category_1": "fuel",
        "description_1": "Diesel",
        "amount_1": "300.00",
        "receipt": SimpleUploadedFile("r.pdf", PDF, content_type="application/pdf"),
        "submit": "1",
        **extra,
    }


def test_a_volunteer_claims_and_a_second_treasurer_approves_and_pays(
    fund, login, volunteer, treasurer
):
    response = login(volunteer).post(BOOKS + "/expenses/new/", _claim_form(fund))
    assert response.status_code == 302
    expense = Expense.objects.get(claimant=volunteer)
    assert expense.status == ExpenseStatus.SUBMITTED
    url = f"{BOOKS}/expenses/{expense.pk}/"
    assert login(volunteer).post(url, {"action": "approve"}).status_code == 403  # not a treasurer
    client = login(treasurer)
    assert client.post(url, {"action": "approve"}).status_code == 302
    assert client.post(url, {"action": "pay", "pay-rate": ""}).status_code == 302
    expense.refresh_from_db()
    assert expense.status == ExpenseStatus.PAID
    assert Transaction.objects.filter(expense=expense, kind="expense").count() == 1


def test_a_treasurer_who_claimed_cannot_approve_their_own_claim_in_the_page(fund, login, treasurer):
    login(treasurer).post(BOOKS + "/expenses/new/", _claim_form(fund))
    expense = Expense.objects.get(claimant=treasurer)
    page = login(treasurer).get(f"{BOOKS}/expenses/{expense.pk}/").content.decode()
    assert "another treasurer must approve it" in page and 'value="approve"' not in page
    response = login(treasurer).post(f"{BOOKS}/expenses/{expense.pk}/", {"action": "approve"})
    assert response.status_code == 400 and "own claim" in response.content.decode()
    assert Expense.objects.get(pk=expense.pk).status == ExpenseStatus.SUBMITTED


def test_a_claim_with_a_bad_receipt_or_amount_saves_nothing(fund, login, volunteer):
    client = login(volunteer)
    bad = _claim_form(fund, receipt=SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf"))
    response = client.post(BOOKS + "/expenses/new/", bad)
    assert response.status_code == 400 and "PDF, JPEG, PNG" in response.content.decode()
    response = client.post(BOOKS + "/expenses/new/", _claim_form(fund, amount_1="1.234"))
    assert response.status_code == 400 and "decimal places" in response.content.decode()
    assert not Expense.objects.filter(claimant=volunteer).exists()


def test_receipts_are_served_only_to_treasurers_and_never_from_media(
    submitted_claim, login, treasurer, volunteer, outsider_treasurer, anon, settings
):
    receipt = submitted_claim.receipts.get()
    url = f"{BOOKS}/receipts/{receipt.pk}/"
    response = login(treasurer).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Cache-Control"] == "private, no-store"
    assert login(volunteer).get(url).status_code == 403
    assert login(outsider_treasurer).get(url).status_code == 403
    assert anon.get(url).status_code == 302
    assert not str(receipt.file.path).startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        receipt.file.url  # noqa: B018


def test_a_receipt_whose_file_is_gone_answers_404_and_warns_the_admins_not_a_server_error(
    submitted_claim, login, treasurer, caplog
):
    receipt = submitted_claim.receipts.get()
    receipt.file.storage.delete(receipt.file.name)  # a restore without its files
    response = login(treasurer).get(f"{BOOKS}/receipts/{receipt.pk}/")
    assert response.status_code == 404
    assert 'data-error-page="404"' in response.content.decode()
    assert f"private file missing from storage: {receipt.file.name}" in caplog.text


def test_a_claim_is_hidden_from_other_members(submitted_claim, login, usc_org):
    other = user_with_roles("other@usc.test", [(usc_org, "logistics")])
    assert login(other).get(f"{BOOKS}/expenses/{submitted_claim.pk}/").status_code == 404


STATEMENT = (
    "Date,Description,Paid in,Payer\n15/03/2022,UNITE,1500.00,Unite\n16/03/2022,FPS,25.00,J Smith\n"
)


def test_a_treasurer_imports_a_statement_through_mapping_and_preview(fund, login, treasurer):
    client = login(treasurer)
    response = client.post(
        BOOKS + "/imports/new/",
        {
            "fund": fund.pk,
            "currency": "GBP",
            "file": SimpleUploadedFile("s.csv", STATEMENT.encode()),
        },
    )
    assert response.status_code == 302
    url = response["Location"]
    page = client.get(url).content.decode()
    assert 'value="Paid in" selected' in page  # columns guessed from their names
    client.post(
        url,
        {
            "date": "Date",
            "amount": "Paid in",
            "reference": "Description",
            "payer": "Payer",
            "date_format": "dmy",
        },
    )
    page = client.get(url).content.decode()
    assert "2 rows to import" in page
    client.post(url, {"action": "import"})
    assert "Imported 2 donations" in client.get(url).content.decode()
    progress = client.get(url + "progress.json").json()
    assert progress["finished"] and progress["percent"] == 100


def test_a_50_mb_statement_is_refused_before_it_is_read(fund, login, treasurer):
    big = SimpleUploadedFile("big.csv", b"a,b\n" + b"1,2\n" * (50 * 1024 * 1024 // 4))
    response = login(treasurer).post(
        BOOKS + "/imports/new/", {"fund": fund.pk, "currency": "GBP", "file": big}
    )
    assert response.status_code == 413 and "too large" in response.content.decode()


def test_a_malformed_statement_is_refused_clearly(fund, login, treasurer):
    response = login(treasurer).post(
        BOOKS + "/imports/new/",
        {"fund": fund.pk, "currency": "GBP", "file": SimpleUploadedFile("s.csv", b"a,b\n1,2,3\n")},
    )
    assert response.status_code == 400 and "columns" in response.content.decode()


def test_import_pages_are_refused_to_others(fund, login, treasurer, volunteer, outsider_treasurer):
    from spilka.funds.services.imports import import_upload

    batch = import_upload(
        fund=fund,
        upload=SimpleUploadedFile("s.csv", STATEMENT.encode()),
        currency="GBP",
        by=treasurer,
    )
    for user in (volunteer, outsider_treasurer):
        assert login(user).get(f"{BOOKS}/imports/{batch.pk}/").status_code == 403
        assert login(user).get(f"{BOOKS}/imports/{batch.pk}/progress.json").status_code == 403
    assert batch.status == ImportStatus.UPLOADED


def test_the_manual_rate_page_refuses_rates_files_and_bad_rates(fund, login, treasurer):
    # Official rates files are loaded by instance staff (test_reference_rates.py), not here.
    client = login(treasurer)
    response = client.post(
        BOOKS + "/rates/",
        {"file-format": "ecb", "file-file": SimpleUploadedFile("r.csv", b"nonsense")},
    )
    assert response.status_code == 400 and "Import a rates file" not in response.content.decode()
    response = client.post(
        BOOKS + "/rates/",
        {
            "manual-date": "2022-03-20",
            "manual-base": "GBP",
            "manual-quote": "UAH",
            "manual-rate": "-3",
        },
    )
    assert response.status_code == 400
    response = client.post(
        BOOKS + "/rates/",
        {
            "manual-date": "2022-03-20",
            "manual-base": "GBP",
            "manual-quote": "UAH",
            "manual-rate": "37.2",
        },
    )
    assert response.status_code == 302


def test_the_fund_ledger_page_costs_a_fixed_number_of_queries(
    fund, login, treasurer, demo, django_assert_max_num_queries
):
    for n in range(20):
        donation_record(
            fund=fund,
            amount=f"{n + 1}.00",
            currency="PLN",
            occurred_on=DAY,
            by=treasurer,
            donor_name=f"D{n}",
        )
    client = login(treasurer)
    with django_assert_max_num_queries(14):
        page = client.get(BOOKS + "/funds/test-convoys/").content.decode()
    assert len(re.findall(r'name="reason"', page)) == 20
    with django_assert_max_num_queries(14):
        client.get(BOOKS + "/")


def test_a_treasurer_creates_a_fund_and_sets_the_threshold_and_rate_fallback(
    fund, login, treasurer, volunteer, usc_org
):
    from spilka.funds.models import Fund, TreasurySettings

    client = login(treasurer)
    response = client.post(
        BOOKS + "/new-fund/",
        {
            "slug": "translation",
            "name_en": "Translation fund",
            "currency": "EUR",
            "is_public": "on",
        },
    )
    assert response.status_code == 302
    assert Fund.objects.get(organisation=usc_org, slug="translation").currency == "EUR"
    assert (
        client.post(
            BOOKS + "/new-fund/", {"slug": "translation", "name_en": "Again", "currency": "EUR"}
        ).status_code
        == 400
    )
    response = client.post(
        BOOKS + "/settings/",
        {"reporting_currency": "GBP", "second_approver_above": "250.00", "rate_fallback_days": "3"},
    )
    assert response.status_code == 302
    assert TreasurySettings.objects.get(organisation=usc_org).rate_fallback_days == 3
    bad = client.post(
        BOOKS + "/settings/",
        {"reporting_currency": "XYZ", "second_approver_above": "-1", "rate_fallback_days": "99"},
    )
    assert bad.status_code == 400
    for path in ("/new-fund/", "/settings/"):
        assert login(volunteer).get(BOOKS + path).status_code == 403


def test_a_treasurer_creates_a_product_restocks_and_sells_without_overselling(
    fund, login, treasurer, volunteer
):
    from spilka.funds.models import ProductVariant

    client = login(treasurer)
    shop = BOOKS + "/shop/"
    response = client.post(
        shop,
        {
            "action": "product",
            "product-fund": fund.pk,
            "product-slug": "tee",
            "product-name": "Tee",
            "product-price": "15.00",
            "product-currency": "USD",
            "product-sizes": "S:1, M:2",
        },
    )
    assert response.status_code == 302
    small = ProductVariant.objects.get(product__slug="tee", label="S")
    assert (
        client.post(
            shop, {"action": "restock", "restock-variant": small.pk, "restock-quantity": "2"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            shop,
            {"action": "sale", "variant": small.pk, "quantity": "3", "occurred_on": "2022-03-15"},
        ).status_code
        == 302
    )
    response = client.post(
        shop, {"action": "sale", "variant": small.pk, "quantity": "1", "occurred_on": "2022-03-15"}
    )
    assert response.status_code == 400 and "Only 0 left" in response.content.decode()
    bad = client.post(
        shop,
        {
            "action": "product",
            "product-fund": fund.pk,
            "product-slug": "bad",
            "product-name": "Bad",
            "product-price": "1.999",
            "product-currency": "USD",
            "product-sizes": "S:x",
        },
    )
    assert bad.status_code == 400
    assert login(volunteer).get(shop).status_code == 403


def test_a_treasurer_goes_back_to_the_columns_before_importing(fund, login, treasurer):
    from spilka.funds.services.imports import import_map, import_upload

    batch = import_upload(
        fund=fund,
        upload=SimpleUploadedFile("s.csv", STATEMENT.encode()),
        currency="GBP",
        by=treasurer,
    )
    import_map(
        batch=batch, mapping={"date": "Date", "amount": "Paid in"}, date_format="dmy", by=treasurer
    )
    client = login(treasurer)
    client.post(f"{BOOKS}/imports/{batch.pk}/", {"action": "remap"})
    batch.refresh_from_db()
    assert batch.status == ImportStatus.UPLOADED


def test_a_currency_exchange_is_recorded_as_two_legs_from_the_form(fund, login, treasurer):
    client = login(treasurer)
    url = BOOKS + "/funds/test-convoys/record/"
    form = {
        "kind": "exchange",
        "occurred_on": "2022-03-15",
        "amount": "500.00",
        "currency": "GBP",
        "bought_currency": "UAH",
    }
    assert client.post(url, form).status_code == 400  # no amount bought
    assert client.post(url, {**form, "bought_amount": "18700.00"}).status_code == 302
    legs = Transaction.objects.filter(fund=fund, kind="exchange").order_by("amount")
    assert [(leg.amount, leg.currency) for leg in legs] == [
        (Decimal("-500.00"), "GBP"),
        (Decimal("18700.00"), "UAH"),
    ]
