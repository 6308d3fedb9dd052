"""Money, end to end: a treasurer imports a bank statement, a volunteer claims fuel with a
receipt, a second treasurer approves and pays it, and the public page shows the new totals
and chart. The claimant is never offered the approval of their own claim.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from spilka.demo import load_all
from spilka.funds.models import Expense, ExpenseStatus, Transaction
from spilka.network.models import Organisation
from spilka.network.services import role_grant
from tests.browser.sign_in import sign_in
from tests.browser.watch import new_page
from tests.demo_snapshot import load_demo_fresh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long journey passphrase"
ORG = "ukraine-solidarity-campaign"
STATEMENT = (
    "Date,Description,Paid in,Payer\n"
    "10/05/2022,UNITE NORTH WEST REGION,1250.00,Unite NW\n"
    "11/05/2022,FPS K JONES,40.00,K Jones\n"
)
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _person(email: str, role: str):
    user = get_user_model().objects.create_user(email, PASSWORD, display_name=email.split("@")[0])
    role_grant(by="journey", user=user, organisation=Organisation.objects.get(slug=ORG), role=role)
    return user


def _sign_in(browser, base: str, email: str):
    page = new_page(browser, locale="en-GB")
    sign_in(page, base, email, PASSWORD)
    page.wait_for_url("**/accounts/**")
    return page


def _money(text: str) -> Decimal:
    return Decimal("".join(ch for ch in text if ch.isdigit() or ch in ".-"))


def test_statement_import_fuel_claim_approval_payment_and_public_totals(page, browser, live_server):
    load_demo_fresh(load_all)
    base = live_server.url
    _person("first.treasurer@usc.test", "treasurer")
    _person("second.treasurer@usc.test", "treasurer")
    _person("volunteer@usc.test", "logistics")

    page.goto(f"{base}/en/money/org/{ORG}/")
    raised_before = _money(page.locator("[data-total=raised]").inner_text())
    spent_before = _money(page.locator("[data-total=spent]").inner_text())

    # 1. The first treasurer imports a bank statement: columns, preview, import.
    treasurer = _sign_in(browser, base, "first.treasurer@usc.test")
    treasurer.goto(f"{base}/en/money/org/{ORG}/books/imports/new/")
    treasurer.select_option("#id_fund", label="Solidarity fund")
    treasurer.select_option("#id_currency", "GBP")
    treasurer.set_input_files(
        "#id_file",
        files=[{"name": "statement.csv", "mimeType": "text/csv", "buffer": STATEMENT.encode()}],
    )
    treasurer.get_by_role("button", name="Upload").click()
    expect(treasurer.locator("#id_amount")).to_have_value("Paid in")  # guessed from the header
    treasurer.select_option("#id_date_format", "dmy")
    treasurer.get_by_role("button", name="Preview").click()
    expect(treasurer.locator("[data-summary]")).to_contain_text("2 rows to import (£1,290.00)")
    treasurer.get_by_role("button", name="Import", exact=True).click()
    expect(treasurer.locator("[data-result]")).to_contain_text("Imported 2 donations")

    # 2. A volunteer claims fuel with a receipt; there is no approving their own claim.
    volunteer = _sign_in(browser, base, "volunteer@usc.test")
    volunteer.goto(f"{base}/en/money/org/{ORG}/books/expenses/new/")
    volunteer.select_option("#id_fund", label="Solidarity fund")
    volunteer.fill("#id_title", "Fuel for the May convoy")
    volunteer.fill("#id_incurred_on", "2022-05-12")
    volunteer.select_option("#id_currency", "PLN")
    volunteer.select_option("#id_category_1", "fuel")
    volunteer.fill("#id_description_1", "Diesel, Przemyśl")
    volunteer.fill("#id_amount_1", "350.00")
    volunteer.set_input_files(
        "#id_receipt", files=[{"name": "receipt.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    volunteer.get_by_role("button", name="Submit for approval").click()
    expect(volunteer.locator("[data-status]")).to_have_text("Submitted")
    expect(volunteer.get_by_role("button", name="Approve")).to_have_count(0)
    claim_url = volunteer.url
    expense = Expense.objects.get(title="Fuel for the May convoy")
    # Even a direct request from the claimant is refused.
    assert volunteer.request.post(claim_url, form={"action": "approve"}).status == 403

    # 3. The first treasurer claims too, and is not offered the approval of their own claim.
    treasurer.goto(f"{base}/en/money/org/{ORG}/books/expenses/new/")
    treasurer.select_option("#id_fund", label="Solidarity fund")
    treasurer.fill("#id_title", "Printing leaflets")
    treasurer.fill("#id_incurred_on", "2022-05-12")
    treasurer.fill("#id_description_1", "Leaflets")
    treasurer.select_option("#id_category_1", "printing")
    treasurer.fill("#id_amount_1", "45.00")
    treasurer.set_input_files(
        "#id_receipt",
        files=[{"name": "leaflets.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    treasurer.get_by_role("button", name="Submit for approval").click()
    expect(treasurer.locator("[data-own-claim]")).to_be_visible()
    expect(treasurer.get_by_role("button", name="Approve")).to_have_count(0)

    # 4. A second treasurer approves the volunteer's claim and pays it.
    second = _sign_in(browser, base, "second.treasurer@usc.test")
    second.goto(f"{base}/en/money/org/{ORG}/books/")
    second.get_by_role("link", name="Fuel for the May convoy").first.click()  # in "Claims waiting"
    second.get_by_role("button", name="Approve").click()
    expect(second.locator("[data-status]")).to_have_text("Approved")
    second.get_by_role("button", name="Mark as paid").click()
    expect(second.locator("[data-status]")).to_have_text("Paid")
    expense.refresh_from_db()
    assert expense.status == ExpenseStatus.PAID
    fuel = Transaction.objects.get(expense=expense)

    # 5. The public page shows the new totals, and the chart has May's money in and out.
    page.goto(f"{base}/en/money/org/{ORG}/")
    raised_after = _money(page.locator("[data-total=raised]").inner_text())
    spent_after = _money(page.locator("[data-total=spent]").inner_text())
    assert raised_after == raised_before + Decimal("1290.00")
    assert spent_after == spent_before - fuel.reporting_amount
    expect(page.locator("svg.money-chart rect title", has_text="2022-05 out")).to_have_count(1)
    expect(page.locator("main")).to_contain_text("Fuel")
    expect(page.locator("main")).not_to_contain_text("K Jones")  # donors anonymous unless opted in
    assert page.request_log.hosts() <= {live_server.url.split("//")[1]}


def test_a_large_import_shows_a_progress_bar_that_follows_the_task(page, browser, live_server):
    """The bar is moved by a static script polling JSON (CSP: script-src 'self')."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from spilka.funds.models import Fund, ImportBatch, ImportStatus
    from spilka.funds.services.imports import import_map, import_run, import_upload

    load_demo_fresh(load_all)
    base = live_server.url
    user = _person("bulk.treasurer@usc.test", "treasurer")
    fund = Fund.objects.get(organisation__slug=ORG, slug="solidarity-fund")
    rows = "".join(
        f"{d:02d}/06/2022,REF {n},{n + 1}.00,Payer {n}\n" for n in range(400) for d in [1 + n % 28]
    )
    batch = import_upload(
        fund=fund,
        upload=SimpleUploadedFile("big.csv", ("Date,Description,Paid in,Payer\n" + rows).encode()),
        currency="GBP",
        by=user,
    )
    import_map(
        batch=batch,
        mapping={"date": "Date", "amount": "Paid in", "reference": "Description", "payer": "Payer"},
        date_format="dmy",
        by=user,
    )
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportStatus.QUEUED
    )  # as the task queue leaves it

    treasurer = _sign_in(browser, base, "bulk.treasurer@usc.test")
    treasurer.goto(f"{base}/en/money/org/{ORG}/books/imports/{batch.pk}/")
    expect(treasurer.locator("progress")).to_be_visible()
    import_run(batch_id=batch.pk, by=user)  # the worker runs it; the page notices by itself
    expect(treasurer.locator("[data-result]")).to_contain_text(
        "Imported 400 donations", timeout=20000
    )
