"""Expense claims: any member claims; treasurers (not the claimant) approve, reject, pay."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from spilka.aid.models import Convoy
from spilka.funds import access
from spilka.funds.forms import ExpenseForm, PayForm, ReceiptForm, RejectForm
from spilka.funds.models import Fund
from spilka.funds.selectors.approvals import expense_approval_state
from spilka.funds.services import expenses as services
from spilka.funds.views.uploads import upload_too_large
from spilka.lib.forms import form_add_validation_error
from spilka.lib.storage import private_file_open
from spilka.lib.uploads import KeptUploads


@login_required
def expense_new(request: HttpRequest, org: str) -> HttpResponse:
    organisation = access.member_get_for_user(user=request.user, slug=org)
    funds = Fund.objects.filter(organisation=organisation).order_by("slug")
    if request.method == "POST" and upload_too_large(request, services.receipt_max_bytes()):
        form = ExpenseForm(funds=funds, convoys=Convoy.objects.none())
        form.cleaned_data = {}  # unbound: the body was never read
        form.add_error(
            None,
            _("A receipt may be at most %(mb)s MB.")
            % {"mb": services.receipt_max_bytes() // (1024 * 1024)},
        )
        return render(
            request,
            "funds/expense_form.html",
            {"form": form, "organisation": organisation},
            status=413,
        )
    convoys = Convoy.objects.filter(organisation=organisation).order_by("-created_at")
    form = ExpenseForm(request.POST or None, request.FILES or None, funds=funds, convoys=convoys)
    # A receipt that passed its checks survives an error elsewhere on the form.
    kept = KeptUploads(request, form, ["receipt"])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # One transaction: the claim, its lines and its receipt, or nothing.
            with transaction.atomic():
                expense = services.expense_create(
                    fund=data["fund"],
                    claimant=request.user,
                    title=data["title"],
                    incurred_on=data["incurred_on"],
                    currency=data["currency"],
                    lines=form.lines(),
                    convoy=data["convoy"],
                )
                services.receipt_attach(expense=expense, upload=data["receipt"], by=request.user)
                if "submit" in request.POST:
                    services.expense_submit(expense=expense, by=request.user)
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            kept.done()
            messages.success(request, _("The claim was saved."))
            return redirect(expense)
    if form.errors:
        kept.keep()
    return render(
        request,
        "funds/expense_form.html",
        {"form": form, "organisation": organisation},
        status=400 if form.errors else 200,
    )


@login_required
def expense_detail(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    expense = access.expense_get_for_user(user=request.user, org_slug=org, pk=pk)
    organisation = expense.fund.organisation
    treasurer = access.can_treasure(request.user, organisation)
    forms: dict[str, Any] = {
        "reject": RejectForm(prefix="reject"),
        "pay": PayForm(prefix="pay"),
        "receipt": ReceiptForm(prefix="receipt"),
    }
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "submit":
                services.expense_submit(expense=expense, by=request.user)
            elif action == "receipt":
                forms["receipt"] = ReceiptForm(request.POST, request.FILES, prefix="receipt")
                if not forms["receipt"].is_valid():
                    raise ValidationError(_("Choose a file."))
                if expense.claimant_id != request.user.pk:
                    raise PermissionDenied
                services.receipt_attach(
                    expense=expense,
                    upload=forms["receipt"].cleaned_data["receipt"],
                    by=request.user,
                )
            elif action == "approve":
                services.expense_approve(expense=expense, by=request.user)
            elif action == "reject":
                forms["reject"] = RejectForm(request.POST, prefix="reject")
                if not forms["reject"].is_valid():
                    raise ValidationError(_("Say why the claim is rejected."))
                services.expense_reject(
                    expense=expense, by=request.user, reason=forms["reject"].cleaned_data["reason"]
                )
            elif action == "pay":
                forms["pay"] = PayForm(request.POST, prefix="pay")
                if not forms["pay"].is_valid():
                    raise ValidationError(
                        [m for errors in forms["pay"].errors.values() for m in errors]
                    )
                services.expense_pay(
                    expense=expense,
                    by=request.user,
                    rate=forms["pay"].cleaned_data["rate"] or None,
                    rate_confirmed=forms["pay"].cleaned_data["rate_confirmed"],
                )
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            status = 400
        else:
            messages.success(request, _("Done."))
            return redirect(expense)
        expense = access.expense_get_for_user(user=request.user, org_slug=org, pk=pk)
    lines = list(expense.lines.all())
    return render(
        request,
        "funds/expense.html",
        {
            "expense": expense,
            "organisation": organisation,
            "treasurer": treasurer,
            "is_claimant": expense.claimant_id == request.user.pk,
            "lines": lines,
            "total": sum((line.amount for line in lines), 0),
            "receipts": list(expense.receipts.all())
            if treasurer or expense.claimant_id == request.user.pk
            else [],
            "approval": expense_approval_state(
                expense=expense, user=request.user, treasurer=treasurer
            ),
            "entries": list(expense.transactions.all()),
            **forms,
        },
        status=status,
    )


@login_required
def receipt_download(request: HttpRequest, org: str, pk: int) -> FileResponse:
    """Receipts are private: streamed only to the organisation's treasurers, never cached."""
    receipt = access.receipt_get_for_user(user=request.user, org_slug=org, pk=pk)
    response = FileResponse(
        private_file_open(receipt.file),
        content_type=receipt.content_type,
        as_attachment=receipt.content_type == "application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
