"""Expense claims: draft → submitted → approved → paid, or rejected.

An approver is a treasurer (or administrator) of the fund's organisation who is not the
claimant. Claims above the organisation's threshold need two different approvers. Paying
writes the ledger entries in the same transaction as the status change and its audit rows.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from spilka.funds.access import can_treasure
from spilka.funds.models import (
    Expense,
    ExpenseApproval,
    ExpenseLine,
    ExpenseStatus,
    Fund,
    Receipt,
    TransactionKind,
)
from spilka.funds.services.ledger import transaction_post
from spilka.funds.services.rates import NoRateError, rate_reference_find
from spilka.lib.audit import audit_record, snapshot
from spilka.lib.money import convert, to_decimal, validate_amount, validate_currency

RECEIPT_TYPES = {
    "application/pdf": b"%PDF-",
    "image/jpeg": b"\xff\xd8\xff",
    "image/png": b"\x89PNG\r\n\x1a\n",
    "image/webp": b"RIFF",
}


def receipt_max_bytes() -> int:
    return int(getattr(settings, "SPILKA_RECEIPT_MAX_BYTES", 10 * 1024 * 1024))


@transaction.atomic
def expense_create(
    *,
    fund: Fund,
    claimant: Any,
    title: str,
    incurred_on: datetime.date,
    currency: str,
    lines: list[dict[str, Any]],
    convoy: Any = None,
) -> Expense:
    validate_currency(currency)
    if not lines:
        raise ValidationError(_("A claim has at least one line."))
    if convoy is not None and convoy.organisation_id != fund.organisation_id:
        raise ValidationError({"convoy": _("Choose one of this organisation's convoys.")})
    expense = Expense(
        fund=fund,
        claimant=claimant,
        title=title,
        incurred_on=incurred_on,
        currency=currency,
        convoy=convoy,
    )
    expense.full_clean()
    if incurred_on > timezone.localdate():
        raise ValidationError({"incurred_on": _("The date spent cannot be in the future.")})
    expense.save()
    for data in lines:
        amount = to_decimal(data["amount"])
        validate_amount(amount, currency)
        line = ExpenseLine(
            expense=expense,
            category=data["category"],
            description=data["description"],
            amount=amount,
        )
        line.full_clean()
        line.save()
    audit_record(
        actor=claimant,
        action="funds.expense.created",
        obj=expense,
        organisation=fund.organisation,
        after={**snapshot(expense), "lines": [dict(d) for d in lines]},
    )
    return expense


def receipt_kind(upload: UploadedFile) -> str:
    """The receipt's type from its first bytes, within the size limit; else ValidationError.

    The claim form checks this too, so a file it keeps across an error is one that will
    be accepted.
    """
    if upload.size is None or upload.size > receipt_max_bytes():
        raise ValidationError(
            {
                "receipt": _("A receipt may be at most %(mb)s MB.")
                % {"mb": receipt_max_bytes() // (1024 * 1024)}
            }
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = next((mime for mime, magic in RECEIPT_TYPES.items() if head.startswith(magic)), None)
    if kind == "image/webp" and head[8:12] != b"WEBP":
        kind = None
    if kind is None:
        raise ValidationError({"receipt": _("A receipt must be a PDF, JPEG, PNG or WebP file.")})
    return kind


@transaction.atomic
def receipt_attach(*, expense: Expense, upload: UploadedFile, by: Any) -> Receipt:
    """Images and PDFs only, checked by their first bytes, within the size limit."""
    if expense.status not in (ExpenseStatus.DRAFT, ExpenseStatus.SUBMITTED):
        raise ValidationError(_("Receipts can be added only before the claim is approved."))
    kind = receipt_kind(upload)
    extension = {
        "application/pdf": "pdf",
        "image/jpeg": "jpg",
        "image/png": "png",
        "image/webp": "webp",
    }[kind]
    receipt = Receipt(
        expense=expense,
        original_name=(upload.name or "receipt")[:200],
        content_type=kind,
        size=upload.size or 0,
    )
    # A random stored name: the claimant's file name never becomes a path.

    receipt.file.save(f"{secrets.token_hex(16)}.{extension}", upload, save=False)
    receipt.save()
    audit_record(
        actor=by,
        action="funds.expense.receipt_added",
        obj=expense,
        organisation=expense.fund.organisation,
        after={"receipt": receipt.pk, "size": receipt.size, "type": kind},
    )
    return receipt


def _locked(expense: Expense) -> Expense:
    return (
        Expense.objects.select_for_update(of=("self",))
        .select_related("fund", "fund__organisation")
        .get(pk=expense.pk)
    )


def _transition(expense: Expense, by: Any, action: str, before: dict[str, Any]) -> None:
    audit_record(
        actor=by,
        action=f"funds.expense.{action}",
        obj=expense,
        organisation=expense.fund.organisation,
        before=before,
        after=snapshot(expense),
    )


@transaction.atomic
def expense_submit(*, expense: Expense, by: Any) -> Expense:
    expense = _locked(expense)
    if expense.claimant_id != getattr(by, "pk", None):
        raise PermissionDenied
    if expense.status != ExpenseStatus.DRAFT:
        raise ValidationError(_("Only a draft can be submitted."))
    if not expense.receipts.exists():
        raise ValidationError(_("Add a receipt before submitting the claim."))
    before = snapshot(expense)
    expense.status = ExpenseStatus.SUBMITTED
    expense.submitted_at = timezone.now()
    expense.save(update_fields=["status", "submitted_at"])
    _transition(expense, by, "submitted", before)
    return expense


@dataclass(frozen=True)
class ApprovalRule:
    """How many approvals a claim needs, and why: said on the claim's page."""

    needed: int
    reason: str  # "above": over the threshold; "unsized": no reference rate; "within"
    threshold: Decimal
    currency: str


def approval_rule(expense: Expense) -> ApprovalRule:
    """Two when the claim is above the organisation's threshold (or cannot be converted).

    The claim is sized at the ECB or NBU reference rate of its date, which no one in the
    organisation can set; never at the organisation's own manual rate, and never at an
    earlier day's rate. Without a reference rate for that date its size is unknown, and
    the safer rule applies: two approvals.
    """
    org = expense.fund.organisation
    settings_row = getattr(org, "treasury_settings", None)
    threshold = settings_row.second_approver_above if settings_row else Decimal("500.00")
    currency = settings_row.reporting_currency if settings_row else expense.fund.currency
    try:
        quote = rate_reference_find(base=expense.currency, quote=currency, on=expense.incurred_on)
    except NoRateError:
        return ApprovalRule(2, "unsized", threshold, currency)  # unknown size: the safer rule
    if convert(expense.total(), quote.rate, currency) > threshold:
        return ApprovalRule(2, "above", threshold, currency)
    return ApprovalRule(1, "within", threshold, currency)


def approvals_needed(expense: Expense) -> int:
    return approval_rule(expense).needed


@transaction.atomic
def expense_approve(*, expense: Expense, by: Any) -> Expense:
    expense = _locked(expense)
    if not can_treasure(by, expense.fund.organisation):
        raise PermissionDenied
    if expense.claimant_id == getattr(by, "pk", None):
        raise ValidationError(_("You cannot approve your own claim: another treasurer must."))
    if expense.status != ExpenseStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted claim can be approved."))
    if expense.approvals.filter(approver=by).exists():
        raise ValidationError(_("You have already approved this claim: a second treasurer must."))
    before = snapshot(expense)
    ExpenseApproval.objects.create(expense=expense, approver=by)
    if expense.approvals.count() >= approvals_needed(expense):
        expense.status = ExpenseStatus.APPROVED
        expense.save(update_fields=["status"])
    _transition(expense, by, "approved", before)
    return expense


@transaction.atomic
def expense_reject(*, expense: Expense, by: Any, reason: str) -> Expense:
    expense = _locked(expense)
    if not can_treasure(by, expense.fund.organisation):
        raise PermissionDenied
    if expense.claimant_id == getattr(by, "pk", None):
        raise ValidationError(_("You cannot decide on your own claim."))
    if expense.status not in (ExpenseStatus.SUBMITTED, ExpenseStatus.APPROVED):
        raise ValidationError(_("Only a submitted or approved claim can be rejected."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the claim is rejected.")})
    before = snapshot(expense)
    expense.status = ExpenseStatus.REJECTED
    expense.rejection_reason = reason.strip()[:500]
    expense.save(update_fields=["status", "rejection_reason"])
    _transition(expense, by, "rejected", before)
    return expense


@transaction.atomic
def expense_pay(
    *,
    expense: Expense,
    by: Any,
    paid_on: datetime.date | None = None,
    rate: Decimal | str | None = None,
    rate_confirmed: bool = False,
) -> Expense:
    """Mark the claim paid and post one expense entry per line, all or nothing."""
    expense = _locked(expense)
    if not can_treasure(by, expense.fund.organisation):
        raise PermissionDenied
    if expense.claimant_id == getattr(by, "pk", None):
        raise ValidationError(_("You cannot pay your own claim: another treasurer must."))
    if expense.status != ExpenseStatus.APPROVED:
        raise ValidationError(_("Only an approved claim can be paid."))
    before = snapshot(expense)
    for line in expense.lines.all():
        transaction_post(
            fund=expense.fund,
            kind=TransactionKind.EXPENSE,
            amount=line.amount,
            currency=expense.currency,
            occurred_on=paid_on or expense.incurred_on,
            by=by,
            description=line.description,
            category=line.category,
            expense=expense,
            rate=rate,
            rate_confirmed=rate_confirmed,
        )
    expense.status = ExpenseStatus.PAID
    expense.paid_at = timezone.now()
    expense.save(update_fields=["status", "paid_at"])
    _transition(expense, by, "paid", before)
    return expense
