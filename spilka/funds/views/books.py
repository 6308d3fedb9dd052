"""The books of one organisation: funds, ledger entries, reversals, rates, sales. Treasurers only."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from spilka.campaigns.selectors import campaigns_pickable_for
from spilka.exports.views import export_start
from spilka.funds import access
from spilka.funds.exports import BOOKS
from spilka.funds.forms import (
    EntryForm,
    FundForm,
    ManualRateForm,
    ProductForm,
    RestockForm,
    ReverseForm,
    SaleForm,
    TreasurySettingsForm,
)
from spilka.funds.models import (
    ExchangeRate,
    Expense,
    ExpenseStatus,
    Fund,
    ImportBatch,
    MonthlySummary,
    ProductVariant,
    Transaction,
    TreasurySettings,
)
from spilka.funds.services.donations import donation_record
from spilka.funds.services.funds import fund_create, treasury_settings_update
from spilka.funds.services.ledger import (
    currency_exchange_record,
    fund_balances_by_currency,
    transaction_post,
    transaction_reverse,
)
from spilka.funds.services.merchandise import product_create, sale_record, stock_add
from spilka.funds.services.rates import NoRateError, rate_manual_record
from spilka.lib.forms import form_add_validation_error
from spilka.lib.money import money_sum
from spilka.lib.paging import page_of, search_term, text_search
from spilka.lib.types import AuthenticatedHttpRequest


@login_required
def books(request: AuthenticatedHttpRequest, org: str) -> HttpResponse:
    """Treasurers see the books; other members see their own claims and a claim button."""
    organisation = access.member_get_for_user(user=request.user, slug=org)
    treasurer = access.can_treasure(request.user, organisation)
    funds = (
        Fund.objects.filter(organisation=organisation)
        .annotate(balance=money_sum("monthly__total"), entries=Sum("monthly__entries"))
        .order_by("slug")
    )

    # Ordered down to the key so a claim never shows on two pages or on none.
    claims = (
        Expense.objects.filter(fund__organisation=organisation)
        # Each link names the organisation: fetched with the claim, not once per row.
        .select_related("fund__organisation", "claimant")
        .order_by("-created_at", "-pk")
    )
    if not treasurer:
        claims = claims.filter(claimant=request.user)
    # The page shows several lists; each pages on its own parameter so none is cut off.
    waiting = claims.filter(status__in=[ExpenseStatus.SUBMITTED, ExpenseStatus.APPROVED]).annotate(
        approval_count=Count("approvals")
    )
    q = search_term(request)
    if q:
        claims = claims.filter(text_search(["title"], q))
    context: dict[str, Any] = {
        "organisation": organisation,
        "treasurer": treasurer,
        "funds": funds if treasurer else [],
        "waiting": page_of(request, waiting, param="waiting_page"),
        "claims": page_of(request, claims, per_page=20, param="claims_page"),
        "q": q,
        "imports": page_of(
            request,
            ImportBatch.objects.filter(fund__organisation=organisation)
            .select_related("fund")
            .order_by("-created_at", "-pk"),
            per_page=10,
            param="imports_page",
        )
        if treasurer
        else [],
    }
    return render(request, "funds/books.html", context)


@login_required
def fund_detail(request: HttpRequest, org: str, fund: str) -> HttpResponse:
    the_fund = access.fund_get_for_user(user=request.user, org_slug=org, fund_slug=fund)
    # A fund may hold a million entries (bench/scale.py): the page reads 50 of them, asks
    # of those 50 only whether they were reversed, and takes the count and the total from
    # the monthly summary that postings keep in step with the ledger.
    entries = (
        Transaction.objects.filter(fund=the_fund)
        .select_related("counterparty", "donor", "created_by")
        .annotate(is_reversed=Exists(Transaction.objects.filter(reverses=OuterRef("pk"))))
        .order_by("-occurred_on", "-pk")
    )
    summary = MonthlySummary.objects.filter(fund=the_fund).aggregate(
        n=Sum("entries"), t=Sum("total")
    )
    paginator = Paginator(entries, 50)
    paginator.count = summary["n"] or 0
    page = paginator.get_page(request.GET.get("page"))
    balances = [
        {"currency": currency, "total": amount}
        for currency, amount in fund_balances_by_currency(the_fund).items()
    ]
    total = summary["t"]
    return render(
        request,
        "funds/fund.html",
        {
            "fund": the_fund,
            "organisation": the_fund.organisation,
            "page": page,
            "balances": balances,
            "total": total or 0,
        },
    )


@login_required
def entry_record(request: HttpRequest, org: str, fund: str) -> HttpResponse:
    the_fund = access.fund_get_for_user(user=request.user, org_slug=org, fund_slug=fund)
    form = EntryForm(
        request.POST or None,
        user=request.user,
        initial={"currency": the_fund.currency},
    )
    offer_manual = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        common = {
            "fund": the_fund,
            "amount": data["amount"],
            "currency": data["currency"],
            "occurred_on": data["occurred_on"],
            "by": request.user,
            "description": data["description"],
            "reference": data["reference"],
            "rate": data["rate"] or None,
            "rate_confirmed": data["rate_confirmed"],
        }
        try:
            if data["kind"] in ("donation", "grant"):
                if data["kind"] == "grant" and data["counterparty"] is None:
                    raise ValidationError({"counterparty": _("Choose who gave the grant.")})
                donation_record(
                    donor_name=data["donor_name"],
                    show_name=data["show_name"],
                    counterparty=data["counterparty"] if data["kind"] == "grant" else None,
                    **common,
                )
            elif data["kind"] == "exchange":
                currency_exchange_record(
                    fund=the_fund,
                    occurred_on=data["occurred_on"],
                    sold_amount=data["amount"],
                    sold_currency=data["currency"],
                    bought_amount=data["bought_amount"],
                    bought_currency=data["bought_currency"],
                    by=request.user,
                    description=data["description"],
                )
            else:
                transaction_post(kind=data["kind"], counterparty=data["counterparty"], **common)
        except NoRateError as error:
            offer_manual = True
            form.add_error("rate", error)
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("The entry was posted."))
            return redirect("funds:fund", org=org, fund=fund)
    return render(
        request,
        "funds/entry_form.html",
        {
            "form": form,
            "fund": the_fund,
            "organisation": the_fund.organisation,
            "offer_manual": offer_manual,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def entry_reverse(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    entry = access.transaction_get_for_user(user=request.user, org_slug=org, pk=pk)
    form = ReverseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the entry is reversed."))
    else:
        try:
            transaction_reverse(entry=entry, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("A reversing entry was posted."))
    return redirect("funds:fund", org=org, fund=entry.fund.slug)


@login_required
def rates_page(request: HttpRequest, org: str) -> HttpResponse:
    """The organisation's manual rates. Official ECB/NBU rates are not loaded here."""
    organisation = access.treasury_get_for_user(user=request.user, slug=org)
    manual = ManualRateForm(
        prefix="manual",
        initial=request.GET.dict()
        and {k: request.GET[k] for k in ("date", "base", "quote") if k in request.GET},
    )
    if request.method == "POST":
        manual = ManualRateForm(request.POST, prefix="manual")
        if manual.is_valid():
            try:
                rate_manual_record(
                    organisation=organisation, by=request.user, **manual.cleaned_data
                )
            except ValidationError as error:
                form_add_validation_error(manual, error)
            else:
                messages.success(request, _("The manual rate was saved."))
                return redirect("funds:rates", org=org)

    recent = page_of(
        request,
        ExchangeRate.objects.filter(
            Q(organisation=organisation) | Q(organisation__isnull=True)
        ).order_by("-date", "base", "quote", "pk"),
        per_page=30,
    )
    return render(
        request,
        "funds/rates.html",
        {
            "organisation": organisation,
            "manual": manual,
            "recent": recent,
            "staff": access.can_load_reference_rates(request.user),
        },
        status=400 if manual.errors else 200,
    )


@login_required
def shop(request: HttpRequest, org: str) -> HttpResponse:
    organisation = access.treasury_get_for_user(user=request.user, slug=org)
    variants = ProductVariant.objects.filter(
        product__fund__organisation=organisation
    ).select_related("product", "product__fund")
    funds = Fund.objects.filter(organisation=organisation).order_by("slug")
    action = request.POST.get("action", "sale") if request.method == "POST" else ""
    forms: dict[str, Any] = {
        "form": SaleForm(request.POST if action == "sale" else None, variants=variants),
        "product_form": ProductForm(
            request.POST if action == "product" else None, funds=funds, prefix="product"
        ),
        "restock_form": RestockForm(
            request.POST if action == "restock" else None, variants=variants, prefix="restock"
        ),
    }
    bound = {"sale": "form", "product": "product_form", "restock": "restock_form"}.get(action)
    if bound and forms[bound].is_valid():
        data = forms[bound].cleaned_data
        try:
            if action == "sale":
                sale_record(by=request.user, **data)
            elif action == "product":
                product_create(
                    by=request.user,
                    fund=data["fund"],
                    slug=data["slug"],
                    name={"en": data["name"]},
                    price=data["price"],
                    currency=data["currency"],
                    variants=data["sizes"],
                )
            else:
                stock_add(by=request.user, variant=data["variant"], quantity=data["quantity"])
        except ValidationError as error:
            form_add_validation_error(forms[bound], error)
        else:
            messages.success(request, _("Saved."))
            return redirect("funds:shop", org=org)
    errors = any(f.errors for f in forms.values())
    return render(
        request,
        "funds/shop.html",
        {
            "organisation": organisation,
            "variants": variants,
            "sale_hidden": {"action": "sale"},
            "restock_hidden": {"action": "restock"},
            "product_hidden": {"action": "product"},
            **forms,
        },
        status=400 if errors else 200,
    )


@login_required
def fund_new(request: HttpRequest, org: str) -> HttpResponse:
    organisation = access.treasury_get_for_user(user=request.user, slug=org)
    campaigns = campaigns_pickable_for(user=request.user, organisation=organisation)
    form = FundForm(request.POST or None, campaigns=campaigns)
    if request.method == "POST" and form.is_valid():
        try:
            fund_create(by=request.user, organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("The fund was created."))
            return redirect("funds:books", org=org)
    return render(
        request,
        "network/form.html",
        {"form": form, "title": _("New fund"), "submit": _("Create the fund")},
        status=400 if form.errors else 200,
    )


@login_required
def treasury_settings(request: HttpRequest, org: str) -> HttpResponse:
    organisation = access.treasury_get_for_user(user=request.user, slug=org)
    current = TreasurySettings.objects.filter(
        organisation=organisation
    ).first() or TreasurySettings(organisation=organisation)
    form = TreasurySettingsForm(
        request.POST or None,
        initial={
            "reporting_currency": current.reporting_currency,
            "second_approver_above": current.second_approver_above,
            "rate_fallback_days": current.rate_fallback_days,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            treasury_settings_update(
                by=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("The settings were saved."))
            return redirect("funds:books", org=org)
    return render(
        request,
        "network/form.html",
        {"form": form, "title": _("Treasury settings"), "submit": _("Save")},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def books_export(request: HttpRequest, org: str, fund: str, fmt: str) -> HttpResponseBase:
    """Every entry of the fund as CSV or XLSX, for treasurers, written in the background."""
    return export_start(request, kind=BOOKS, parameters={"org": org, "fund": fund}, fmt=fmt)
