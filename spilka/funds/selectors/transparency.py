"""What the public transparency pages show, read from the monthly summary in a few queries.

Totals come from ``MonthlySummary`` (kept in each posting's transaction), so a page costs
the same with a thousand entries or a million. Each entry was converted into its fund's
currency at the rate of its own date (ECB; NBU for hryvnias; the bank's rate when a
treasurer entered one). Showing another currency converts each month's totals at the ECB
rate of that month's last rate day, and the page says so.
"""

from __future__ import annotations

import datetime
import heapq
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple, TypedDict

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from spilka.aid.models import Convoy
from spilka.campaigns.models import Campaign
from spilka.funds.models import (
    INCOME_KINDS,
    Donor,
    ExchangeRate,
    ExpenseCategory,
    Fund,
    MonthlySummary,
    Transaction,
    TransactionKind,
)
from spilka.lib.money import convert, format_money, money_sum, quantise_rate
from spilka.lib.paging import keyset_chunks
from spilka.network.display import public_name
from spilka.network.models import LinkKind, LinkRequest, LinkRequestStatus, Organisation

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

ZERO = Decimal("0.00")


@dataclass
class MonthTotals:
    month: datetime.date
    income: Decimal = ZERO
    spent: Decimal = ZERO  # a positive number: money out
    net: Decimal = ZERO  # everything in the month, exchange differences included
    balance: Decimal = ZERO  # the running balance at the month's end


@dataclass
class Transparency:
    currency: str
    funds: list[Fund]
    raised: Decimal = ZERO
    raised_by_kind: dict[str, Decimal] = field(default_factory=dict)
    spent_by_category: list[tuple[str, Decimal]] = field(default_factory=list)
    sent_to_partners: list[tuple[Organisation, Decimal]] = field(default_factory=list)
    # Sent to partners that have not (yet) agreed to be named in these accounts.
    sent_to_unnamed_partners: Decimal = ZERO
    spent: Decimal = ZERO
    balance: Decimal = ZERO
    months: list[MonthTotals] = field(default_factory=list)
    method: str = ""
    approximate: bool = False

    def formatted(self, value: Decimal) -> str:
        return format_money(value, self.currency)


def public_funds(
    *, organisation: Organisation | None = None, campaign: Campaign | None = None
) -> QuerySet[Fund]:
    qs = Fund.objects.filter(is_public=True, organisation__is_public=True).select_related(
        "organisation"
    )
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return qs.order_by("slug")


def _month_end_rates(
    pairs: set[tuple[str, str]], months: set[datetime.date]
) -> dict[tuple[str, str, datetime.date], Decimal]:
    """ECB cross rates at each month's last rate day, in one query."""
    if not pairs or not months:
        return {}
    codes = {c for pair in pairs for c in pair if c != "EUR"}
    first, last = min(months), max(months)
    end = (last.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    rows = (
        ExchangeRate.objects.filter(
            source="ecb",
            organisation__isnull=True,
            base="EUR",
            quote__in=codes,
            date__gte=first - datetime.timedelta(days=10),
            date__lt=end,
        )
        .values_list("date", "quote", "rate")
        .order_by("date")
    )
    latest: dict[tuple[str, datetime.date], Decimal] = {}
    for day, quote, rate in rows:
        latest[(quote, day.replace(day=1))] = rate  # ordered by date: the last one wins
    result = {}
    for base, quote in pairs:
        for month in months:
            a = Decimal(1) if base == "EUR" else latest.get((base, month))
            b = Decimal(1) if quote == "EUR" else latest.get((quote, month))
            if a and b:
                result[(base, quote, month)] = quantise_rate(b / a)
    return result


def transparency_for(funds: list[Fund], *, currency: str | None = None) -> Transparency:
    currency = currency or (funds[0].currency if funds else "GBP")
    report = Transparency(currency=currency, funds=funds)
    if not funds:
        return report
    rows = list(
        MonthlySummary.objects.filter(fund__in=funds)
        .values(
            "fund__currency",
            "fund__organisation_id",
            "month",
            "kind",
            "category",
            "counterparty_key",
        )
        .annotate(total=money_sum("total"))
        .order_by("month")
    )
    pairs = {(r["fund__currency"], currency) for r in rows if r["fund__currency"] != currency}
    rates = _month_end_rates(pairs, {r["month"] for r in rows})
    report.approximate = bool(pairs)
    missing = False
    by_month: dict[datetime.date, MonthTotals] = {}
    by_category: dict[str, Decimal] = defaultdict(lambda: ZERO)
    by_partner: dict[int, Decimal] = defaultdict(lambda: ZERO)
    named = partners_named(organisation_ids={fund.organisation_id for fund in funds})
    by_kind: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for row in rows:
        total = row["total"]
        if row["fund__currency"] != currency:
            rate = rates.get((row["fund__currency"], currency, row["month"]))
            if rate is None:
                missing = True
                continue
            total = convert(total, rate, currency)
        month = by_month.setdefault(row["month"], MonthTotals(row["month"]))
        month.net += total
        kind = row["kind"]
        if kind in INCOME_KINDS:
            month.income += total
            by_kind[kind] += total
        elif kind == TransactionKind.EXCHANGE:
            by_kind[kind] += total  # gains and losses on exchange, usually small
        else:
            month.spent -= total
            if kind == TransactionKind.EXPENSE:
                by_category[row["category"] or "other"] -= total
            elif kind == TransactionKind.TRANSFER_OUT:
                # A partner that has not agreed to be named is counted, not named (key 0).
                partner_key = row["counterparty_key"]
                if (row["fund__organisation_id"], partner_key) not in named:
                    partner_key = 0
                by_partner[partner_key] -= total
        report.balance += total
    running = ZERO
    for day in sorted(by_month):
        totals = by_month[day]
        running += totals.net
        totals.balance = running
    report.months = [by_month[m] for m in sorted(by_month)]
    report.raised_by_kind = dict(by_kind)
    report.raised = sum((by_kind[str(k)] for k in INCOME_KINDS if str(k) in by_kind), ZERO)
    report.spent = sum((m.spent for m in report.months), ZERO)
    labels = dict(ExpenseCategory.choices)
    report.spent_by_category = sorted(
        ((str(labels.get(c, c)), v) for c, v in by_category.items() if v), key=lambda item: -item[1]
    )
    partners = Organisation.objects.in_bulk([k for k in by_partner if k])
    # Private partners are never named (network.display) and are shown as one line, so
    # neither their number nor the size of each transfer marks them out.
    sent: dict[int, Decimal] = defaultdict(lambda: ZERO)
    hidden: Organisation | None = None
    for key, value in by_partner.items():
        partner = partners.get(key)
        if partner is None or not value:
            continue
        if not partner.is_public:
            hidden = hidden or partner
            partner = hidden
        sent[partner.pk] += value
    report.sent_to_partners = sorted(
        ((partners[k], v) for k, v in sent.items() if v), key=lambda item: -item[1]
    )
    report.sent_to_unnamed_partners = by_partner.get(0, ZERO)
    example = format_money(report.raised, currency)
    if report.approximate:
        report.method = _(
            "≈ %(example)s raised: each entry converted into its fund's currency at the ECB rate "
            "on its date (NBU for hryvnias, the bank's own rate where a treasurer entered one), "
            "then into %(currency)s at the ECB rate at the end of each month."
        ) % {"example": example, "currency": currency}
    else:
        report.method = _(
            "≈ %(example)s raised at ECB rates on transaction dates (NBU rates for hryvnias; "
            "the bank's own rate where a treasurer entered one)."
        ) % {"example": example}
    if missing:
        report.method += " " + _(
            "Some months could not be converted for want of a rate and are left out."
        )
    return report


def partners_named(*, organisation_ids: Iterable[int]) -> set[tuple[int, int]]:
    """``(organisation, partner)`` pairs where the partner agreed to be named publicly in
    the organisation's accounts (``network.link_requests.funds_partner_ask``)."""
    return set(
        LinkRequest.objects.filter(
            kind=LinkKind.FUNDS_PARTNER,
            status=LinkRequestStatus.ACCEPTED,
            proposer_id__in=list(organisation_ids),
        ).values_list("proposer_id", "organisation_id")
    )


# What every public view of an entry shows of the entry itself (the page, the CSV, the API).
ENTRY_FIELDS = (
    "occurred_on",
    "kind",
    "category",
    "description",
    "amount",
    "currency",
    "reporting_amount",
    "reporting_currency",
    "rate",
    "rate_date",
    "rate_source",
)


class PartnerNamed(TypedDict):
    partner_named: bool  # the partner organisation agreed to be named


def public_ledger(funds: list[Fund]) -> QuerySet[WithAnnotations[Transaction, PartnerNamed]]:
    """Entries of public funds, with nothing personal: donors only by their opted-in name,
    partner organisations (``partner_named``) only once they agreed to be named."""
    agreed = LinkRequest.objects.filter(
        kind=LinkKind.FUNDS_PARTNER,
        status=LinkRequestStatus.ACCEPTED,
        proposer_id=OuterRef("fund__organisation_id"),
        organisation_id=OuterRef("counterparty_id"),
    )
    return (
        Transaction.objects.filter(fund__in=funds)
        .annotate(partner_named=Exists(agreed))
        .select_related("fund", "counterparty", "donor")
        .only(
            *ENTRY_FIELDS,
            "fund__slug",
            "fund__name",
            "fund__organisation_id",
            "counterparty__name",
            "counterparty__slug",
            "counterparty__is_public",
            # Read by the name in the reader's language: deferred, it cost a query a row.
            "counterparty__original_language",
            "donor__name",
            "donor__show_name",
            "donor__erased_at",
            "reverses_id",
        )
        .order_by("-occurred_on", "-pk")
    )


# Entries a query for the public CSV. The first query is shorter, so the first bytes leave
# sooner (500 lines are more than 64 KB; 2,000 took a quarter longer to come).
CSV_CHUNK = 2000
CSV_FIRST = 500


class PublicEntry(NamedTuple):
    """One line of the public CSV: what :func:`public_ledger` shows, names already public."""

    pk: int
    occurred_on: datetime.date
    fund: str  # the fund's slug
    kind: str
    category: str
    partner: str  # only once the partner agreed to be named, and never a private one's name
    donor: str  # only a name the donor chose to show
    description: str
    amount: Decimal
    currency: str
    reporting_amount: Decimal
    reporting_currency: str
    rate: Decimal
    rate_date: datetime.date
    rate_source: str
    reverses_id: int | None


_PUBLIC_COLUMNS = (
    *ENTRY_FIELDS,
    "pk",
    "fund__slug",
    "counterparty_id",
    "partner_named",
    "donor__name",
    "donor__show_name",
    "donor__erased_at",
    "reverses_id",
)


def public_ledger_entries(funds: list[Fund]) -> Iterator[PublicEntry]:
    """Every entry of :func:`public_ledger`, newest first, for the public CSV.

    Read a chunk at a time as plain rows (a model instance, with its fund, partner and
    donor, cost more than writing the line), each fund along its index ``(fund, date,
    entry)``, merged here: a query over several funds would sort all their entries for
    every chunk. One query per fund per chunk, and one more for a chunk that meets
    partners not named before; the count does not grow with the ledger.
    """
    partners: dict[int, str] = {}
    per_fund = [_public_entries_of(fund, partners) for fund in funds]
    if len(per_fund) == 1:
        return per_fund[0]
    return heapq.merge(*per_fund, key=lambda entry: (entry.occurred_on, entry.pk), reverse=True)


def _public_entries_of(fund: Fund, partners: dict[int, str]) -> Iterator[PublicEntry]:
    rows = public_ledger([fund]).values_list(*_PUBLIC_COLUMNS, named=True)
    chunks = keyset_chunks(
        rows, field="occurred_on", descending=True, size=CSV_CHUNK, first=CSV_FIRST
    )
    for chunk in chunks:
        unnamed = {row.counterparty_id for row in chunk if row.partner_named} - partners.keys()
        if unnamed:
            organisations = Organisation.objects.filter(pk__in=unnamed).only(
                "slug", "name", "original_language", "is_public"
            )
            partners.update((org.pk, public_name(org)) for org in organisations)
        for row in chunk:
            yield PublicEntry(
                pk=row.pk,
                occurred_on=row.occurred_on,
                fund=row.fund__slug,
                kind=row.kind,
                category=row.category,
                partner=partners[row.counterparty_id] if row.partner_named else "",
                donor=Donor.public_name_of(
                    name=row.donor__name,
                    show_name=row.donor__show_name,
                    erased_at=row.donor__erased_at,
                ),
                description=row.description,
                amount=row.amount,
                currency=row.currency,
                reporting_amount=row.reporting_amount,
                reporting_currency=row.reporting_currency,
                rate=row.rate,
                rate_date=row.rate_date,
                rate_source=row.rate_source,
                reverses_id=row.reverses_id,
            )


@dataclass(frozen=True)
class ConvoyCost:
    reference: str
    title: str
    deliveries: int
    cost: Decimal
    currency: str

    @property
    def per_delivery(self) -> Decimal | None:
        return (self.cost / self.deliveries).quantize(Decimal("0.01")) if self.deliveries else None


# Only convoys that have arrived: a public page never announces a convoy still on the road.
ARRIVED_STATUSES = ("arrived", "handed_over", "confirmed", "returned")


def convoy_costs(funds: list[Fund]) -> list[ConvoyCost]:
    """What each arrived convoy cost these funds, and per confirmed delivery (handover)."""
    rows = (
        Transaction.objects.filter(fund__in=funds, expense__convoy__isnull=False)
        .values("expense__convoy", "reporting_currency")
        .annotate(cost=money_sum("reporting_amount"))
        .order_by()
    )
    costs = {(r["expense__convoy"], r["reporting_currency"]): -r["cost"] for r in rows}
    if not costs:
        return []

    convoys = Convoy.objects.filter(
        pk__in={pk for pk, _currency in costs}, status__in=ARRIVED_STATUSES
    ).annotate(deliveries=Count("handovers", filter=Q(handovers__status="confirmed")))
    by_pk = {c.pk: c for c in convoys}
    result = [
        ConvoyCost(by_pk[pk].reference, by_pk[pk].title, by_pk[pk].deliveries, cost, currency)
        for (pk, currency), cost in costs.items()
        if pk in by_pk
    ]
    return sorted(result, key=lambda c: c.reference)
