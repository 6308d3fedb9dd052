"""Reading 100,000 supporters through the paginated OSDI people API (PostgreSQL).

    .venv/bin/python bench/api.py                       # 100,000 supporters, per_page=100
    .venv/bin/python bench/api.py --supporters 20000 --http

Uses the database ``spilka_api`` (migrated, demo network loaded when empty); creates the
missing supporters of one organisation with bulk inserts (reused on the next run), makes a
``supporters:read`` key, then follows ``_links.next`` from the first page to the last,
through Django's test client (in process) or, with ``--http``, a real HTTP server in a
thread (wsgiref) read with ``requests``. Prints records/s, pages, and the SQL queries of each
page (min/max: they must not grow with the page number).
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DB = "spilka_api"
os.environ["DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:5432/{DB}"
os.environ.setdefault("SPILKA_DEBUG", "false")
os.environ.setdefault("SPILKA_SECRET_KEY", "bench-only-" + "x" * 60)
os.environ.setdefault("SPILKA_ALLOWED_HOSTS", "testserver,127.0.0.1")
os.environ.setdefault("SPILKA_SSL_REDIRECT", "false")
os.environ.setdefault("SPILKA_VAR_DIR", "/tmp/spilka-bench-api")
os.environ.setdefault("SPILKA_CACHE_URL", "redis://127.0.0.1:6379/13")
os.environ.setdefault("SPILKA_API_KEY_RATE", "100000000/minute")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spilka.settings")
ORG = "ukraine-solidarity-campaign"


def ensure_database() -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB]).fetchone()
        if not exists:
            conn.execute(f"CREATE DATABASE {DB}")


def fill(total: int) -> None:
    from django.db import transaction

    from spilka.network.models import Organisation
    from spilka.outreach.models import Supporter, SupporterStatus

    if not Organisation.objects.filter(slug=ORG).exists():
        from spilka.network.demo import load_demo

        load_demo()
    org = Organisation.objects.get(slug=ORG)
    have = Supporter.objects.filter(organisation=org).count()
    start = time.perf_counter()
    n = have
    while n < total:
        batch = []
        for i in range(n, min(total, n + 5000)):
            batch.append(
                Supporter(
                    organisation=org,
                    email=f"bench-{i}@example.org",
                    name=f"Bench{i} Supporter",
                    language=("en", "uk", "pl", "ru")[i % 4],
                    country="UA" if i % 3 else "PL",
                    status=SupporterStatus.SUBSCRIBED if i % 5 else SupporterStatus.NO_CONSENT,
                    source="imported",
                )
            )
        with transaction.atomic():
            Supporter.objects.bulk_create(batch, ignore_conflicts=True)
        n += len(batch)
    if n > have:
        from spilka.outreach.services.counts import supporter_counts_rebuild

        supporter_counts_rebuild(organisation_id=org.pk)  # inserted in bulk, past the services
        print(f"created {n - have} supporters in {time.perf_counter() - start:.1f}s")
    print(f"{ORG}: {Supporter.objects.filter(organisation=org).count()} supporters")


def read_all(per_page: int, http: bool) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from spilka.api.services import apikey_create
    from spilka.network.models import Organisation

    org = Organisation.objects.get(slug=ORG)
    _key, secret = apikey_create(
        organisation=org, name="bench", scopes=["supporters:read"], by="bench"
    )
    records = pages = 0
    queries: list[int] = []
    if http:
        from wsgiref.simple_server import WSGIRequestHandler, make_server

        import requests
        from django.core.handlers.wsgi import WSGIHandler

        class Quiet(WSGIRequestHandler):
            def log_message(self, *args):  # noqa: ANN002
                pass

        server = make_server("127.0.0.1", 0, WSGIHandler(), handler_class=Quiet)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        session = requests.Session()
        session.headers["OSDI-API-TOKEN"] = secret
        url = f"http://127.0.0.1:{server.server_port}/api/v1/people/?per_page={per_page}"
        start = time.perf_counter()
        while url:
            body = session.get(url, timeout=30).json()
            records += len(body["_embedded"]["osdi:people"])
            pages += 1
            url = body["_links"].get("next", {}).get("href")
        elapsed = time.perf_counter() - start
        server.shutdown()
    else:
        client = Client(HTTP_OSDI_API_TOKEN=secret)
        url = f"/api/v1/people/?per_page={per_page}"
        client.get(url)  # records the key's first use (a write once a minute at most)
        start = time.perf_counter()
        while url:
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            assert response.status_code == 200, response.content[:300]
            body = response.json()
            queries.append(len(captured))
            records += len(body["_embedded"]["osdi:people"])
            pages += 1
            url = body["_links"].get("next", {}).get("href")
        elapsed = time.perf_counter() - start
    print(f"mode: {'HTTP (wsgiref, requests)' if http else 'in process (test client)'}")
    print(f"records: {records}  pages: {pages}  per_page: {per_page}")
    print(f"elapsed: {elapsed:.1f}s  rate: {records / elapsed:,.0f} records/s")
    if queries:
        print(
            f"SQL queries per page: min {min(queries)}, max {max(queries)} (first {queries[0]}, last {queries[-1]})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--supporters", type=int, default=100_000)
    parser.add_argument("--per-page", type=int, default=100)
    parser.add_argument("--http", action="store_true", help="through a real HTTP server")
    args = parser.parse_args()
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    fill(args.supporters)
    read_all(args.per_page, args.http)


if __name__ == "__main__":
    main()
