"""The admin shows money; it never changes it. Ledger entries are read-only here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from spilka.funds.models import ExchangeRate, Fund, Transaction


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Transaction)
class TransactionAdmin(ReadOnlyAdmin):
    list_display = [
        "occurred_on",
        "fund",
        "kind",
        "amount",
        "currency",
        "reporting_amount",
        "rate_source",
    ]
    list_filter = ["kind", "currency", "rate_source"]
    list_select_related = ["fund"]
    exclude = ["donor"]  # personal data stays out of the admin list


@admin.register(ExchangeRate)
class ExchangeRateAdmin(ReadOnlyAdmin):
    list_display = ["date", "base", "quote", "rate", "source", "organisation"]
    list_filter = ["source", "base", "quote"]


@admin.register(Fund)
class FundAdmin(ReadOnlyAdmin):
    list_display = ["slug", "organisation", "currency", "is_public"]
    list_select_related = ["organisation"]
