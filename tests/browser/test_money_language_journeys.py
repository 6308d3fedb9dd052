"""Money in each interface language (issue 14), clicked through the pages' own forms.

(a) A treasurer claims an expense typing the amount as their language writes it ("42,50"
in Ukrainian, Polish and Russian, "42.50" in English), attaches the receipt, forgets the
title, sees the receipt kept on the re-shown form, saves without choosing it again, and
reads the amount back in their language; a second treasurer approves.

(b) A treasurer imports an mBank statement (Windows-1250, decimal commas, spaces between
thousands) and sees 150,00 zł in the preview, never 15 000, then imports it.

Elements are found by field names, data-* hooks and form actions, never by English text,
so the same journey runs under /en/, /uk/, /pl/ and /ru/.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from spilka.demo import load_all
from spilka.funds.models import Expense, ExpenseStatus, Fund, Transaction
from spilka.lib.money import format_money
from spilka.network.models import Organisation
from spilka.network.services import role_grant
from tests.browser.sign_in import sign_in
from tests.demo_snapshot import load_demo_fresh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long journey passphrase"
ORG = "ukraine-solidarity-campaign"
LANGUAGES = ["en", "uk", "pl", "ru"]
TYPED = {"en": "42.50", "uk": "42,50", "pl": "42,50", "ru": "42,50"}
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
MBANK = Path(__file__).resolve().parents[2] / "spilka/funds/tests/statements/mbank-pl.csv"


def _treasurer(email: str):
    user = get_user_model().objects.create_user(email, PASSWORD, display_name=email.split("@")[0])
    role_grant(
        by="journey", user=user, organisation=Organisation.objects.get(slug=ORG), role="treasurer"
    )
    return user


def _signed_in(browser, base: str, email: str, language: str):
    context = browser.new_context(
        locale={"en": "en-GB", "uk": "uk-UA", "pl": "pl-PL"}.get(language, "ru-RU")
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    sign_in(page, base, email, PASSWORD, language=language)
    page.wait_for_url("**/accounts/**")
    return page


def _submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_expense_typed_in_the_language_keeps_its_receipt_across_an_error(
    browser, live_server, language
):
    load_demo_fresh(load_all)
    base = live_server.url
    _treasurer("claimant.treasurer@usc.test")
    _treasurer("approving.treasurer@usc.test")
    fund = Fund.objects.get(organisation__slug=ORG, slug="solidarity-fund")

    claimant = _signed_in(browser, base, "claimant.treasurer@usc.test", language)
    claimant.goto(f"{base}/{language}/money/org/{ORG}/books/expenses/new/")
    form = claimant.locator("main form[enctype='multipart/form-data']")
    amount = form.locator("[name=amount_1]")
    assert amount.get_attribute("type") == "text"
    assert amount.get_attribute("inputmode") == "decimal"
    form.locator("[name=fund]").select_option(str(fund.pk))
    # The deliberate mistake: no title.
    form.locator("[name=incurred_on]").fill("2022-05-12")
    form.locator("[name=currency]").select_option("PLN")
    form.locator("[name=category_1]").select_option("fuel")
    form.locator("[name=description_1]").fill("Diesel, Przemyśl")
    amount.fill(TYPED[language])
    form.locator("[name=receipt]").set_input_files(
        files=[{"name": "paragon.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    _submit(claimant, "main form button[name=submit]")

    # Shown again: the title is asked for, the amount is as typed, the receipt is kept.
    form = claimant.locator("main form[enctype='multipart/form-data']")
    expect(form.locator("[name=title]")).to_have_attribute("aria-invalid", "true")
    expect(form.locator("[name=amount_1]")).to_have_value(TYPED[language])
    expect(form.locator("[name=amount_1]")).not_to_have_attribute("aria-invalid", "true")
    expect(form.locator("[data-kept-upload=receipt]")).to_contain_text("paragon.pdf")
    assert not Expense.objects.filter(claimant__email="claimant.treasurer@usc.test").exists()
    Path("test-artifacts").mkdir(exist_ok=True)
    claimant.screenshot(
        path=f"test-artifacts/browser-money-kept-receipt-{language}.png", full_page=True
    )

    form.locator("[name=title]").fill("Fuel for the May convoy")
    _submit(claimant, "main form button[name=submit]")  # the receipt box left as it is
    expect(claimant.locator("[data-status=submitted]")).to_be_visible()
    shown = format_money(Decimal("42.50"), "PLN", language=language)
    expect(claimant.locator("[data-total]")).to_have_text(shown)
    expense = Expense.objects.get(claimant__email="claimant.treasurer@usc.test")
    assert expense.lines.get().amount == Decimal("42.50")
    assert [r.original_name for r in expense.receipts.all()] == ["paragon.pdf"]
    assert claimant.locator("form:has(input[name=action][value=approve])").count() == 0

    # The second treasurer approves it, on the same page in the same language.
    approver = _signed_in(browser, base, "approving.treasurer@usc.test", language)
    approver.goto(claimant.url)
    expect(approver.locator("[data-total]")).to_have_text(shown)
    _submit(approver, "form:has(input[name=action][value=approve]) button[type=submit]")
    expect(approver.locator("[data-status=approved]")).to_be_visible()
    expense.refresh_from_db()
    assert expense.status == ExpenseStatus.APPROVED


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_polish_bank_statement_previews_150_zloty_not_15000(browser, live_server, language):
    load_demo_fresh(load_all)
    base = live_server.url
    _treasurer("import.treasurer@usc.test")
    fund = Fund.objects.get(organisation__slug=ORG, slug="solidarity-fund")
    # Credits only: the outgoing payment would (rightly) stop the import.
    text = MBANK.read_bytes().decode("windows-1250")
    credits = "\r\n".join(line for line in text.split("\r\n") if "-1 234,56 PLN;" not in line)

    page = _signed_in(browser, base, "import.treasurer@usc.test", language)
    page.goto(f"{base}/{language}/money/org/{ORG}/books/imports/new/")
    form = page.locator("main form[enctype='multipart/form-data']")
    form.locator("[name=fund]").select_option(str(fund.pk))
    form.locator("[name=currency]").select_option("PLN")
    form.locator("[name=file]").set_input_files(
        files=[
            {
                "name": "mbank.csv",
                "mimeType": "text/csv",
                "buffer": credits.encode("windows-1250"),
            }
        ]
    )
    _submit(page, "main form[enctype='multipart/form-data'] button[type=submit]")

    page.locator("select[name=date]").select_option("#Data operacji")
    page.locator("select[name=amount]").select_option("#Kwota")
    page.locator("select[name=reference]").select_option("#Opis operacji")
    page.locator("select[name=date_format]").select_option("iso")
    _submit(page, "main form:has(select[name=amount]) button[type=submit]")

    preview = page.locator("main table.list tbody")
    for amount in ("150.00", "2500.00", "1234000.56"):
        expect(preview).to_contain_text(format_money(Decimal(amount), "PLN", language=language))
    expect(preview).not_to_contain_text(format_money(Decimal("15000"), "PLN", language=language))
    _submit(page, "form:has(input[name=action][value=import]) button[type=submit]")
    expect(page.locator("[data-result]")).to_be_visible()
    imported = sorted(
        Transaction.objects.filter(import_batch__fund=fund, import_batch__isnull=False)
        .filter(currency="PLN")
        .values_list("amount", flat=True)
    )
    assert imported == [Decimal("150.00"), Decimal("2500.00"), Decimal("1234000.56")]
