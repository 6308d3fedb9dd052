"""How long the public transparency page takes over a ledger of a million entries.

    .venv/bin/python bench/ledger_report.py                 # 1,000,000 entries, 15 renders
    .venv/bin/python bench/ledger_report.py --rows 100000 --repeats 5
    .venv/bin/python bench/ledger_report.py --reuse          # keep the loaded ledger

PostgreSQL only (127.0.0.1:5432, database spilka_bench_funds, created when missing). The
entries are loaded with COPY into one public fund of a bench organisation, the monthly
summary is rebuilt from them in SQL, the tables are ANALYZEd, and the page
``/en/money/org/<bench org>/`` is rendered through Django's test client (DEBUG on, so
static files need no manifest). It prints the median and spread of the render times,
against a 300 ms target, and, for comparison, the time of the same totals computed by
plain aggregation over the ledger (what the summary table saves).
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATABASE = "spilka_bench_funds"
ORG = "bench-ledger-org"
FUND = "bench-fund"


def ensure_database() -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE}"')


def setup_django() -> None:
    os.environ["DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:5432/{DATABASE}"
    os.environ.setdefault("SPILKA_VAR_DIR", tempfile.mkdtemp(prefix="spilka-bench-funds-"))
    os.environ["SPILKA_DEBUG"] = "true"
    os.environ["SPILKA_TASKS_BACKEND"] = "immediate"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spilka.settings")
    import django

    django.setup()


def load(rows: int, seed: int = 7) -> None:
    from django.core.management import call_command
    from django.db import connection

    from spilka.funds.models import Fund, MonthlySummary, Transaction
    from spilka.funds.services.funds import fund_create
    from spilka.funds.services.ledger import fund_summary_rebuild
    from spilka.network.demo import load_demo
    from spilka.network.models import Organisation
    from spilka.network.services import organisation_create

    call_command("migrate", verbosity=0)
    load_demo()
    call_command("import_rates", "--samples", stdout=io.StringIO())
    org = Organisation.objects.filter(slug=ORG).first() or organisation_create(
        by="bench",
        slug=ORG,
        name={"en": "Bench ledger organisation"},
        kind="campaign",
        country="GB",
        original_language="en",
    )
    fund = Fund.objects.filter(organisation=org, slug=FUND).first() or fund_create(
        by="bench", organisation=org, slug=FUND, name={"en": "Bench fund"}, currency="GBP"
    )
    with connection.cursor() as cursor:
        # TRUNCATE: the ledger refuses UPDATE and the ORM refuses DELETE; a bench reload is neither.
        cursor.execute("TRUNCATE funds_transaction, funds_monthlysummary CASCADE")
    partners = list(Organisation.objects.filter(country="UA").values_list("pk", flat=True))
    rng = random.Random(seed)
    start = datetime.date(2019, 1, 1)
    span = (datetime.date(2026, 10, 31) - start).days
    kinds = (
        ["donation"] * 70
        + ["grant"] * 8
        + ["merchandise"] * 8
        + ["expense"] * 10
        + ["transfer_out"] * 4
    )
    categories = ["fuel", "vehicle", "ferry_tolls", "medical", "translation", "printing", "other"]
    currencies = [
        ("GBP", "1.0000000000"),
        ("PLN", "0.1850000000"),
        ("EUR", "0.8600000000"),
        ("USD", "0.7900000000"),
    ]
    now = "2026-11-01 12:00:00+00"
    began = time.perf_counter()
    with connection.cursor() as cursor:
        copy_sql = (
            "COPY funds_transaction (fund_id, kind, occurred_on, amount, currency, reporting_amount, "
            "reporting_currency, rate, rate_date, rate_source, category, description, reference, "
            "counterparty_id, created_at) FROM STDIN"
        )
        with cursor.cursor.copy(copy_sql) as copy:
            for _n in range(rows):
                kind = rng.choice(kinds)
                day = start + datetime.timedelta(days=rng.randrange(span))
                currency, rate = rng.choice(currencies)
                cents = rng.randrange(100, 50000)
                sign = -1 if kind in ("expense", "transfer_out") else 1
                amount = sign * cents
                reporting = round(amount * float(rate))
                category = rng.choice(categories) if kind == "expense" else ""
                partner = rng.choice(partners) if kind == "transfer_out" and partners else None
                copy.write_row(
                    (
                        fund.pk,
                        kind,
                        day,
                        f"{amount / 100:.2f}",
                        currency,
                        f"{reporting / 100:.2f}",
                        "GBP",
                        rate,
                        day,
                        "same" if currency == "GBP" else "ecb",
                        category,
                        "bench entry",
                        "",
                        partner,
                        now,
                    )
                )
        cursor.execute("ANALYZE funds_transaction")
    loaded = time.perf_counter() - began
    began = time.perf_counter()
    lines = fund_summary_rebuild(fund)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE funds_monthlysummary")
    rebuilt = time.perf_counter() - began
    print(
        f"loaded {Transaction.objects.filter(fund=fund).count():,} entries by COPY in {loaded:.1f} s"
    )
    print(
        f"monthly summary: {lines:,} lines rebuilt from the ledger in {rebuilt:.2f} s "
        f"({MonthlySummary.objects.filter(fund=fund).count():,} rows)"
    )


def measure(repeats: int) -> None:
    from django.db.models import Sum
    from django.db.models.functions import TruncMonth
    from django.test import Client

    from spilka.funds.models import Transaction

    client = Client()
    url = f"/en/money/org/{ORG}/"
    response = client.get(url)  # warm: templates compiled, connections open
    assert response.status_code == 200, response.status_code
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200
    median = statistics.median(times)
    print(
        f"transparency page over the summary table: median {median:.1f} ms "
        f"(min {min(times):.1f}, max {max(times):.1f}, {repeats} renders) "
        f"target < 300 ms: {'met' if median < 300 else 'MISSED'}"
    )
    plain = []
    for _ in range(max(3, repeats // 3)):
        began = time.perf_counter()
        list(
            Transaction.objects.filter(fund__organisation__slug=ORG)
            .annotate(month=TruncMonth("occurred_on"))
            .values("month", "kind", "category", "counterparty_id")
            .annotate(total=Sum("reporting_amount"))
            .order_by("month")
        )
        plain.append((time.perf_counter() - began) * 1000)
    print(
        f"the same totals by plain aggregation over the ledger: median {statistics.median(plain):.1f} ms "
        "(one query; the page would add its rendering on top)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--reuse", action="store_true", help="keep the ledger already loaded")
    args = parser.parse_args()
    ensure_database()
    setup_django()
    from spilka.funds.models import Transaction

    if not (args.reuse and Transaction.objects.filter(fund__slug=FUND).exists()):
        load(args.rows)
    measure(args.repeats)


if __name__ == "__main__":
    main()
