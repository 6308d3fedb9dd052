"""A claim's approvals on its page: the count still needed is what is left (not the
total again), a treasurer who approved is not offered "Approve" again (and is refused if
they try), and the page says why two approvals are needed."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import ngettext

from spilka.funds.models import ExpenseStatus
from spilka.funds.selectors.approvals import expense_approval_state
from spilka.funds.services.expenses import (
    approval_rule,
    expense_approve,
    expense_create,
    expense_submit,
    receipt_attach,
)

from .conftest import DAY, pdf_upload

pytestmark = pytest.mark.django_db

BOOKS = "/en/money/org/ukraine-solidarity-campaign/books"


@pytest.fixture
def van_claim(fund, volunteer):
    """£4,200: above the fund organisation's £500 rule, so two treasurers must approve."""
    expense = expense_create(
        fund=fund,
        claimant=volunteer,
        title="A van",
        incurred_on=DAY,
        currency="GBP",
        lines=[{"category": "vehicle", "description": "Used Transit van", "amount": "4200.00"}],
    )
    receipt_attach(expense=expense, upload=pdf_upload(), by=volunteer)
    return expense_submit(expense=expense, by=volunteer)


def _page(login, user, expense):
    return login(user).get(f"{BOOKS}/expenses/{expense.pk}/").content.decode()


def test_after_one_of_two_approvals_one_more_is_needed(van_claim, treasurer, treasurer2):
    state = expense_approval_state(expense=van_claim, user=treasurer2, treasurer=True)
    assert (state.rule.needed, state.remaining) == (2, 2)
    expense_approve(expense=van_claim, by=treasurer)
    state = expense_approval_state(expense=van_claim, user=treasurer2, treasurer=True)
    assert state.remaining == 1  # the bug: the page said "2 … needed" after one approval
    assert state.can_approve


def test_the_page_says_one_more_after_one_approval(login, van_claim, treasurer, treasurer2):
    expense_approve(expense=van_claim, by=treasurer)
    page = _page(login, treasurer2, van_claim)
    assert 'data-approvals-remaining="1"' in page
    assert "1 approval still needed" in page


def test_the_russian_plural_is_chosen_by_the_remaining_count():
    # The template's msgid/plural pair, looked up with the count that is left.
    template = (Path(__file__).resolve().parents[1] / "templates/funds/expense.html").read_text()
    assert (
        "{% blocktranslate count counter=approval.remaining %}{{ counter }} approval still "
        "needed{% plural %}{{ counter }} approvals still needed{% endblocktranslate %}"
    ) in template
    with translation.override("ru"):
        one = ngettext(
            "%(counter)s approval still needed", "%(counter)s approvals still needed", 1
        ) % {"counter": 1}
    assert "1" in one and "2" not in one


def test_who_approved_is_not_offered_approve_again_and_is_refused(
    login, van_claim, treasurer, treasurer2
):
    before = _page(login, treasurer, van_claim)
    assert "data-approve" in before
    expense_approve(expense=van_claim, by=treasurer)
    after = _page(login, treasurer, van_claim)
    assert "data-approve>" not in after
    assert "data-already-approved" in after
    assert "data-approve>" in _page(login, treasurer2, van_claim)  # the second treasurer is
    response = login(treasurer).post(f"{BOOKS}/expenses/{van_claim.pk}/", {"action": "approve"})
    assert response.status_code == 400
    assert "You have already approved this claim" in response.content.decode()
    van_claim.refresh_from_db()
    assert van_claim.status == ExpenseStatus.SUBMITTED
    assert van_claim.approvals.count() == 1


def test_the_service_refuses_a_second_approval_by_the_same_treasurer(van_claim, treasurer):
    expense_approve(expense=van_claim, by=treasurer)
    with pytest.raises(ValidationError, match="already approved"):
        expense_approve(expense=van_claim, by=treasurer)
    assert van_claim.approvals.count() == 1


def test_the_page_says_why_two_approvals_are_needed(login, van_claim, treasurer):
    assert approval_rule(van_claim).reason == "above"
    page = _page(login, treasurer, van_claim)
    assert 'data-approval-rule="above"' in page
    assert "Two approvals are needed because the amount is above" in page
    assert "500" in page.split('data-approval-rule="above"')[1].split("</p>")[0]


def test_a_small_claim_says_nothing_about_two_approvals(login, submitted_claim, treasurer):
    assert approval_rule(submitted_claim).needed == 1
    page = _page(login, treasurer, submitted_claim)
    assert "data-approval-rule" not in page
    assert 'data-approvals-remaining="1"' in page
