from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from spilka.funds.models import Fund, Product, ProductVariant, Sale, TransactionKind
from spilka.funds.services.ledger import transaction_post
from spilka.lib.audit import audit_record, snapshot
from spilka.lib.money import to_decimal, validate_amount


@transaction.atomic
def product_create(
    *,
    by: Any,
    fund: Fund,
    slug: str,
    name: dict[str, str],
    price: Any,
    currency: str,
    variants: dict[str, int],
) -> Product:
    price = to_decimal(price)
    validate_amount(price, currency)
    product = Product(fund=fund, slug=slug, name=name, price=price, currency=currency)
    product.full_clean()
    product.save()
    for label, stock in variants.items():
        variant = ProductVariant(product=product, label=label, stock=stock)
        variant.full_clean()
        variant.save()
    audit_record(
        actor=by,
        action="funds.product.created",
        obj=product,
        organisation=fund.organisation,
        after={**snapshot(product), "variants": variants},
    )
    return product


@transaction.atomic
def stock_add(*, by: Any, variant: ProductVariant, quantity: int) -> ProductVariant:
    if quantity <= 0:
        raise ValidationError({"quantity": _("Add at least one.")})
    ProductVariant.objects.filter(pk=variant.pk).update(stock=F("stock") + quantity)
    variant.refresh_from_db()
    audit_record(
        actor=by,
        action="funds.product.restocked",
        obj=variant,
        organisation=variant.product.fund.organisation,
        after={"added": quantity, "stock": variant.stock},
    )
    return variant


@transaction.atomic
def sale_record(
    *, by: Any, variant: ProductVariant, quantity: int, occurred_on: datetime.date
) -> Sale:
    """Sell ``quantity``: the stock is taken by one conditional UPDATE, so it never goes below 0."""
    if quantity < 1:
        raise ValidationError({"quantity": _("Sell at least one.")})
    taken = ProductVariant.objects.filter(pk=variant.pk, stock__gte=quantity).update(
        stock=F("stock") - quantity
    )
    if not taken:
        left = (
            ProductVariant.objects.filter(pk=variant.pk).values_list("stock", flat=True).first()
            or 0
        )
        raise ValidationError(
            {
                "quantity": ngettext(
                    "Only %(count)s left in stock.", "Only %(count)s left in stock.", left
                )
                % {"count": left}
            },
            code="out_of_stock",
        )
    product = Product.objects.select_related("fund", "fund__organisation").get(
        pk=variant.product_id
    )
    entry = transaction_post(
        fund=product.fund,
        kind=TransactionKind.MERCHANDISE,
        amount=product.price * quantity,
        currency=product.currency,
        occurred_on=occurred_on,
        by=by,
        description=f"{product} ({variant.label}) × {quantity}",
    )
    sale = Sale.objects.create(variant=variant, quantity=quantity, transaction=entry)
    return sale
