"""CSV import of supporters, in bulk, through the same service the task worker runs.

    .venv/bin/python bench/import_supporters.py                 # 100,000 rows, PostgreSQL
    .venv/bin/python bench/import_supporters.py --rows 20000
    .venv/bin/python bench/import_supporters.py --database sqlite

The database (spilka_bench_outreach, or a temporary SQLite file) is created afresh. The
file has a tenth of its rows repeated, one in fifty malformed, half with phone numbers,
and a thousand addresses already known to the organisation. Prints rows/s and the time.
Target: 100,000 rows in under 30 s on PostgreSQL.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH_DB = "spilka_bench_outreach"


def setup_django(database: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "spilka.settings"
    os.environ["SPILKA_TASKS_BACKEND"] = "database"  # enqueue only: we run the work here
    os.environ["SPILKA_EMAIL_BACKEND"] = "smtp"
    if database == "postgres":
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
            c.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
            c.execute(f"CREATE DATABASE {BENCH_DB}")
        os.environ["DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:5432/{BENCH_DB}"
    else:
        var = tempfile.mkdtemp(prefix="spilka-bench-")
        os.environ.pop("DATABASE_URL", None)
        os.environ["SPILKA_VAR_DIR"] = var
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def organisation():
    from spilka.network.models import Organisation

    return Organisation.objects.create(
        slug="bench-org", name={"en": "Bench Solidarity Campaign"}, country="GB", is_public=True
    )


def make_csv(rows: int) -> bytes:
    rng = random.Random(1)
    first = ["Olena", "Marta", "Sian", "Taras", "Anna", "James", "Iryna", "Piotr", "Rosa", "Dmytro"]
    last = ["Petrenko", "Nowak", "Evans", "Kowalska", "Smith", "Bondar", "Davies", "Moroz"]
    lines = ["Email,First name,Last name,Phone,Language,Country,Tags"]
    for n in range(rows):
        if n % 50 == 49:
            lines.append(f"broken-{n},Bad,Row,,en,GB,")
            continue
        m = n if n % 10 else max(0, n - 7)  # every tenth row repeats an earlier address
        phone = f"+4479{m:08d}" if m % 2 else ""
        lines.append(
            f"person{m:07d}@example.org,{rng.choice(first)},{rng.choice(last)},{phone},"
            f"{rng.choice(['en', 'uk', 'pl', 'ru'])},{rng.choice(['GB', 'PL', 'UA', 'US'])},"
            f"{rng.choice(['gala', 'union', 'students', ''])}"
        )
    return "\n".join(lines).encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    args = parser.parse_args()
    setup_django(args.database)
    from django.db import transaction

    from spilka.lib.supporters import SupporterAction, supporter_action_announce
    from spilka.outreach.models import Supporter
    from spilka.outreach.services import imports

    org = organisation()
    from django.utils import timezone

    with transaction.atomic():  # a thousand people the organisation already knows
        for n in range(3, min(args.rows, 10_000), 10):
            supporter_action_announce(
                SupporterAction(
                    org.pk,
                    f"person{n:07d}@example.org",
                    "",
                    "en",
                    "GB",
                    "donated",
                    "funds.fund:1",
                    "Fund",
                    timezone.now(),
                    False,
                )
            )
    known = Supporter.objects.count()
    data = make_csv(args.rows)
    print(
        f"database: {args.database}; rows: {args.rows:,}; file: {len(data) / 1e6:.1f} MB; "
        f"already known: {known:,}"
    )
    started = time.perf_counter()
    upload = imports.import_upload(
        organisation=org,
        by="bench",
        filename="bench.csv",
        data=data,
        consent_given=True,
        consent_source="bench",
    )
    with transaction.atomic():
        imports.import_queue(supporter_import=upload, by="bench")
    queued = time.perf_counter()
    if os.environ.get("BENCH_PROFILE"):
        import cProfile

        cProfile.runctx(
            "imports.import_run(import_id=upload.pk)", globals(), locals(), sort="tottime"
        )
        done = upload.__class__.objects.get(pk=upload.pk)
    else:
        done = imports.import_run(import_id=upload.pk)
    finished = time.perf_counter()
    total = finished - started
    print(
        f"upload+count: {queued - started:.2f} s; run: {finished - queued:.2f} s; total: {total:.2f} s"
    )
    print(f"rows/s: {args.rows / total:,.0f}; load average after: {os.getloadavg()[0]:.1f}")
    print(
        f"created {done.created_count:,}, updated {done.updated_count:,}, repeated in file "
        f"{done.duplicate_count:,}, failed {done.failed_count:,}; supporters now "
        f"{Supporter.objects.count():,}"
    )
    assert Supporter.objects.count() == known + done.created_count


if __name__ == "__main__":
    main()
