"""Issue 14: amounts typed in the person's language; a receipt survives a form error."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from spilka.funds.models import Expense, Receipt, Transaction
from spilka.lib.storage import private_storage
from spilka.lib.testing import user_with_roles
from spilka.lib.uploads import PENDING_PREFIX, SESSION_KEY, uploads_expire

from .conftest import PDF

pytestmark = pytest.mark.django_db


def books(language):
    return f"/{language}/money/org/ukraine-solidarity-campaign/books"


def _entry(**extra):
    return {
        "kind": "donation",
        "occurred_on": "2022-03-15",
        "amount": "42,50",
        "currency": "GBP",
        **extra,
    }


@pytest.mark.parametrize("language", ["uk", "pl", "ru"])
@pytest.mark.parametrize(
    ("typed", "amount"),
    [("42,50", "42.50"), ("2 500,00", "2500.00"), ("2\u00a0500,00", "2500.00")],
)
def test_an_entry_typed_with_a_decimal_comma_is_recorded(
    fund, login, treasurer, language, typed, amount
):
    response = login(treasurer).post(
        books(language) + "/funds/test-convoys/record/", _entry(amount=typed)
    )
    assert response.status_code == 302
    assert Transaction.objects.get(fund=fund).amount == Decimal(amount)


def test_an_english_amount_reads_its_thousands_comma(fund, login, treasurer):
    response = login(treasurer).post(
        books("en") + "/funds/test-convoys/record/", _entry(amount="1,500")
    )
    assert response.status_code == 302
    assert Transaction.objects.get(fund=fund).amount == Decimal("1500")


def test_an_ambiguous_amount_is_refused_in_polish_and_nothing_posted(fund, login, treasurer):
    response = login(treasurer).post(
        books("pl") + "/funds/test-convoys/record/", _entry(amount="1.500")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "1,5" in page and "1\u00a0500" in page
    assert not Transaction.objects.filter(fund=fund).exists()


@pytest.mark.parametrize(("language", "example"), [("en", "1,250.50"), ("uk", "1\u00a0250,50")])
def test_a_nonsense_amount_is_refused_with_an_example_in_the_person_s_format(
    fund, login, treasurer, language, example
):
    response = login(treasurer).post(
        books(language) + "/funds/test-convoys/record/", _entry(amount="abc")
    )
    assert response.status_code == 400
    assert example in response.content.decode()


def test_a_bank_rate_typed_with_a_decimal_comma_is_used(fund, login, treasurer):
    response = login(treasurer).post(
        books("uk") + "/funds/test-convoys/record/",
        _entry(amount="100,00", currency="EUR", rate="0,8571", rate_confirmed="on"),
    )
    assert response.status_code == 302
    entry = Transaction.objects.get(fund=fund)
    assert entry.rate == Decimal("0.8571") and entry.reporting_amount == Decimal("85.71")


def test_the_settings_threshold_is_shown_and_read_in_the_language(usc_org, fund, login, treasurer):
    from spilka.funds.models import TreasurySettings

    client = login(treasurer)
    url = "/pl/money/org/ukraine-solidarity-campaign/books/settings/"
    page = client.get(url).content.decode()
    assert 'value="500,00"' in page or 'value="500"' in page
    response = client.post(
        url,
        {
            "reporting_currency": "GBP",
            "second_approver_above": "1 250,50",
            "rate_fallback_days": "3",
        },
    )
    assert response.status_code == 302
    assert TreasurySettings.objects.get(organisation=usc_org).second_approver_above == Decimal(
        "1250.50"
    )


# --- Expense claims ---------------------------------------------------------------------


def _claim(fund, **extra):
    return {
        "fund": fund.pk,
        "title": "Fuel to Lviv",
        "incurred_on": "2022-03-15",
        "currency": "PLN",
        "category_1": "fuel",
        "description_1": "Diesel",
        "amount_1": "42,50",
        "receipt": SimpleUploadedFile("paragon.pdf", PDF, content_type="application/pdf"),
        "submit": "1",
        **extra,
    }


def _pending_files():
    try:
        return private_storage().listdir(PENDING_PREFIX.rstrip("/"))[1]
    except FileNotFoundError:
        return []


def _kept_token(page):
    match = re.search(r'name="receipt__kept" value="([^"]+)"', page)
    assert match, "the page carries no kept receipt"
    return match.group(1)


@pytest.mark.parametrize("language", ["uk", "pl"])
def test_a_claim_typed_with_a_decimal_comma_is_recorded(fund, login, volunteer, language):
    response = login(volunteer).post(books(language) + "/expenses/new/", _claim(fund))
    assert response.status_code == 302
    assert Expense.objects.get(claimant=volunteer).lines.get().amount == Decimal("42.50")


def test_a_receipt_is_kept_across_an_error_and_attached_on_success(fund, login, volunteer):
    client = login(volunteer)
    url = books("uk") + "/expenses/new/"
    response = client.post(url, _claim(fund, amount_1="forty"))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-kept-upload="receipt"' in page and "paragon.pdf" in page
    assert 'value="forty"' in page  # what was typed comes back to be corrected
    token = _kept_token(page)
    assert len(_pending_files()) == 1
    assert not Expense.objects.filter(claimant=volunteer).exists()

    # The second post has no file in the box: the kept one stands in for it.
    retry = _claim(fund, receipt__kept=token)
    del retry["receipt"]
    response = client.post(url, retry)
    assert response.status_code == 302
    receipt = Receipt.objects.get(expense__claimant=volunteer)
    assert receipt.original_name == "paragon.pdf" and receipt.file.read() == PDF
    assert _pending_files() == []  # attached, so the kept copy is gone
    assert token not in client.session.get(SESSION_KEY, {})


def test_choosing_another_file_replaces_the_kept_one(fund, login, volunteer):
    client = login(volunteer)
    url = books("en") + "/expenses/new/"
    token = _kept_token(client.post(url, _claim(fund, amount_1="")).content.decode())
    other = SimpleUploadedFile("better.pdf", PDF + b"%2", content_type="application/pdf")
    response = client.post(url, _claim(fund, receipt=other, receipt__kept=token))
    assert response.status_code == 302
    assert Receipt.objects.get(expense__claimant=volunteer).original_name == "better.pdf"
    assert _pending_files() == []


def test_another_person_cannot_use_someone_s_kept_receipt(fund, login, volunteer, usc_org):
    url = books("en") + "/expenses/new/"
    token = _kept_token(login(volunteer).post(url, _claim(fund, amount_1="")).content.decode())
    other = user_with_roles("other@usc.test", [(usc_org, "logistics")])
    for client in (login(other), login(volunteer)):  # another person; another session
        retry = _claim(fund, receipt__kept=token)
        del retry["receipt"]
        response = client.post(url, retry)
        assert response.status_code == 400
        assert "paragon.pdf" not in response.content.decode()
    assert not Expense.objects.filter(claimant__in=[volunteer, other]).exists()
    assert len(_pending_files()) == 1  # still the first session's, untouched


def test_a_bad_receipt_is_not_kept_and_the_page_says_to_choose_again(fund, login, volunteer):
    bad = SimpleUploadedFile("virus.exe", b"MZ\x90\x00 not a pdf")
    response = login(volunteer).post(
        books("en") + "/expenses/new/", _claim(fund, receipt=bad, amount_1="x")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "PDF, JPEG, PNG" in page and 'data-upload-lost="receipt"' in page
    assert "receipt__kept" not in page and _pending_files() == []


def test_a_kept_receipt_expires_after_a_day(fund, login, volunteer, monkeypatch):
    client = login(volunteer)
    url = books("en") + "/expenses/new/"
    token = _kept_token(client.post(url, _claim(fund, amount_1="")).content.decode())
    later = timezone.now() + datetime.timedelta(hours=25)
    monkeypatch.setattr(timezone, "now", lambda: later)
    retry = _claim(fund, receipt__kept=token)
    del retry["receipt"]
    assert client.post(url, retry).status_code == 400  # the receipt must be chosen again
    assert _pending_files() == []


def test_abandoned_kept_files_are_swept_after_a_day(fund, login, volunteer):
    login(volunteer).post(books("en") + "/expenses/new/", _claim(fund, amount_1=""))
    assert uploads_expire() == 0 and len(_pending_files()) == 1
    assert uploads_expire(now=timezone.now() + datetime.timedelta(hours=25)) == 1
    assert _pending_files() == []
