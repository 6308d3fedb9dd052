from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from spilka.lib.money import CURRENCY_CHOICES


class ImmutableEntryError(Exception):
    """A posted ledger entry was about to be changed or deleted."""


class TransactionKind(models.TextChoices):
    DONATION = "donation", _("Donation")
    GRANT = "grant", pgettext_lazy("ledger entry", "Grant")
    MERCHANDISE = "merchandise", _("Merchandise sale")
    TRANSFER_OUT = "transfer_out", _("Transfer to a partner")
    EXPENSE = "expense", _("Expense")
    REFUND = "refund", _("Refund to a donor")
    EXCHANGE = "exchange", _("Currency exchange")
    REVERSAL = "reversal", _("Reversal")


# Money in is positive, money out negative; an exchange has one leg of each sign.
INCOME_KINDS = frozenset(
    {TransactionKind.DONATION, TransactionKind.GRANT, TransactionKind.MERCHANDISE}
)
OUTGOING_KINDS = frozenset(
    {TransactionKind.TRANSFER_OUT, TransactionKind.EXPENSE, TransactionKind.REFUND}
)


class ExpenseCategory(models.TextChoices):
    FUEL = "fuel", _("Fuel")
    VEHICLE = "vehicle", _("Vehicle purchase")
    FERRY_TOLLS = "ferry_tolls", _("Ferry and tolls")
    MEDICAL = "medical", _("Medical supplies")
    TRANSLATION = "translation", _("Translation")
    PRINTING = "printing", _("Printing")
    OTHER = "other", _("Other")


class RateSource(models.TextChoices):
    SAME = "same", _("Same currency")
    ECB = "ecb", _("ECB reference rate")
    NBU = "nbu", _("National Bank of Ukraine")
    MANUAL = "manual", _("Manual (the bank's actual rate)")


class TransactionQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise ImmutableEntryError("Ledger entries are never updated: post a reversal.")

    def delete(self) -> Any:
        raise ImmutableEntryError("Ledger entries are never deleted: post a reversal.")


class Transaction(models.Model):
    """One posted ledger entry. Never edited, never deleted: corrected by a reversal."""

    fund = models.ForeignKey(
        "funds.Fund", verbose_name=_("fund"), on_delete=models.PROTECT, related_name="transactions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=TransactionKind.choices)
    occurred_on = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    reporting_amount = models.DecimalField(
        _("amount in the fund's currency"), max_digits=14, decimal_places=2
    )
    reporting_currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    rate = models.DecimalField(_("rate"), max_digits=24, decimal_places=10)
    rate_date = models.DateField(_("rate date"))
    rate_source = models.CharField(_("rate source"), max_length=10, choices=RateSource.choices)
    category = models.CharField(
        _("category"), max_length=20, choices=ExpenseCategory.choices, blank=True, default=""
    )
    description = models.CharField(_("public description"), max_length=300, blank=True)
    reference = models.CharField(_("bank reference"), max_length=120, blank=True)
    counterparty = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("partner organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fund_transactions",
    )
    donor = models.ForeignKey(
        "funds.Donor", on_delete=models.PROTECT, null=True, blank=True, related_name="transactions"
    )
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
    )
    expense = models.ForeignKey(
        "funds.Expense",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transactions",
    )
    import_batch = models.ForeignKey(
        "funds.ImportBatch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transactions",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TransactionQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        # Django's own lookups (refresh, related access) go through the guarded queryset too.
        base_manager_name = "objects"
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        indexes = [
            # The order of every ledger listing and export (by date, then entry, either
            # way): read off the index, never sorted, even a million entries at a time.
            models.Index(fields=["fund", "occurred_on", "id"], name="funds_tx_fund_date_id"),
            models.Index(fields=["fund", "kind"], name="funds_tx_fund_kind"),
            models.Index(fields=["occurred_on", "reporting_amount"], name="funds_tx_dup_check"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(amount=0), name="funds_tx_amount_not_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.get_kind_display()} {self.amount} {self.currency}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A guard, not business logic: a posted row never changes (services only create).
        if not self._state.adding:
            raise ImmutableEntryError("Ledger entries are never updated: post a reversal.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutableEntryError("Ledger entries are never deleted: post a reversal.")

    @property
    def is_income(self) -> bool:
        return self.amount > 0
