"""What a claim's page says about its approvals, for the person looking at it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spilka.funds.models import Expense, ExpenseApproval, ExpenseStatus
from spilka.funds.services.expenses import ApprovalRule, approval_rule


@dataclass(frozen=True)
class ApprovalState:
    approvals: list[ExpenseApproval]
    rule: ApprovalRule
    remaining: int  # still to come: needed minus given, never the total again
    already_approved: bool  # this user gave one of them
    can_approve: bool  # the Approve button is shown to this user


def expense_approval_state(*, expense: Expense, user: Any, treasurer: bool) -> ApprovalState:
    approvals = list(expense.approvals.select_related("approver"))
    rule = approval_rule(expense)
    already = any(a.approver_id == getattr(user, "pk", None) for a in approvals)
    submitted = expense.status == ExpenseStatus.SUBMITTED
    return ApprovalState(
        approvals=approvals,
        rule=rule,
        remaining=max(0, rule.needed - len(approvals)) if submitted else 0,
        already_approved=already,
        can_approve=(
            treasurer
            and submitted
            and not already
            and expense.claimant_id != getattr(user, "pk", None)
        ),
    )
