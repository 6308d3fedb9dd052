"""Loading the official reference rates: the ECB's history file and the NBU's JSON feed.

Reference rates are instance data that every organisation's books use, loaded only by the
``import_rates`` command, a task, or instance staff who have verified their second factor.
A rate already stored for its day and pair is kept (a file loaded twice adds nothing).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from spilka.funds.access import can_load_reference_rates
from spilka.funds.models import ExchangeRate, RateSource
from spilka.funds.services.rates import ECB_CURRENCIES, NBU_CURRENCIES
from spilka.lib.audit import audit_record
from spilka.lib.money import quantise_rate, to_decimal

_ECB, _NBU = RateSource.ECB.value, RateSource.NBU.value


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
        # Reference rates belong to no organisation: the row says so in so many words.
        audit_record(
            actor=by,
            action=f"funds.rates.imported_{source}",
            obj=new[0],
            organisation=None,
            after={
                "scope": "instance",
                "source": source,
                "created": result.created,
                "skipped": result.skipped,
                "dates": result.dates,
                "first_date": min(r.date for r in new),
                "last_date": max(r.date for r in new),
            },
        )
    return result


def _may_load_reference_rates(by: Any) -> None:
    """A command, task or loader names itself with a label; a person must be verified staff."""
    if isinstance(by, str) and by:
        return
    if not can_load_reference_rates(by):
        raise PermissionDenied(
            _(
                "Official ECB and NBU rates are loaded by the instance's staff, not by an "
                "organisation. Enter the rate your bank gave as a manual rate instead."
            )
        )


def _bad_file(message: str) -> ValidationError:
    return ValidationError(message, code="bad_rates_file")


@transaction.atomic
def rates_import_ecb(*, text: str, by: Any) -> RateImportResult:
    """The ECB's ``eurofxref-hist.csv``: ``Date,USD,JPY,...`` one line per day, N/A gaps."""
    _may_load_reference_rates(by)
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
    _may_load_reference_rates(by)
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
