"""Demo money, loaded by ``load_demo`` after the network, the campaigns and aid.

- USC's solidarity fund: the union donations of spring 2022 (more than £20,000 from several
  union bodies), a few individual gifts, and transfers to the Confederation of Free Trade
  Unions of Ukraine (KVPU).
- NUM Durham's convoy fund: the miners' convoys' costs (fuel, ferries, the vans
  themselves) as expense claims approved and paid, each linked to its aid convoy by the
  convoy's stable reference (``NUM-2022-01`` …) when the aid demo has created it.
- The US campaign's (USSC) T-shirt sales.

Rates come from the sample files in ``rates_samples/``. Idempotent: a fund that exists is
left as it is, so running twice posts nothing twice.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

D = Decimal
BY = "load_demo"
SAMPLES = Path(__file__).resolve().parent / "rates_samples"
DEMO_PASSWORD = "spilka-demo-2026"

# union body, date, amount (GBP), public description
UNION_GRANTS = [
    ("pcs", datetime.date(2022, 3, 2), D("5000.00"), "Emergency appeal: PCS national executive"),
    ("neu", datetime.date(2022, 3, 4), D("5000.00"), "NEU solidarity donation"),
    ("unison", datetime.date(2022, 3, 8), D("4000.00"), "UNISON international fund"),
    ("ucu", datetime.date(2022, 3, 10), D("2500.00"), "UCU congress collection"),
    ("aslef", datetime.date(2022, 3, 15), D("2500.00"), "ASLEF executive committee"),
    ("unison-health", datetime.date(2022, 3, 22), D("1200.00"), "Health service group collection"),
    ("num", datetime.date(2022, 3, 1), D("1500.00"), "NUM national office"),
]
# date, amount, currency, name (only if the donor opted in), public?
INDIVIDUAL_GIFTS = [
    (datetime.date(2022, 3, 3), D("50.00"), "GBP", "Sian Evans", True),
    (datetime.date(2022, 3, 7), D("25.00"), "GBP", "", False),
    (datetime.date(2022, 3, 9), D("200.00"), "PLN", "", False),
    (datetime.date(2022, 4, 12), D("100.00"), "EUR", "", False),
]
# date, amount, currency, description
KVPU_TRANSFERS = [
    (
        datetime.date(2022, 3, 25),
        D("8000.00"),
        "GBP",
        "Humanitarian aid for members in front-line cities",
    ),
    (
        datetime.date(2022, 6, 14),
        D("150000.00"),
        "UAH",
        "Generators and first-aid kits for KVPU unions",
    ),
    (datetime.date(2022, 10, 20), D("4000.00"), "EUR", "Winter support for displaced members"),
]
# convoy reference, the Friday before departure, fuel (PLN), ferry (GBP), van bought (GBP)
NUM_CONVOY_COSTS = [
    ("NUM-2022-01", datetime.date(2022, 3, 18), D("1840.00"), D("212.00"), D("3900.00")),
    ("NUM-2022-02", datetime.date(2022, 4, 14), D("1920.50"), D("226.00"), D("4400.00")),
    ("NUM-2022-03", datetime.date(2022, 5, 20), D("1760.00"), D("219.00"), None),
    ("NUM-2022-04", datetime.date(2022, 7, 1), D("2105.75"), D("248.00"), D("3650.00")),
    ("NUM-2022-05", datetime.date(2022, 8, 26), D("2230.00"), D("251.00"), None),
    ("NUM-2022-06", datetime.date(2022, 10, 14), D("1985.40"), D("240.00"), None),
    ("NUM-2022-07", datetime.date(2022, 12, 9), D("2010.00"), D("262.00"), None),
]
TSHIRT_SALES = [
    (datetime.date(2022, 4, 30), "M", 12),
    (datetime.date(2022, 5, 1), "L", 9),
    (datetime.date(2022, 5, 1), "S", 5),
    (datetime.date(2022, 6, 18), "XL", 4),
    (datetime.date(2022, 9, 5), "M", 7),
]


def _user(email: str, name: str, roles: list[tuple[Any, str]]) -> Any:
    from spilka.network.services import role_grant

    User = get_user_model()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, DEMO_PASSWORD, display_name=name)
    for org, role in roles:
        role_grant(by=BY, user=user, organisation=org, role=role)
    return user


def _fund(
    organisation: Any, slug: str, name: dict[str, str], currency: str, **fields: Any
) -> tuple[Any, bool]:
    from spilka.funds.models import Fund
    from spilka.funds.services.funds import fund_create

    existing = Fund.objects.filter(organisation=organisation, slug=slug).first()
    if existing:
        return existing, False
    return fund_create(
        by=BY, organisation=organisation, slug=slug, name=name, currency=currency, **fields
    ), True


def _usc(orgs: dict[str, Any], campaign: Any) -> int:
    from spilka.funds.services.donations import donation_record
    from spilka.funds.services.ledger import transaction_post

    fund, created = _fund(
        orgs["ukraine-solidarity-campaign"],
        "solidarity-fund",
        {
            "en": "Solidarity fund",
            "uk": "Фонд солідарності",
            "pl": "Fundusz solidarności",
            "ru": "Фонд солидарности",
        },
        "GBP",
        campaign=campaign,
        description={"en": "Money from unions and supporters for Ukrainian trade unions."},
    )
    if not created:
        return 0
    posted = 0
    for slug, day, amount, text in UNION_GRANTS:
        donation_record(
            fund=fund,
            amount=amount,
            currency="GBP",
            occurred_on=day,
            by=BY,
            counterparty=orgs[slug],
            counterparty_confirmed=True,  # the demo network agreed to it
            description=text,
        )
        posted += 1
    for day, amount, currency, name, public in INDIVIDUAL_GIFTS:
        donation_record(
            fund=fund,
            amount=amount,
            currency=currency,
            occurred_on=day,
            by=BY,
            donor_name=name or "",
            show_name=public,
        )
        posted += 1
    for day, amount, currency, text in KVPU_TRANSFERS:
        transaction_post(
            fund=fund,
            kind="transfer_out",
            amount=amount,
            currency=currency,
            occurred_on=day,
            by=BY,
            counterparty=orgs["kvpu"],
            counterparty_confirmed=True,  # the demo network agreed to it
            description=text,
        )
        posted += 1
    return posted


def _num_durham(orgs: dict[str, Any]) -> int:
    from spilka.aid.models import Convoy
    from spilka.funds.services import expenses
    from spilka.funds.services.donations import donation_record
    from spilka.funds.services.funds import treasury_settings_update

    durham = orgs["num-durham"]
    treasury_settings_update(by=BY, organisation=durham, second_approver_above=D("5000.00"))
    fund, created = _fund(
        durham,
        "convoy-fund",
        {"en": "Miners' convoy fund", "uk": "Фонд шахтарських конвоїв"},
        "GBP",
        description={"en": "Vans, fuel and ferries for medical aid to the miners of Pavlohrad."},
    )
    if not created:
        return 0
    treasurer = _user("treasurer@num-durham.example", "Gareth (NUM Durham)", [])
    driver = _user("driver@num-durham.example", "Dave (NUM Durham driver)", [(durham, "logistics")])
    donation_record(
        fund=fund,
        amount=D("2000.00"),
        currency="GBP",
        occurred_on=datetime.date(2022, 3, 5),
        by=BY,
        counterparty=orgs["num"],
        counterparty_confirmed=True,  # the demo network agreed to it
        description="NUM national office",
    )
    donation_record(
        fund=fund,
        amount=D("2500.00"),
        currency="GBP",
        occurred_on=datetime.date(2022, 3, 9),
        by=BY,
        counterparty=orgs["aslef"],
        counterparty_confirmed=True,  # the demo network agreed to it
        description="ASLEF: vans for the miners",
    )
    donation_record(
        fund=fund,
        amount=D("18000.00"),
        currency="GBP",
        occurred_on=datetime.date(2022, 3, 12),
        by=BY,
        description="Durham Miners' Gala collections and branch appeals",
    )

    convoys = {c.reference: c for c in Convoy.objects.filter(reference__startswith="NUM-2022-")}
    posted = 3
    receipt = _demo_receipt()
    for ref, day, fuel, ferry, van in NUM_CONVOY_COSTS:
        convoy = convoys.get(ref)
        if convoy is not None and convoy.organisation_id != durham.pk:
            convoy = None
        claims: list[tuple[str, list[dict[str, Any]]]] = [
            ("PLN", [{"category": "fuel", "description": f"Diesel, {ref}", "amount": fuel}]),
            (
                "GBP",
                [
                    {
                        "category": "ferry_tolls",
                        "description": f"Dover–Calais ferry, {ref}",
                        "amount": ferry,
                    }
                ],
            ),
        ]
        if van is not None:
            claims.append(
                (
                    "GBP",
                    [
                        {
                            "category": "vehicle",
                            "description": f"Van for {ref} (donated on arrival)",
                            "amount": van,
                        }
                    ],
                )
            )
        for currency, lines in claims:
            expense = expenses.expense_create(
                fund=fund,
                claimant=driver,
                title=lines[0]["description"],
                incurred_on=day,
                currency=currency,
                lines=lines,
                convoy=convoy,
            )
            expenses.receipt_attach(expense=expense, upload=receipt(), by=driver)
            expenses.expense_submit(expense=expense, by=driver)
            expenses.expense_approve(expense=expense, by=treasurer)
            expenses.expense_pay(expense=expense, by=treasurer)
            posted += 1
    return posted


def _demo_receipt() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    def make() -> SimpleUploadedFile:
        return SimpleUploadedFile(
            "receipt.pdf", b"%PDF-1.4\n% demo receipt\n%%EOF\n", content_type="application/pdf"
        )

    return make


def _ussc(orgs: dict[str, Any]) -> int:
    from spilka.funds.models import Product
    from spilka.funds.services.funds import treasury_settings_update
    from spilka.funds.services.ledger import transaction_post
    from spilka.funds.services.merchandise import product_create, sale_record

    ussc = orgs["ussc"]
    treasury_settings_update(by=BY, organisation=ussc, reporting_currency="USD")
    fund, created = _fund(
        ussc,
        "merchandise",
        {"en": "Solidarity merchandise", "uk": "Сувеніри солідарності"},
        "USD",
        description={
            "en": "T-shirts sold at forums and rallies; the money goes to Ukrainian unions."
        },
    )
    if not created:
        return 0
    product = Product.objects.filter(fund=fund, slug="tshirt").first() or product_create(
        by=BY,
        fund=fund,
        slug="tshirt",
        name={
            "en": "“Solidarity with Ukrainian workers” T-shirt",
            "uk": "Футболка «Солідарність з українськими робітниками»",
        },
        price=D("25.00"),
        currency="USD",
        variants={"S": 30, "M": 60, "L": 50, "XL": 20},
    )
    variants = {v.label: v for v in product.variants.all()}
    for day, size, quantity in TSHIRT_SALES:
        sale_record(by=BY, variant=variants[size], quantity=quantity, occurred_on=day)
    transaction_post(
        fund=fund,
        kind="transfer_out",
        amount=D("800.00"),
        currency="USD",
        occurred_on=datetime.date(2022, 9, 12),
        by=BY,
        counterparty=orgs["kvpu"],
        counterparty_confirmed=True,  # the demo network agreed to it
        description="T-shirt proceeds for KVPU's humanitarian fund",
    )
    return len(TSHIRT_SALES) + 1


@transaction.atomic
def load_funds_demo() -> dict[str, int]:
    from spilka.campaigns.models import Campaign
    from spilka.funds.services.rate_imports import rates_import
    from spilka.network.models import Organisation

    rates_import(
        text=(SAMPLES / "eurofxref-hist-sample.csv").read_text(encoding="utf-8"), fmt="ecb", by=BY
    )
    rates_import(
        text=(SAMPLES / "nbu-exchange-sample.json").read_text(encoding="utf-8"), fmt="nbu", by=BY
    )
    wanted = [
        "ukraine-solidarity-campaign",
        "num-durham",
        "ussc",
        "kvpu",
        "pcs",
        "neu",
        "unison",
        "unison-health",
        "ucu",
        "aslef",
        "num",
    ]
    orgs = {o.slug: o for o in Organisation.objects.filter(slug__in=wanted)}
    if len(orgs) < len(wanted):
        return {"funds_entries": 0}
    campaign = Campaign.objects.filter(slug="full-support-for-ukraine").first()
    posted = _usc(orgs, campaign) + _num_durham(orgs) + _ussc(orgs)
    return {"funds_entries": posted}
