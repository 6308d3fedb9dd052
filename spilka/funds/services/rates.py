"""Exchange rates: dated, from the ECB and the NBU files or entered by hand.

ECB reference rates are quoted per euro, so a pound-to-złoty rate is a cross rate through
the euro: GBP→PLN = (EUR→PLN) ÷ (EUR→GBP). The ECB does not publish the hryvnia; the
National Bank of Ukraine does, as hryvnias per unit of foreign currency, so X→UAH is the
NBU's rate and UAH→X its inverse (and X→Y via UAH only when the ECB has no rate).
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from spilka.funds.models import ExchangeRate
from spilka.lib.audit import audit_record
from spilka.lib.money import CURRENCIES, quantise_rate, to_decimal, validate_currency

# RateSource's values, as plain strings.
_ECB, _NBU, _MANUAL, _SAME = "ecb", "nbu", "manual", "same"
ECB_CURRENCIES = ("GBP", "PLN", "USD")
NBU_CURRENCIES = ("GBP", "PLN", "USD", "EUR")


class NoRateError(ValidationError):
    """No rate for the pair on that date: the caller should offer a manual rate."""


@dataclass(frozen=True)
class Quote:
    rate: Decimal
    date: datetime.date
    source: str


def _lookup(
    *,
    base: str,
    quote: str,
    source: str,
    on: datetime.date,
    fallback_days: int,
    organisation: Any = None,
) -> Quote | None:
    qs = ExchangeRate.objects.filter(base=base, quote=quote, source=source, date__lte=on)
    qs = (
        qs.filter(organisation=organisation)
        if organisation is not None
        else qs.filter(organisation__isnull=True)
    )
    qs = qs.filter(date__gte=on - datetime.timedelta(days=fallback_days))
    row = qs.order_by("-date").values_list("rate", "date").first()
    return Quote(row[0], row[1], source) if row else None


def _ecb(base: str, quote: str, on: datetime.date, days: int) -> Quote | None:
    def per_euro(code: str) -> Quote | None:
        if code == "EUR":
            return Quote(Decimal(1), on, _ECB)
        return _lookup(base="EUR", quote=code, source=_ECB, on=on, fallback_days=days)

    a, b = per_euro(base), per_euro(quote)
    if a is None or b is None:
        return None
    dates = [q.date for code, q in ((base, a), (quote, b)) if code != "EUR"]
    with decimal.localcontext() as context:
        context.prec = 34
        return Quote(quantise_rate(b.rate / a.rate), min(dates or [on]), _ECB)


def _nbu(base: str, quote: str, on: datetime.date, days: int) -> Quote | None:
    def uah_per(code: str) -> Quote | None:
        if code == "UAH":
            return Quote(Decimal(1), on, _NBU)
        return _lookup(base=code, quote="UAH", source=_NBU, on=on, fallback_days=days)

    a, b = uah_per(base), uah_per(quote)
    if a is None or b is None:
        return None
    dates = [q.date for code, q in ((base, a), (quote, b)) if code != "UAH"]
    with decimal.localcontext() as context:
        context.prec = 34
        return Quote(quantise_rate(a.rate / b.rate), min(dates or [on]), _NBU)


def rate_find(
    *,
    base: str,
    quote: str,
    on: datetime.date,
    organisation: Any = None,
    fallback_days: int | None = None,
) -> Quote:
    """The rate to convert ``base`` into ``quote`` on ``on``, or :class:`NoRateError`.

    Order: the organisation's own manual rate for that day, the ECB (for GBP, PLN, USD,
    EUR), the NBU (whenever the hryvnia is involved). Only when the organisation chose it
    (``rate_fallback_days``) is the latest earlier rate within that many days used.
    """
    validate_currency(base)
    validate_currency(quote)
    if base == quote:
        return Quote(Decimal(1), on, _SAME)
    if fallback_days is None:
        settings_row = getattr(organisation, "treasury_settings", None) if organisation else None
        fallback_days = settings_row.rate_fallback_days if settings_row else 0
    if organisation is not None:
        manual = _lookup(
            base=base,
            quote=quote,
            source=_MANUAL,
            on=on,
            fallback_days=0,
            organisation=organisation,
        )
        if manual:
            return manual
    for days in sorted({0, fallback_days}):
        if "UAH" not in (base, quote):
            found = _ecb(base, quote, on, days)
        else:
            found = _nbu(base, quote, on, days)
        if found:
            return found
    raise NoRateError(
        _(
            "There is no %(base)s→%(quote)s rate for %(date)s. Import the rates for that date, "
            "or enter the rate your bank actually gave as a manual rate."
        )
        % {"base": base, "quote": quote, "date": on.isoformat()},
        code="no_rate",
    )


@transaction.atomic
def rate_manual_record(
    *,
    organisation: Any,
    date: datetime.date,
    base: str,
    quote: str,
    rate: Decimal,
    note: str = "",
    by: Any,
) -> ExchangeRate:
    validate_currency(base)
    validate_currency(quote)
    rate = to_decimal(rate)
    if rate <= 0:
        raise ValidationError({"rate": _("A rate is more than nought.")})
    row = ExchangeRate(
        date=date,
        base=base,
        quote=quote,
        rate=quantise_rate(rate),
        source=_MANUAL,
        organisation=organisation,
        note=note,
    )
    row.full_clean(validate_constraints=False)
    existing = ExchangeRate.objects.filter(
        date=date, base=base, quote=quote, organisation=organisation
    ).first()
    if existing:
        raise ValidationError(_("A manual rate for that day and pair already exists."))
    row.save()
    audit_record(
        actor=by,
        action="funds.rate.manual_recorded",
        obj=row,
        organisation=organisation,
        after={"date": date, "base": base, "quote": quote, "rate": row.rate, "note": note},
    )
    return row


@dataclass
class RateImportResult:
    created: int = 0
    skipped: int = 0
    dates: int = 0


def _store(rows: list[ExchangeRate], by: Any, source: str) -> RateImportResult:
    result = RateImportResult(dates=len({r.date for r in rows}))
    existing = set(
        ExchangeRate.objects.filter(
            source=source, organisation__isnull=True, date__in={r.date for r in rows}
        ).values_list("date", "base", "quote")
    )
    new = [r for r in rows if (r.date, r.base, r.quote) not in existing]
    ExchangeRate.objects.bulk_create(new, batch_size=1000)
    result.created, result.skipped = len(new), len(rows) - len(new)
    if new:
        audit_record(
            actor=by,
            action=f"funds.rates.imported_{source}",
            obj=new[0],
            after={"created": result.created, "skipped": result.skipped, "dates": result.dates},
        )
    return result


def _bad_file(message: str) -> ValidationError:
    return ValidationError(message, code="bad_rates_file")


@transaction.atomic
def rates_import_ecb(*, text: str, by: Any) -> RateImportResult:
    """The ECB's ``eurofxref-hist.csv``: ``Date,USD,JPY,...`` one line per day, N/A gaps."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip() for h in next(reader)]
    except (StopIteration, csv.Error):
        raise _bad_file(_("The file is empty.")) from None
    if not header or header[0] != "Date":
        raise _bad_file(_("This is not the ECB reference-rate file: its first column is not Date."))
    wanted = {i: code for i, code in enumerate(header) if code in ECB_CURRENCIES}
    if not wanted:
        raise _bad_file(_("The file has none of the currencies GBP, PLN, USD."))
    rows = []
    try:
        for number, line in enumerate(reader, start=2):
            if not line or not line[0].strip():
                continue
            try:
                day = datetime.date.fromisoformat(line[0].strip())
            except ValueError:
                raise _bad_file(
                    _("Line %(n)s: “%(v)s” is not a date.") % {"n": number, "v": line[0]}
                ) from None
            for index, code in wanted.items():
                cell = line[index].strip() if index < len(line) else ""
                if not cell or cell.upper() == "N/A":
                    continue
                rate = _positive(cell, number)
                rows.append(ExchangeRate(date=day, base="EUR", quote=code, rate=rate, source=_ECB))
    except csv.Error as error:
        raise _bad_file(_("The file is not valid CSV: %(e)s") % {"e": error}) from None
    return _store(rows, by, _ECB)


def _positive(cell: str, number: int) -> Decimal:
    try:
        rate = quantise_rate(to_decimal(cell))
    except ValidationError:
        raise _bad_file(
            _("Line %(n)s: “%(v)s” is not a rate.") % {"n": number, "v": cell}
        ) from None
    if rate <= 0:
        raise _bad_file(_("Line %(n)s: a rate is more than nought.") % {"n": number})
    return rate


@transaction.atomic
def rates_import_nbu(*, text: str, by: Any) -> RateImportResult:
    """The NBU's JSON exchange feed (``/NBUStatService/v1/statdirectory/exchange?json``).

    A list of objects ``{"r030": 840, "txt": "...", "rate": 36.5686, "cc": "USD",
    "exchangedate": "24.02.2022"}``: hryvnias per unit of ``cc`` on ``exchangedate``
    (DD.MM.YYYY). Rates are read as decimal text, never through floats.
    """
    try:
        data = json.loads(text, parse_float=Decimal, parse_int=Decimal)
    except (json.JSONDecodeError, ValueError):
        raise _bad_file(_("This is not the NBU's JSON exchange file.")) from None
    if not isinstance(data, list):
        raise _bad_file(_("This is not the NBU's JSON exchange file."))
    rows = []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict) or "cc" not in item or "rate" not in item:
            raise _bad_file(_("Entry %(n)s has no cc or rate.") % {"n": number})
        code = str(item["cc"]).upper()
        if code not in NBU_CURRENCIES:
            continue
        try:
            day = datetime.datetime.strptime(str(item.get("exchangedate", "")), "%d.%m.%Y").date()
        except ValueError:
            raise _bad_file(_("Entry %(n)s: the date is not DD.MM.YYYY.") % {"n": number}) from None
        rows.append(
            ExchangeRate(
                date=day,
                base=code,
                quote="UAH",
                rate=_positive(str(item["rate"]), number),
                source=_NBU,
            )
        )
    return _store(rows, by, _NBU)


def rates_import(*, text: str, fmt: str, by: Any) -> RateImportResult:
    if fmt == "ecb":
        return rates_import_ecb(text=text, by=by)
    if fmt == "nbu":
        return rates_import_nbu(text=text, by=by)
    raise ValidationError(_("Unknown rates format."))


__all__ = ["CURRENCIES", "NoRateError", "Quote", "rate_find", "rate_manual_record", "rates_import"]
