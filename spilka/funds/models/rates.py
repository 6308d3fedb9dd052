from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from spilka.funds.models.ledger import RateSource
from spilka.lib.money import CURRENCY_CHOICES


class ExchangeRate(models.Model):
    """One unit of ``base`` is worth ``rate`` units of ``quote`` on ``date``.

    ECB rows have base EUR; NBU rows have quote UAH (hryvnias per unit); manual rows belong
    to the organisation whose bank gave that rate.
    """

    date = models.DateField(_("date"))
    base = models.CharField(_("from"), max_length=3, choices=CURRENCY_CHOICES)
    quote = models.CharField(_("to"), max_length=3, choices=CURRENCY_CHOICES)
    rate = models.DecimalField(_("rate"), max_digits=24, decimal_places=10)
    source = models.CharField(_("source"), max_length=10, choices=RateSource.choices)
    organisation = models.ForeignKey(
        "network.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="manual_rates",
        help_text=_("Only for manual rates: the organisation whose bank gave it."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "base", "quote"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        indexes = [
            models.Index(fields=["base", "quote", "source", "date"], name="funds_rate_lookup")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "base", "quote", "source"],
                condition=models.Q(organisation__isnull=True),
                name="funds_rate_unique_official",
            ),
            models.UniqueConstraint(
                fields=["date", "base", "quote", "organisation"],
                condition=models.Q(organisation__isnull=False),
                name="funds_rate_unique_manual",
            ),
            # A manual rate belongs to exactly one organisation; a reference rate to none.
            models.CheckConstraint(
                condition=(
                    models.Q(source=RateSource.MANUAL, organisation__isnull=False)
                    | models.Q(
                        source__in=[RateSource.ECB, RateSource.NBU], organisation__isnull=True
                    )
                ),
                name="funds_rate_manual_has_one_organisation",
            ),
            models.CheckConstraint(condition=models.Q(rate__gt=0), name="funds_rate_positive"),
            models.CheckConstraint(
                condition=~models.Q(base=models.F("quote")), name="funds_rate_two_currencies"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} 1 {self.base} = {self.rate} {self.quote} ({self.source})"
