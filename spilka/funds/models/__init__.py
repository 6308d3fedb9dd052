from spilka.funds.models.expenses import (
    Expense,
    ExpenseApproval,
    ExpenseLine,
    ExpenseStatus,
    Receipt,
)
from spilka.funds.models.funds import Donor, Fund, MonthlySummary, TreasurySettings
from spilka.funds.models.imports import ImportBatch, ImportStatus
from spilka.funds.models.ledger import (
    INCOME_KINDS,
    OUTGOING_KINDS,
    ExpenseCategory,
    ImmutableEntryError,
    RateSource,
    Transaction,
    TransactionKind,
)
from spilka.funds.models.merchandise import Product, ProductVariant, Sale
from spilka.funds.models.rates import ExchangeRate

__all__ = [
    "INCOME_KINDS",
    "OUTGOING_KINDS",
    "Donor",
    "ExchangeRate",
    "Expense",
    "ExpenseApproval",
    "ExpenseCategory",
    "ExpenseLine",
    "ExpenseStatus",
    "Fund",
    "ImmutableEntryError",
    "ImportBatch",
    "ImportStatus",
    "MonthlySummary",
    "Product",
    "ProductVariant",
    "RateSource",
    "Receipt",
    "Sale",
    "Transaction",
    "TransactionKind",
    "TreasurySettings",
]
