from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from spilka.lib.money import CURRENCY_CHOICES
from spilka.lib.slugs import SlugField
from spilka.lib.translated import TranslatedField, pick


class TreasurySettings(models.Model):
    """How one organisation keeps its money: set by its treasurers."""

    organisation = models.OneToOneField(
        "network.Organisation", on_delete=models.CASCADE, related_name="treasury_settings"
    )
    reporting_currency = models.CharField(
        _("reporting currency"), max_length=3, choices=CURRENCY_CHOICES, default="GBP"
    )
    second_approver_above = models.DecimalField(
        _("two approvers above"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("500.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_(
            "Expense claims above this amount (in the reporting currency) need two treasurers."
        ),
    )
    rate_fallback_days = models.PositiveSmallIntegerField(
        _("use an earlier rate up to this many days old"),
        default=0,
        help_text=_(
            "0: a date without a rate stops the entry and asks for a manual rate. "
            "Otherwise the latest earlier rate within this many days is used, and recorded."
        ),
    )

    class Meta:
        verbose_name = _("treasury settings")
        verbose_name_plural = _("treasury settings")

    def __str__(self) -> str:
        return str(self.organisation)


class Fund(models.Model):
    """Money an organisation holds for one purpose ("Convoy fund", "Translation fund")."""

    organisation = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="funds",
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funds",
    )
    slug = SlugField(_("short address"), max_length=80)
    name = TranslatedField(_("name"), max_length=200, blank=False)
    description = TranslatedField(_("description"), max_length=2000)
    currency = models.CharField(
        _("reporting currency"),
        max_length=3,
        choices=CURRENCY_CHOICES,
        default="GBP",
        help_text=_("Every entry is also converted into this currency for totals."),
    )
    is_public = models.BooleanField(_("public"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation_id", "slug"]
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="fund_slug_per_org"),
        ]

    def __str__(self) -> str:
        return pick(self.name).text or self.slug

    def get_absolute_url(self) -> str:
        return reverse("funds:fund", kwargs={"org": self.organisation.slug, "fund": self.slug})


class Donor(models.Model):
    """A person who gave money: kept apart from the ledger so erasure never edits an entry."""

    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="donors"
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True, db_index=True)
    show_name = models.BooleanField(
        _("may be named publicly"), default=False, help_text=_("Only if the donor opted in.")
    )
    consented_updates = models.BooleanField(_("agreed to hear from us"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("donor")
        verbose_name_plural = _("donors")

    def __str__(self) -> str:
        return self.name or str(_("Anonymous donor"))

    @property
    def public_name(self) -> str:
        return self.public_name_of(
            name=self.name, show_name=self.show_name, erased_at=self.erased_at
        )

    @staticmethod
    def public_name_of(*, name: str | None, show_name: bool | None, erased_at: Any) -> str:
        """The one rule for naming a donor in public, also read from plain rows: only by a
        name they chose to show, and never once erased."""
        return name if show_name and name and not erased_at else ""


class MonthlySummary(models.Model):
    """Totals per fund, month, line of the public page and currency, kept in the posting
    transaction.

    Derived data: ``fund_summary_rebuild`` recomputes it from the ledger, and tests check
    that it always equals the ledger's own aggregation.
    """

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="monthly")
    month = models.DateField()  # the first day of the month
    kind = models.CharField(max_length=20)
    category = models.CharField(max_length=20, blank=True, default="")
    # The partner organisation's id, 0 when there is none (NULLs would defeat uniqueness).
    counterparty_key = models.IntegerField(default=0)
    # The entries' own currency and the sum of their own amounts in it: a fund's balance
    # per currency is the sum of these lines, whatever the size of the ledger.
    currency = models.CharField(max_length=3, default="")
    amount = models.DecimalField(max_digits=18, decimal_places=2, default=Decimal("0"))
    total = models.DecimalField(max_digits=18, decimal_places=2, default=Decimal("0"))
    entries = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "month", "kind", "category", "counterparty_key", "currency"],
                name="funds_summary_unique_line_currency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fund_id} {self.month:%Y-%m} {self.kind} {self.total}"
