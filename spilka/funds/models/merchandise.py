from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from spilka.lib.money import CURRENCY_CHOICES
from spilka.lib.slugs import SlugField
from spilka.lib.translated import TranslatedField, pick


class Product(models.Model):
    fund = models.ForeignKey(
        "funds.Fund", verbose_name=_("fund"), on_delete=models.PROTECT, related_name="products"
    )
    slug = SlugField(_("short address"), max_length=80)
    name = TranslatedField(_("name"), max_length=200, blank=False)
    price = models.DecimalField(
        _("price"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "slug"], name="funds_product_slug_per_fund"),
        ]

    def __str__(self) -> str:
        return pick(self.name).text or self.slug


class ProductVariant(models.Model):
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="variants")
    label = models.CharField(_("size or variant"), max_length=40)
    stock = models.IntegerField(_("in stock"), default=0)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["product", "label"], name="funds_variant_label_unique"),
            # The last line of defence: a sale that would oversell fails in the database.
            models.CheckConstraint(
                condition=models.Q(stock__gte=0), name="funds_stock_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} ({self.label})"


class Sale(models.Model):
    variant = models.ForeignKey(ProductVariant, on_delete=models.PROTECT, related_name="sales")
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    transaction = models.OneToOneField(
        "funds.Transaction", on_delete=models.PROTECT, related_name="sale"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.quantity} × {self.variant}"
