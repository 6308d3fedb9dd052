"""Every page type at 100x the demo, on PostgreSQL: time and queries, as visitor and organiser.

    .venv/bin/python bench/scale.py            # build spilka_scale (100x) and spilka_scale_1x
    .venv/bin/python bench/scale.py --reuse    # measure the databases already built
    .venv/bin/python bench/scale.py --reuse --only funds: --runs 9

Databases: ``SCALE_DATABASE_URL`` (default postgresql://postgres@127.0.0.1:5432/spilka_scale)
holds the 100x network, ``SCALE_SMALL_DATABASE_URL`` (default .../spilka_scale_1x) the demo
alone, for the 1x query counts. How the 100x data is built: bench/scale_data.py.

Each page is requested ``--runs`` times through Django's test Client in this process, the
caches cleared before the first request (so the first is cold), inside a transaction rolled
back after each request (the data stays as built). Wall time and query count
(CaptureQueriesContext) per request. Anonymous visitor for every page; then a user holding
the admin, organiser, treasurer and logistics roles of the big organisation, with a
verified second factor. Streaming answers (exports) are read up to their first 64 KB:
those rows say so. Answers that are not pages for that visitor (405, redirects to sign-in)
are listed apart and kept out of the target.

Each database is measured in a child process (settings read DATABASE_URL at start-up); the
parent prints the comparison.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

BIG_URL = "postgresql://postgres@127.0.0.1:5432/spilka_scale"
SMALL_URL = "postgresql://postgres@127.0.0.1:5432/spilka_scale_1x"
TARGET_MS = 150.0
STREAM_BYTES = 64 * 1024
ORGANISER = "organiser@usc.example"
ORGANISER_ROLES = ("admin", "organiser", "treasurer", "logistics")


def _setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "scale_settings"
    os.environ.setdefault("SPILKA_DEBUG", "false")
    os.environ.setdefault("SPILKA_SECRET_KEY", "scale-bench-" + "x" * 40)
    os.environ.setdefault("SPILKA_ALLOWED_HOSTS", "testserver,localhost")
    import django

    django.setup()


def _ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _built(factor: int) -> bool:
    from django.db import connection
    from scale_data import TOTALS

    tables = connection.introspection.table_names()
    if "campaigns_signature" not in tables:
        return False
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM network_organisation")
        orgs = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM campaigns_signature")
        signatures = cur.fetchone()[0]
    if factor >= 100:
        return signatures >= TOTALS["campaigns_signature"]
    return 0 < orgs < 100


def child_build(factor: int, reuse: bool) -> None:
    import scale_data
    from django.core.management import call_command

    call_command("migrate", "-v0")
    if reuse and _built(factor):
        print(f"  reusing the {factor}x data", flush=True)
    else:
        seconds = scale_data.build(factor)
        print(f"  built {factor}x in {seconds:.0f} s", flush=True)
    for table, n in scale_data.counts().items():
        print(f"    {table:<26} {n:>10,}")


def _organiser_client():
    from django.contrib.auth import get_user_model
    from django.test import Client

    from spilka.accounts.tests.otp import mark_verified
    from spilka.network import services
    from spilka.network.models import Organisation

    user = get_user_model().objects.get(email=ORGANISER)
    org = Organisation.objects.get(slug="ukraine-solidarity-campaign")
    for role in ORGANISER_ROLES:
        services.role_grant(by="bench/scale.py", user=user, organisation=org, role=role)
    return mark_verified(Client(), user)


def _clear_caches() -> None:
    from django.core.cache import caches

    from spilka.lib import process_cache

    for cache in caches.all():
        cache.clear()
    process_cache.clear_all()


def _one(client, path: str) -> tuple[float, int, int, bool]:
    from django.db import connection, reset_queries, transaction
    from django.test.utils import CaptureQueriesContext

    # The log keeps at most 9,000 queries; a capture counts its growth, so start it empty.
    reset_queries()
    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            try:
                response = client.get(path, secure=True)
            except Exception as exc:  # a 500: reported as such, the sweep goes on
                print(f"  500 {path}: {type(exc).__name__}: {exc}", flush=True)
                transaction.set_rollback(True)
                return (time.perf_counter() - started) * 1000, len(queries), 500, False
            streamed = bool(getattr(response, "streaming", False))
            if streamed:
                read = 0
                for chunk in response.streaming_content:
                    read += len(chunk)
                    if read >= STREAM_BYTES:
                        break
                response.close()
            else:
                _ = response.content
            elapsed = (time.perf_counter() - started) * 1000
        transaction.set_rollback(True)
    return elapsed, len(queries), response.status_code, streamed


def child_measure(runs: int, only: str | None, out: str) -> None:
    import scale_pages
    from django.test import Client
    from django.utils import translation

    translation.activate("en")
    objs = scale_pages.objects()
    pages, skipped = scale_pages.paths(objs)
    if only:
        pages = {k: v for k, v in pages.items() if any(o in k for o in only.split(","))}
    results = []
    clients = (("visitor", Client()), ("organiser", _organiser_client()))
    # As a gunicorn worker does after its warm-up (spilka/wsgi.py): the loaded code is
    # frozen, so no page pays for a full collection over it (100-300 ms).
    gc.collect()
    gc.freeze()
    for visitor, client in clients:
        for name, path in pages.items():
            _clear_caches()
            times, counts = [], []
            status = streamed = None
            limit = runs
            while len(times) < limit:
                ms, n, status, streamed = _one(client, path)
                times.append(ms)
                counts.append(n)
                if ms > 3000:  # a page this slow: three requests say enough
                    limit = min(runs, 3)
            results.append(
                {
                    "visitor": visitor,
                    "name": name,
                    "path": path,
                    "status": status,
                    "streamed": streamed,
                    "times": times,
                    "queries_cold": counts[0],
                    "queries_warm": counts[-1],
                }
            )
            print(
                f"  {visitor:<9} {name:<40} {status} {statistics.median(times):7.1f} ms"
                f" {counts[0]:>4} q",
                flush=True,
            )
    Path(out).write_text(json.dumps({"results": results, "skipped": skipped}))


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def _report(big: dict, small: dict | None) -> int:
    rows = big["results"]
    small_counts = {}
    if small:
        small_counts = {(r["visitor"], r["name"]): r for r in small["results"]}
    pages = [r for r in rows if r["status"] != 405]
    print(f"\n{len(pages)} page requests types measured ({len(rows) - len(pages)} answered 405)")
    if big["skipped"]:
        print("skipped (no object to aim at):", ", ".join(big["skipped"]))
    print(f"\n{'visitor':<9} {'page':<42} {'st':>3} {'p50':>7} {'p95':>7} {'q':>4} {'q@1x':>5}")
    over, growing = [], []
    for r in sorted(pages, key=lambda r: (r["visitor"], r["name"])):
        p50, p95 = _p(r["times"], 0.5), _p(r["times"], 0.95)
        s = small_counts.get((r["visitor"], r["name"]))
        q1 = s["queries_cold"] if s else None
        flag = ""
        if p95 > TARGET_MS and not r["streamed"]:
            over.append(r)
            flag += " SLOW"
        if s and s["status"] == r["status"] and r["queries_cold"] > q1:
            growing.append((r, q1))
            flag += " GROWS"
        if r["streamed"]:
            flag += " (stream, first 64 KB)"
        print(
            f"{r['visitor']:<9} {r['name']:<42} {r['status']:>3} {p50:7.1f} {p95:7.1f}"
            f" {r['queries_cold']:>4} {q1 if q1 is not None else '-':>5}{flag}"
        )
    print("\nslowest ten (p95):")
    for r in sorted(pages, key=lambda r: -_p(r["times"], 0.95))[:10]:
        print(
            f"  {_p(r['times'], 0.95):8.1f} ms  {r['queries_cold']:>4} queries  "
            f"{r['visitor']:<9} {r['name']} {r['path']}"
        )
    print(f"\npages over {TARGET_MS:.0f} ms at p95: {len(over)}")
    for r in over:
        print(f"  {r['visitor']:<9} {r['name']:<42} {_p(r['times'], 0.95):8.1f} ms")
    print(f"pages whose query count grows with the data (1x -> 100x): {len(growing)}")
    for r, q1 in growing:
        print(f"  {r['visitor']:<9} {r['name']:<42} {q1} -> {r['queries_cold']}")
    return 1 if over or growing else 0


def _child(url: str, args: list[str]) -> None:
    env = dict(os.environ, SCALE_CHILD_URL=url)
    subprocess.run([sys.executable, __file__, *args], env=env, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reuse", action="store_true", help="keep data already built")
    parser.add_argument("--runs", type=int, default=7, help="requests per page (first cold)")
    parser.add_argument("--only", help="comma-separated parts of page names to measure")
    parser.add_argument("--factor", type=int, default=100)
    parser.add_argument("--no-small", action="store_true", help="skip the 1x comparison")
    parser.add_argument("--child", choices=("build", "measure"), help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        _setup(os.environ["SCALE_CHILD_URL"])
        if args.child == "build":
            child_build(args.factor, args.reuse)
        else:
            child_measure(args.runs, args.only, args.out)
        return 0

    big_url = os.environ.get("SCALE_DATABASE_URL", BIG_URL)
    small_url = os.environ.get("SCALE_SMALL_DATABASE_URL", SMALL_URL)
    reuse = ["--reuse"] if args.reuse else []
    only = ["--only", args.only] if args.only else []
    var = ROOT / "var"
    var.mkdir(exist_ok=True)
    big_out, small_out = var / "scale-100x.json", var / "scale-1x.json"
    started = time.perf_counter()
    print(f"building {args.factor}x in {big_url.rsplit('/', 1)[1]}", flush=True)
    _ensure_database(big_url)
    _child(big_url, ["--child", "build", "--factor", str(args.factor), *reuse])
    if not args.no_small:
        print(f"building 1x in {small_url.rsplit('/', 1)[1]}", flush=True)
        _ensure_database(small_url)
        _child(small_url, ["--child", "build", "--factor", "1", *reuse])
    print(f"data ready in {time.perf_counter() - started:.0f} s\n", flush=True)
    small = None
    if not args.no_small:
        print("measuring 1x", flush=True)
        _child(small_url, ["--child", "measure", "--runs", "2", *only, "--out", str(small_out)])
        small = json.loads(small_out.read_text())
    print(f"measuring {args.factor}x", flush=True)
    _child(
        big_url,
        ["--child", "measure", "--runs", str(args.runs), *only, "--out", str(big_out)],
    )
    big = json.loads(big_out.read_text())
    print(
        "\nThe machine is shared (2 cores, ~8 sessions): times are pessimistic; the"
        " query counts are exact."
    )
    return _report(big, small)


if __name__ == "__main__":
    sys.exit(main())
