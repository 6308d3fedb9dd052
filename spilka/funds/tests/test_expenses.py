"""Expense claims: receipts, approval by another treasurer, two above the threshold, payment."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from spilka.funds.models import ExpenseStatus, Transaction
from spilka.funds.services.expenses import (
    expense_approve,
    expense_create,
    expense_pay,
    expense_reject,
    expense_submit,
    receipt_attach,
)
from spilka.funds.services.ledger import fund_balance
from spilka.lib.models import AuditEntry
from spilka.lib.testing import user_with_roles

from .conftest import DAY, PNG, pdf_upload

pytestmark = pytest.mark.django_db


def test_a_claim_cannot_be_submitted_without_a_receipt(fund, volunteer):
    expense = expense_create(
        fund=fund,
        claimant=volunteer,
        title="Ferry",
        incurred_on=DAY,
        currency="GBP",
        lines=[{"category": "ferry_tolls", "description": "Dover–Calais", "amount": "180.00"}],
    )
    with pytest.raises(ValidationError, match="receipt"):
        expense_submit(expense=expense, by=volunteer)


def test_the_claimant_cannot_approve_their_own_claim(submitted_claim, usc_org, volunteer):
    from spilka.network.services import role_grant

    role_grant(by="test", user=volunteer, organisation=usc_org, role="treasurer")
    volunteer._spilka_roles = None
    with pytest.raises(ValidationError, match="own claim"):
        expense_approve(expense=submitted_claim, by=volunteer)


def test_a_volunteer_cannot_approve_and_an_outsider_cannot_either(
    submitted_claim, outsider_treasurer, usc_org
):
    other = user_with_roles("logistics2@usc.test", [(usc_org, "logistics")])
    for user in (other, outsider_treasurer):
        with pytest.raises(PermissionDenied):
            expense_approve(expense=submitted_claim, by=user)


def test_a_small_claim_is_approved_by_one_treasurer_and_paying_writes_the_ledger(
    submitted_claim, treasurer
):
    expense = expense_approve(expense=submitted_claim, by=treasurer)
    assert expense.status == ExpenseStatus.APPROVED
    expense = expense_pay(expense=expense, by=treasurer)
    assert expense.status == ExpenseStatus.PAID
    entry = Transaction.objects.get(expense=expense)
    assert entry.kind == "expense" and entry.category == "fuel"
    assert entry.amount == Decimal("-412.50") and entry.currency == "PLN"
    assert fund_balance(expense.fund) == entry.reporting_amount < 0
    actions = set(
        AuditEntry.objects.filter(object_id=str(expense.pk)).values_list("action", flat=True)
    )
    assert {"funds.expense.approved", "funds.expense.paid", "funds.expense.submitted"} <= actions


def test_a_claim_above_the_threshold_needs_two_different_treasurers(
    fund, volunteer, treasurer, treasurer2
):
    expense = expense_create(
        fund=fund,
        claimant=volunteer,
        title="A van",
        incurred_on=DAY,
        currency="GBP",
        lines=[{"category": "vehicle", "description": "Used Transit van", "amount": "4200.00"}],
    )
    receipt_attach(expense=expense, upload=pdf_upload(), by=volunteer)
    expense_submit(expense=expense, by=volunteer)
    expense = expense_approve(expense=expense, by=treasurer)
    assert expense.status == ExpenseStatus.SUBMITTED
    with pytest.raises(ValidationError, match="already approved"):
        expense_approve(expense=expense, by=treasurer)
    with pytest.raises(ValidationError, match="approved claim"):
        expense_pay(expense=expense, by=treasurer)
    expense = expense_approve(expense=expense, by=treasurer2)
    assert expense.status == ExpenseStatus.APPROVED


def test_a_rejected_claim_is_never_paid(submitted_claim, treasurer):
    with pytest.raises(ValidationError):
        expense_reject(expense=submitted_claim, by=treasurer, reason="")
    expense = expense_reject(expense=submitted_claim, by=treasurer, reason="No receipt date")
    with pytest.raises(ValidationError):
        expense_pay(expense=expense, by=treasurer)
    assert not Transaction.objects.filter(expense=expense).exists()


def test_paying_is_all_or_nothing_when_a_rate_is_missing(fund, volunteer, treasurer):
    import datetime

    sunday = datetime.date(2022, 3, 20)
    expense = expense_create(
        fund=fund,
        claimant=volunteer,
        title="Tolls",
        incurred_on=sunday,
        currency="PLN",
        lines=[
            {"category": "ferry_tolls", "description": "A4 toll", "amount": "30.00"},
            {"category": "fuel", "description": "Diesel", "amount": "300.00"},
        ],
    )
    receipt_attach(expense=expense, upload=pdf_upload(), by=volunteer)
    expense_submit(expense=expense, by=volunteer)
    expense = expense_approve(expense=expense, by=treasurer)  # no rate: needs two
    expense = expense_approve(
        expense=expense, by=user_with_roles("t3@usc.test", [(fund.organisation, "treasurer")])
    )
    with pytest.raises(ValidationError, match="manual rate"):
        expense_pay(expense=expense, by=treasurer)
    expense.refresh_from_db()
    assert expense.status == ExpenseStatus.APPROVED
    assert not Transaction.objects.filter(expense=expense).exists()
    expense_pay(expense=expense, by=treasurer, rate="0.1801")
    assert Transaction.objects.filter(expense=expense).count() == 2


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("evil.pdf", b"<html><script>alert(1)</script>"),
        ("receipt.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
    ],
)
def test_only_images_and_pdfs_are_receipts(fund, volunteer, name, content):
    expense = expense_create(
        fund=fund,
        claimant=volunteer,
        title="Print",
        incurred_on=DAY,
        currency="GBP",
        lines=[{"category": "printing", "description": "Leaflets", "amount": "20"}],
    )
    with pytest.raises(ValidationError, match="PDF, JPEG, PNG"):
        receipt_attach(expense=expense, upload=SimpleUploadedFile(name, content), by=volunteer)
    receipt = receipt_attach(expense=expense, upload=SimpleUploadedFile("r.png", PNG), by=volunteer)
    assert receipt.content_type == "image/png"
    assert not receipt.file.name.startswith("/") and "r.png" not in receipt.file.name


def test_an_oversized_receipt_is_refused(fund, volunteer, settings):
    settings.SPILKA_RECEIPT_MAX_BYTES = 1024
    expense = expense_create(
        fund=fund,
        claimant=volunteer,
        title="Print",
        incurred_on=DAY,
        currency="GBP",
        lines=[{"category": "printing", "description": "Leaflets", "amount": "20"}],
    )
    with pytest.raises(ValidationError, match="at most"):
        receipt_attach(
            expense=expense, upload=pdf_upload(content=b"%PDF-" + b"0" * 2000), by=volunteer
        )


def test_a_claim_with_too_many_decimals_or_no_lines_is_refused(fund, volunteer):
    with pytest.raises(ValidationError):
        expense_create(
            fund=fund, claimant=volunteer, title="x", incurred_on=DAY, currency="GBP", lines=[]
        )
    with pytest.raises(ValidationError, match="decimal places"):
        expense_create(
            fund=fund,
            claimant=volunteer,
            title="x",
            incurred_on=DAY,
            currency="GBP",
            lines=[{"category": "fuel", "description": "d", "amount": "1.234"}],
        )


def _big_euro_claim(fund, volunteer, treasurer, on):
    """A €40,000 claim in a fund whose second approver is needed above £5,000."""
    from spilka.funds.services.funds import treasury_settings_update

    treasury_settings_update(
        by=treasurer, organisation=fund.organisation, second_approver_above=Decimal("5000")
    )
    fund.organisation.refresh_from_db()
    expense = expense_create(
        fund=fund,
        claimant=volunteer,
        title="Generators",
        incurred_on=on,
        currency="EUR",
        lines=[{"category": "medical", "description": "Generators", "amount": "40000.00"}],
    )
    receipt_attach(expense=expense, upload=pdf_upload(), by=volunteer)
    return expense_submit(expense=expense, by=volunteer)


def test_seeding_a_tiny_reference_rate_does_not_let_one_treasurer_approve_a_big_claim(
    fund, volunteer, treasurer, login
):
    import datetime

    from spilka.funds.models import ExchangeRate

    unpublished = datetime.date(2024, 5, 1)  # no ECB rate in the shipped samples
    expense = _big_euro_claim(fund, volunteer, treasurer, unpublished)
    login(treasurer).post(
        "/en/money/org/ukraine-solidarity-campaign/books/rates/",
        {
            "file-format": "ecb",
            "file-file": SimpleUploadedFile("r.csv", b"Date,GBP\n2024-05-01,0.0001\n"),
        },
    )
    assert not ExchangeRate.objects.filter(date=unpublished, organisation__isnull=True).exists()
    expense = expense_approve(expense=expense, by=treasurer)
    assert expense.status == ExpenseStatus.SUBMITTED  # no reference rate that day: two


@pytest.mark.parametrize("day", ["reference rate that day", "no reference rate that day"])
def test_the_claimant_s_organisation_s_manual_rate_never_sizes_a_claim(
    fund, volunteer, treasurer, day
):
    import datetime

    from spilka.funds.services.rates import rate_manual_record

    on = DAY if day == "reference rate that day" else datetime.date(2024, 5, 1)
    expense = _big_euro_claim(fund, volunteer, treasurer, on)
    rate_manual_record(
        organisation=fund.organisation,
        date=on,
        base="EUR",
        quote="GBP",
        rate="0.0001",
        by=treasurer,
        confirmed=True,
    )
    expense = expense_approve(expense=expense, by=treasurer)
    assert expense.status == ExpenseStatus.SUBMITTED


def test_a_claim_below_the_threshold_at_the_reference_rate_needs_one_approval(
    fund, volunteer, treasurer
):
    expense = expense_create(
        fund=fund,
        claimant=volunteer,
        title="Fuel",
        incurred_on=DAY,
        currency="EUR",
        lines=[{"category": "fuel", "description": "Diesel", "amount": "500.00"}],
    )
    receipt_attach(expense=expense, upload=pdf_upload(), by=volunteer)
    expense_submit(expense=expense, by=volunteer)
    # €500 is £419.38 at the ECB rate of the day: below the £500 threshold.
    assert expense_approve(expense=expense, by=treasurer).status == ExpenseStatus.APPROVED


def test_paying_at_an_outlying_bank_rate_needs_the_box_ticked(submitted_claim, treasurer):
    expense = expense_approve(expense=submitted_claim, by=treasurer)
    with pytest.raises(ValidationError, match="away from the nearest known rate"):
        expense_pay(expense=expense, by=treasurer, rate="100")
    expense.refresh_from_db()
    assert expense.status == ExpenseStatus.APPROVED
    assert not Transaction.objects.filter(expense=expense).exists()
    expense = expense_pay(expense=expense, by=treasurer, rate="100", rate_confirmed=True)
    entry = Transaction.objects.get(expense=expense)
    assert entry.rate == Decimal("100") and entry.rate_source == "manual"
    audit = AuditEntry.objects.get(object_id=str(entry.pk), action="funds.transaction.expense")
    assert audit.after["rate_outlier_confirmed"] is True
