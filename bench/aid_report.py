"""How long the public aid report takes to render on a large history (PostgreSQL).

    .venv/bin/python bench/aid_report.py                 # 100,000 lines, 20,000 handovers
    .venv/bin/python bench/aid_report.py --lines 20000 --handovers 4000 --repeats 5

Recreates the database ``spilka_bench_aid``, loads the demo network, then bulk-creates
convoys, handovers (90% confirmed, spread over three years) and manifest lines, and times
the public pages through Django's test client: the per-organisation report of the Durham
miners (donor on about a tenth of the lines), a recipient's report and the aid index.
Prints the median and the worst of the repeats, and the number of SQL queries per page.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DB = "spilka_bench_aid"
os.environ["DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:5432/{DB}"
os.environ.setdefault("SPILKA_DEBUG", "false")
os.environ.setdefault("SPILKA_SECRET_KEY", "bench-only-" + "x" * 60)
os.environ.setdefault("SPILKA_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SPILKA_VAR_DIR", "/tmp/spilka-bench-aid")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spilka.settings")


def recreate_database() -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB}")


def fill(lines_total: int, handovers_total: int, seed: int = 4) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from spilka.aid.models import Convoy, Handover, ManifestLine, Vehicle
    from spilka.aid.services.catalogue import catalogue_ensure
    from spilka.network.models import Organisation

    rng = random.Random(seed)
    items = list(catalogue_ensure(by="bench").values())
    durham = Organisation.objects.get(slug="num-durham")
    with transaction.atomic():
        extra = Organisation.objects.bulk_create(
            Organisation(
                slug=f"bench-org-{n:03d}",
                name={"en": f"Bench organisation {n}"},
                kind="union_branch",
                is_public=True,
            )
            for n in range(80)
        )
    recipients = extra[:50]
    donors = [*extra[50:], durham]
    per_convoy = 10
    convoys_total = handovers_total // per_convoy
    start = timezone.now() - datetime.timedelta(days=3 * 365)
    with transaction.atomic():
        convoys = Convoy.objects.bulk_create(
            Convoy(
                organisation=rng.choice(donors),
                reference=f"B-{n:06d}",
                title=f"Bench convoy {n}",
                status="confirmed",
                departed_at=start + datetime.timedelta(hours=n * 13),
                arrived_at=start + datetime.timedelta(hours=n * 13 + 60),
            )
            for n in range(convoys_total)
        )
        handovers = []
        for convoy in convoys:
            for recipient in rng.sample(recipients, per_convoy):
                confirmed = rng.random() < 0.9
                handovers.append(
                    Handover(
                        convoy=convoy,
                        recipient=recipient,
                        status="confirmed" if confirmed else "pending",
                        confirmed_at=convoy.arrived_at if confirmed else None,
                        signer_name="Bench signer" if confirmed else "",
                    )
                )
        handovers = Handover.objects.bulk_create(handovers, batch_size=5000)
        per_handover = max(lines_total // len(handovers), 1)
        convoy_orgs = {c.pk: c.organisation_id for c in convoys}
        batch = []
        for handover in handovers:
            for box in range(per_handover):
                item = rng.choice(items)
                quantity = Decimal(rng.randint(1, 40))
                donor = durham if rng.random() < 0.1 else rng.choice(donors)
                batch.append(
                    ManifestLine(
                        convoy_id=handover.convoy_id,
                        handover=handover,
                        item=item,
                        quantity=quantity,
                        received_quantity=quantity if handover.status == "confirmed" else None,
                        donor_organisation=donor,
                        estimated_value=Decimal(rng.randint(10, 4000)),
                        currency=rng.choice(["GBP", "GBP", "EUR", "PLN", "USD"]),
                        box_number=str(box + 1),
                        recipient_id=handover.recipient_id,
                        convoy_organisation_id=convoy_orgs[handover.convoy_id],
                        delivered_at=handover.confirmed_at,
                        public_from=handover.confirmed_at,
                    )
                )
            if len(batch) >= 20000:
                ManifestLine.objects.bulk_create(batch, batch_size=5000)
                batch = []
        ManifestLine.objects.bulk_create(batch, batch_size=5000)
        Vehicle.objects.bulk_create(
            Vehicle(
                convoy_id=h.convoy_id,
                make="Ford Transit",
                registration=f"BE{n:05d}",
                donated_stays=True,
                handover=h,
            )
            for n, h in enumerate(handovers[::7])
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(path: str, repeats: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.get(path, secure=True)  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        response = client.get(path, secure=True)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(path, secure=True)
    return statistics.median(times), max(times), len(queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--handovers", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()

    recreate_database()
    import django

    django.setup()
    from django.core.management import call_command

    from spilka.aid.models import Handover, ManifestLine
    from spilka.network.demo import load_demo

    call_command("migrate", "--noinput", verbosity=0)
    call_command("createcachetable", verbosity=0)
    load_demo()
    started = time.perf_counter()
    fill(args.lines, args.handovers)
    print(
        f"filled {ManifestLine.objects.count():,} manifest lines and {Handover.objects.count():,} handovers "
        f"in {time.perf_counter() - started:.1f} s (PostgreSQL, database {DB})"
    )
    print(f"{'page':<48} {'median ms':>10} {'max ms':>8} {'queries':>8}")
    for path in (
        "/en/aid/report/organisations/num-durham/",
        "/en/aid/report/organisations/bench-org-007/",
        "/en/aid/",
    ):
        median, worst, queries = measure(path, args.repeats)
        print(f"{path:<48} {median:>10.1f} {worst:>8.1f} {queries:>8}")
    from spilka.aid.selectors.reports import aid_report

    times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        aid_report()
        times.append((time.perf_counter() - start) * 1000)
    print(
        f"{'network-wide figures, uncached (aid_report())':<48} {statistics.median(times):>10.1f} {max(times):>8.1f}"
    )
    print(
        "the index page caches the network-wide figures for 60 s; target: report under 200 ms (median)"
    )


if __name__ == "__main__":
    main()
