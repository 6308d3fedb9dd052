"""Posting to the ledger. Services only ever create rows; corrections are reversals."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.translation import gettext as _

from spilka.funds.models import (
    INCOME_KINDS,
    OUTGOING_KINDS,
    Donor,
    Expense,
    Fund,
    ImportBatch,
    MonthlySummary,
    Transaction,
    TransactionKind,
)
from spilka.funds.services.rates import outlier_error, rate_find, rate_outlier
from spilka.lib.audit import audit_record, snapshot
from spilka.lib.money import (
    convert,
    money_sum,
    quantise_rate,
    to_decimal,
    validate_amount,
    validate_currency,
)
from spilka.network.link_requests import funds_partner_ask
from spilka.network.models import Organisation
from spilka.network.selectors import organisations_check_pickable


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _summary_add(entry: Transaction) -> None:
    """Keep the monthly summary in step with the ledger, in the posting's transaction."""
    # A reversal is counted under the kind it reverses, so the two net out on public pages.
    kind = entry.reverses.kind if entry.reverses_id and entry.reverses else entry.kind
    key = {
        "fund_id": entry.fund_id,
        "month": _month(entry.occurred_on),
        "kind": kind,
        "category": entry.category,
        "counterparty_key": entry.counterparty_id or 0,
        "currency": entry.currency,
    }
    changes = {
        "total": F("total") + entry.reporting_amount,
        "amount": F("amount") + entry.amount,
        "entries": F("entries") + 1,
    }
    if MonthlySummary.objects.filter(**key).update(**changes):
        return
    try:
        with transaction.atomic():
            MonthlySummary.objects.create(
                **key, total=entry.reporting_amount, amount=entry.amount, entries=1
            )
    except IntegrityError:
        # Another posting created the line first: add to it.
        MonthlySummary.objects.filter(**key).update(**changes)


def _signed(kind: str, amount: Decimal) -> Decimal:
    if kind in INCOME_KINDS:
        return abs(amount)
    if kind in OUTGOING_KINDS:
        return -abs(amount)
    return amount


@transaction.atomic
def transaction_post(
    *,
    fund: Fund,
    kind: str,
    amount: Decimal | str,
    currency: str,
    occurred_on: datetime.date,
    by: Any,
    description: str = "",
    reference: str = "",
    category: str = "",
    counterparty: Organisation | None = None,
    donor: Donor | None = None,
    rate: Decimal | str | None = None,
    expense: Expense | None = None,
    import_batch: ImportBatch | None = None,
    reverses: Transaction | None = None,
    audit: bool = True,
    rate_confirmed: bool = False,
    counterparty_confirmed: bool | None = None,
) -> Transaction:
    """Post one entry. ``amount`` is given as a positive sum; the kind decides its sign.

    A partner organisation (``counterparty``) is asked whether the public accounts may
    name it (``funds_partner_ask``); until it accepts they say "a partner organisation".
    The demo passes ``counterparty_confirmed``.

    ``rate`` is the bank's actual rate (a manual rate); without it the rate table is used
    and a date with no rate raises :class:`NoRateError` asking for one. A typed rate more
    than 20% from the nearest known rate of the pair is refused unless ``rate_confirmed``
    (the treasurer ticked the box), and the audit row records the confirmation.
    """
    validate_currency(currency)
    if kind not in TransactionKind.values:
        raise ValidationError({"kind": _("Unknown kind of entry.")})
    value = to_decimal(amount)
    validate_amount(value, currency)
    if value == 0:
        raise ValidationError({"amount": _("An entry cannot be nought.")})
    if kind != TransactionKind.EXCHANGE and kind != TransactionKind.REVERSAL and value < 0:
        raise ValidationError({"amount": _("Give the amount as a positive number.")})
    if kind == TransactionKind.TRANSFER_OUT and counterparty is None:
        raise ValidationError({"counterparty": _("A transfer goes to a partner organisation.")})
    if reverses is None:
        # A reversal names the original's partner, pickable or not by now.
        organisations_check_pickable(
            user=by, organisations=[counterparty], field="counterparty", purpose="counterparty"
        )
    if kind == TransactionKind.EXPENSE and not category:
        raise ValidationError({"category": _("An expense needs a category.")})
    value = _signed(kind, value)
    outlier = None
    if rate is not None:
        rate_value = quantise_rate(to_decimal(rate))
        if rate_value <= 0:
            raise ValidationError({"rate": _("A rate is more than nought.")})
        source: str = "same" if currency == fund.currency else "manual"  # RateSource values
        rate_value = Decimal(1) if currency == fund.currency else rate_value
        rate_date = occurred_on
        if currency != fund.currency:
            outlier = rate_outlier(
                base=currency,
                quote=fund.currency,
                on=occurred_on,
                rate=rate_value,
                organisation=fund.organisation,
            )
            if outlier is not None and not rate_confirmed:
                raise ValidationError(
                    {"rate": outlier_error(outlier, base=currency, quote=fund.currency)}
                )
    else:
        quote = rate_find(
            base=currency, quote=fund.currency, on=occurred_on, organisation=fund.organisation
        )
        rate_value, rate_date, source = quote.rate, quote.date, quote.source
    entry = Transaction(
        fund=fund,
        kind=kind,
        occurred_on=occurred_on,
        amount=value,
        currency=currency,
        reporting_amount=convert(value, rate_value, fund.currency),
        reporting_currency=fund.currency,
        rate=rate_value,
        rate_date=rate_date,
        rate_source=source,
        category=category,
        description=description,
        reference=reference,
        counterparty=counterparty,
        donor=donor,
        expense=expense,
        import_batch=import_batch,
        reverses=reverses,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    entry.full_clean()
    entry.save()
    _summary_add(entry)
    if counterparty is not None:
        funds_partner_ask(
            by=by,
            organisation=fund.organisation,
            partner=counterparty,
            confirmed=counterparty_confirmed,
        )
    if audit or outlier is not None:
        after = snapshot(entry)
        if outlier is not None:
            after.update(rate_outlier_confirmed=True, **outlier.audit())
        audit_record(
            actor=by,
            action=f"funds.transaction.{kind}",
            obj=entry,
            organisation=fund.organisation,
            after=after,
        )
    return entry


@transaction.atomic
def transaction_reverse(*, entry: Transaction, by: Any, reason: str) -> Transaction:
    """Post the mirror image of ``entry``: same amounts and rate, opposite sign."""
    original = Transaction.objects.select_for_update().select_related("fund").get(pk=entry.pk)
    if original.kind == TransactionKind.REVERSAL:
        raise ValidationError(_("A reversal cannot itself be reversed: post a new entry."))
    if Transaction.objects.filter(reverses=original).exists():
        raise ValidationError(_("This entry has already been reversed."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the entry is reversed.")})
    reversal = Transaction(
        fund=original.fund,
        kind=TransactionKind.REVERSAL,
        # Dated like the entry it cancels, so monthly figures read as if the mistake never
        # happened; when it was posted is in created_at and the audit log.
        occurred_on=original.occurred_on,
        amount=-original.amount,
        currency=original.currency,
        reporting_amount=-original.reporting_amount,
        reporting_currency=original.reporting_currency,
        rate=original.rate,
        rate_date=original.rate_date,
        rate_source=original.rate_source,
        category=original.category,
        description=reason.strip()[:300],
        counterparty=original.counterparty,
        reverses=original,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    reversal.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            reversal.save()
    except IntegrityError:
        raise ValidationError(_("This entry has already been reversed.")) from None
    _summary_add(reversal)
    audit_record(
        actor=by,
        action="funds.transaction.reversed",
        obj=reversal,
        organisation=original.fund.organisation,
        before=snapshot(original),
        after=snapshot(reversal),
    )
    return reversal


@transaction.atomic
def currency_exchange_record(
    *,
    fund: Fund,
    occurred_on: datetime.date,
    sold_amount: Decimal | str,
    sold_currency: str,
    bought_amount: Decimal | str,
    bought_currency: str,
    by: Any,
    description: str = "",
) -> tuple[Transaction, Transaction]:
    """Two legs: what left in one currency and what arrived in another (the bank's rate)."""
    sold, bought = to_decimal(sold_amount), to_decimal(bought_amount)
    if sold <= 0 or bought <= 0:
        raise ValidationError(_("Both amounts of an exchange are more than nought."))
    if sold_currency == bought_currency:
        raise ValidationError(_("An exchange is between two different currencies."))
    out = transaction_post(
        fund=fund,
        kind=TransactionKind.EXCHANGE,
        amount=-sold,
        currency=sold_currency,
        occurred_on=occurred_on,
        by=by,
        description=description,
    )
    incoming = transaction_post(
        fund=fund,
        kind=TransactionKind.EXCHANGE,
        amount=bought,
        currency=bought_currency,
        occurred_on=occurred_on,
        by=by,
        description=description,
    )
    return out, incoming


def fund_balance(fund: Fund) -> Decimal:
    """The fund's balance in its reporting currency, summed by the database."""
    return Transaction.objects.filter(fund=fund).aggregate(total=money_sum("reporting_amount"))[
        "total"
    ] or Decimal("0.00")


def fund_balances_by_currency(fund: Fund) -> dict[str, Decimal]:
    """What the fund holds in each currency, from the monthly summary (a few hundred lines
    whatever the size of the ledger; tests check it equals the ledger's own sum)."""
    rows = (
        MonthlySummary.objects.filter(fund=fund)
        .values("currency")
        .annotate(total=money_sum("amount"))
        .order_by("currency")
    )
    return {row["currency"]: row["total"] for row in rows}


def fund_summary_rebuild(fund: Fund) -> int:
    """Recompute the monthly summary from the ledger (after a bulk load, or to check it)."""

    rows = (
        Transaction.objects.filter(fund=fund)
        .annotate(month=TruncMonth("occurred_on"), line_kind=Coalesce("reverses__kind", "kind"))
        .values("month", "line_kind", "category", "counterparty_id", "currency")
        .annotate(total=money_sum("reporting_amount"), amount=money_sum("amount"), n=Count("id"))
        .order_by()
    )
    with transaction.atomic():
        MonthlySummary.objects.filter(fund=fund).delete()
        MonthlySummary.objects.bulk_create(
            [
                MonthlySummary(
                    fund=fund,
                    month=row["month"],
                    kind=row["line_kind"],
                    category=row["category"],
                    counterparty_key=row["counterparty_id"] or 0,
                    currency=row["currency"],
                    amount=row["amount"],
                    total=row["total"],
                    entries=row["n"],
                )
                for row in rows
            ],
            batch_size=2000,
        )
    return len(rows)
