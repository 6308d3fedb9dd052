from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.files.storage import Storage
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from spilka.funds.models.ledger import ExpenseCategory
from spilka.lib.money import CURRENCY_CHOICES, money_sum
from spilka.lib.storage import private_storage as lib_private_storage


def private_storage() -> Storage:
    # Named in migrations; the storage itself is the shared one (spilka/lib/storage.py).
    return lib_private_storage()


class ExpenseStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("expense claim", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("expense claim", "Submitted")
    APPROVED = "approved", pgettext_lazy("expense claim", "Approved")
    PAID = "paid", pgettext_lazy("expense claim", "Paid")
    REJECTED = "rejected", pgettext_lazy("expense claim", "Rejected")


class Expense(models.Model):
    """A claim for money spent on the organisation's behalf."""

    fund = models.ForeignKey(
        "funds.Fund", verbose_name=_("fund"), on_delete=models.PROTECT, related_name="expenses"
    )
    claimant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("claimant"),
        on_delete=models.PROTECT,
        related_name="expense_claims",
    )
    title = models.CharField(_("what for"), max_length=200)
    incurred_on = models.DateField(_("date spent"))
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    status = models.CharField(
        _("status"), max_length=10, choices=ExpenseStatus.choices, default=ExpenseStatus.DRAFT
    )
    convoy = models.ForeignKey(
        "aid.Convoy",
        verbose_name=_("convoy"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="expenses",
        help_text=_("The aid convoy this was spent on, for its cost per delivery."),
    )
    rejection_reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("expense claim")
        verbose_name_plural = _("expense claims")
        indexes = [models.Index(fields=["fund", "status"], name="funds_expense_status")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("funds:expense", kwargs={"org": self.fund.organisation.slug, "pk": self.pk})

    def total(self) -> Decimal:
        return self.lines.aggregate(total=money_sum("amount"))["total"] or Decimal("0")


class ExpenseLine(models.Model):
    expense = models.ForeignKey(Expense, on_delete=models.CASCADE, related_name="lines")
    category = models.CharField(_("category"), max_length=20, choices=ExpenseCategory.choices)
    description = models.CharField(_("description"), max_length=200)
    amount = models.DecimalField(
        _("amount"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("line")

    def __str__(self) -> str:
        return self.description


class Receipt(models.Model):
    expense = models.ForeignKey(Expense, on_delete=models.CASCADE, related_name="receipts")
    file = models.FileField(storage=private_storage, upload_to="receipts/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


class ExpenseApproval(models.Model):
    expense = models.ForeignKey(Expense, on_delete=models.CASCADE, related_name="approvals")
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["expense", "approver"], name="funds_one_approval_per_treasurer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expense_id} by {self.approver_id}"
