"""Exchange rates: dated, from the ECB and the NBU files or entered by hand.

ECB reference rates are quoted per euro, so a pound-to-złoty rate is a cross rate through
the euro: GBP→PLN = (EUR→PLN) ÷ (EUR→GBP). The ECB does not publish the hryvnia; the
National Bank of Ukraine does, as hryvnias per unit of foreign currency, so X→UAH is the
NBU's rate and UAH→X its inverse (and X→Y via UAH only when the ECB has no rate).

Who sets what: the ECB and NBU reference rates are instance data that every
organisation's books use, loaded only by the ``import_rates`` command, a task, or instance
staff who have verified their second factor (``rate_imports``). An organisation's treasurers record manual
rates (what their bank actually gave), which convert that organisation's entries and no
one else's. A manual rate more than 20% from the nearest known rate of the pair is refused
unless the treasurer confirms it, and the confirmation goes into the audit row.
"""

from __future__ import annotations

import datetime
import decimal
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from spilka.funds.access import can_treasure
from spilka.funds.models import ExchangeRate, RateSource
from spilka.lib.audit import audit_record
from spilka.lib.money import CURRENCIES, quantise_rate, to_decimal, validate_currency

# RateSource's values, as plain strings.
_ECB, _NBU, _MANUAL, _SAME = "ecb", "nbu", "manual", "same"
ECB_CURRENCIES = ("GBP", "PLN", "USD")
NBU_CURRENCIES = ("GBP", "PLN", "USD", "EUR")
# A typed rate further than this from the nearest known rate of the pair needs a tick.
OUTLIER_LIMIT = Decimal("0.20")
# The box a treasurer ticks to keep such a rate; the refusal message names it.
OUTLIER_CONFIRM_LABEL = gettext_lazy("I have checked this rate: keep it")
# How far back a cross rate on a neighbouring day may reach for its other leg.
_NEIGHBOUR_LEG_DAYS = 7


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
            "There is no %(base)s→%(quote)s rate for %(date)s: the official rates for that date "
            "have not been loaded. Enter the rate your bank actually gave as a manual rate."
        )
        % {"base": base, "quote": quote, "date": on.isoformat()},
        code="no_rate",
    )


def rate_reference_find(*, base: str, quote: str, on: datetime.date) -> Quote:
    """The ECB or NBU rate published for exactly ``on``, or :class:`NoRateError`.

    No organisation's manual rate and no earlier day: for decisions that an organisation's
    own people must not be able to sway, such as how many treasurers approve a claim.
    """
    return rate_find(base=base, quote=quote, on=on, organisation=None, fallback_days=0)


def _nearest_days(rows: Any, on: datetime.date) -> list[datetime.date]:
    before = rows.filter(date__lte=on).order_by("-date").values_list("date", flat=True).first()
    after = rows.filter(date__gt=on).order_by("date").values_list("date", flat=True).first()
    return [day for day in (before, after) if day is not None]


def _known_rates_near(
    *, base: str, quote: str, on: datetime.date, organisation: Any
) -> list[Quote]:
    """The known rates of the pair on the day(s) nearest ``on``, from every source.

    The ECB's and the NBU's (crossed as :func:`rate_find` crosses them) and the
    organisation's own manual rates, either way round; never another organisation's.
    """
    reference = ExchangeRate.objects.filter(organisation__isnull=True)
    found: list[Quote] = []
    sources = (
        (_ECB, "EUR", ECB_CURRENCIES, _ecb, lambda code: {"base": "EUR", "quote": code}),
        (_NBU, "UAH", NBU_CURRENCIES, _nbu, lambda code: {"base": code, "quote": "UAH"}),
    )
    for source, hub, published, cross, leg in sources:
        codes = [code for code in (base, quote) if code != hub]
        if not all(code in published for code in codes):
            continue
        days: set[datetime.date] = set()
        for code in codes:
            days.update(_nearest_days(reference.filter(source=source, **leg(code)), on))
        for day in days:
            known = cross(base, quote, day, _NEIGHBOUR_LEG_DAYS)
            if known is not None:
                found.append(known)
    if organisation is not None:
        own = ExchangeRate.objects.filter(source=_MANUAL, organisation=organisation)
        for first, second, inverted in ((base, quote, False), (quote, base, True)):
            rows = own.filter(base=first, quote=second)
            for day in _nearest_days(rows, on):
                value = rows.filter(date=day).values_list("rate", flat=True).first()
                if value:
                    with decimal.localcontext() as context:
                        context.prec = 34
                        value = quantise_rate(Decimal(1) / value) if inverted else value
                    found.append(Quote(value, day, _MANUAL))
    if not found:
        return []
    nearest = min(abs((q.date - on).days) for q in found)
    return [q for q in found if abs((q.date - on).days) == nearest]


@dataclass(frozen=True)
class Outlier:
    """A typed rate far from ``nearest``, the closest known rate of the pair by date."""

    nearest: Quote
    distance: Decimal  # as a fraction of the known rate: 0.35 is 35%

    def audit(self) -> dict[str, Any]:
        return {
            "nearest_rate": self.nearest.rate,
            "nearest_date": self.nearest.date,
            "nearest_source": self.nearest.source,
            "percent_away": self.percent,
        }

    @property
    def percent(self) -> int:
        return int((self.distance * 100).to_integral_value(decimal.ROUND_HALF_UP))


def rate_outlier(
    *, base: str, quote: str, on: datetime.date, rate: Decimal, organisation: Any = None
) -> Outlier | None:
    """An :class:`Outlier` when ``rate`` is more than 20% from the nearest known rate.

    None when it is close to one of the nearest known rates, or when no rate of the pair
    is known at all (there is nothing to compare it with).
    """
    known = _known_rates_near(base=base, quote=quote, on=on, organisation=organisation)
    if not known:
        return None
    with decimal.localcontext() as context:
        context.prec = 34
        distance, nearest = min(((abs(rate - q.rate) / q.rate, q) for q in known), key=_first)
    return Outlier(nearest, distance) if distance > OUTLIER_LIMIT else None


def _first(pair: tuple[Decimal, Quote]) -> Decimal:
    return pair[0]


def outlier_error(outlier: Outlier, *, base: str, quote: str) -> ValidationError:
    """The refusal shown under the rate, in the user's language, naming the box to tick."""
    return ValidationError(
        _(
            "This rate is %(percent)s%% away from the nearest known rate: 1 %(base)s = "
            "%(known)s %(quote)s on %(date)s (%(source)s). Check the figure; if it is right, "
            "tick “%(confirm)s” and save again."
        ),
        code="rate_outlier",
        params={
            "percent": outlier.percent,
            "base": base,
            "quote": quote,
            "known": formats.number_format(outlier.nearest.rate.normalize(), use_l10n=True),
            "date": formats.date_format(outlier.nearest.date, "SHORT_DATE_FORMAT"),
            "source": RateSource(outlier.nearest.source).label,
            "confirm": OUTLIER_CONFIRM_LABEL,
        },
    )


@transaction.atomic
def rate_manual_record(
    *,
    organisation: Any,
    date: datetime.date,
    base: str,
    quote: str,
    rate: Decimal | str,
    note: str = "",
    by: Any,
    confirmed: bool = False,
) -> ExchangeRate:
    """The rate ``organisation``'s bank gave: it converts that organisation's entries only.

    A rate more than 20% from the nearest known rate of the pair is refused unless
    ``confirmed`` (the treasurer ticked the box); the audit row records that it was.
    """
    if organisation is None:
        raise ValidationError(_("A manual rate belongs to one organisation."))
    if getattr(by, "is_authenticated", False) and not can_treasure(by, organisation):
        raise PermissionDenied
    validate_currency(base)
    validate_currency(quote)
    if base == quote:
        raise ValidationError({"quote": _("A rate is between two different currencies.")})
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
    outlier = rate_outlier(
        base=base, quote=quote, on=date, rate=row.rate, organisation=organisation
    )
    if outlier is not None and not confirmed:
        raise ValidationError({"rate": outlier_error(outlier, base=base, quote=quote)})
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:  # a second treasurer saved the same day and pair meanwhile
        raise ValidationError(_("A manual rate for that day and pair already exists.")) from None
    after = {"date": date, "base": base, "quote": quote, "rate": row.rate, "note": note}
    if outlier is not None:
        after.update(outlier_confirmed=True, **outlier.audit())
    audit_record(
        actor=by,
        action="funds.rate.manual_recorded",
        obj=row,
        organisation=organisation,
        after=after,
    )
    return row


__all__ = [
    "CURRENCIES",
    "NoRateError",
    "OUTLIER_CONFIRM_LABEL",
    "Outlier",
    "Quote",
    "outlier_error",
    "rate_find",
    "rate_manual_record",
    "rate_outlier",
    "rate_reference_find",
]
