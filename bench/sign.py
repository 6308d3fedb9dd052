"""Petition signing under load, measured over real HTTP against gunicorn.

    .venv/bin/python bench/sign.py                       # SQLite (a fresh file)
    .venv/bin/python bench/sign.py --database postgres   # PostgreSQL at 127.0.0.1:5432

Phases, each for a fixed time at the given concurrency on keep-alive connections:
  bare  GET of a bare Django view (the baseline: what the stack costs with no work)
  page  GET of the public petition page
  sign  what a browser does: GET the page, solve the proof-of-work, POST the form
  bare2 the bare view again; the ratios use the mean of bare and bare2
Then it checks that the database holds exactly the acknowledged signatures.

With Redis (a redis-server of the run's own with append-only on, or else the one at
127.0.0.1:6379, database 7 or SPILKA_BENCH_REDIS_URL) the sign path uses the intake stream
(SPILKA_SIGN_INTAKE=redis): signatures are acknowledged into Redis and a task worker,
started here on the default queue and sharing the same two cores, persists them in
batches during the phase. The count is taken once the worker has drained the stream, and
the time that took after the phase ends is printed. ``--intake direct`` measures the
one-transaction-per-signer path instead.

For the run it lowers the proof-of-work difficulty (SPILKA_POW_MAX_NUMBER) and lifts the
per-address rate limit (every request comes from 127.0.0.1); it prints both.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import html
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote_plus

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from httpload import Connection, Result, run  # noqa: E402

PETITION = "iaea-zaporizhzhia"
# The database (dropped and re-created) and the Redis database (flushed) the run owns: the
# database named in DATABASE_URL when it is a PostgreSQL one, and SPILKA_BENCH_REDIS_URL,
# so that two people benchmarking on one machine do not wipe each other's.
BENCH_DB = (
    os.environ["DATABASE_URL"].rsplit("/", 1)[1]
    if os.environ.get("DATABASE_URL", "").startswith("postgres")
    else "spilka_bench"
)
BENCH_REDIS_URL = os.environ.get("SPILKA_BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")
REDIS_SERVER = shutil.which("redis-server")
POW_MAX_NUMBER = 50


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_redis(var_dir: str) -> tuple[subprocess.Popen[bytes], str]:
    """A Redis of the run's own, configured as docs/deployment.md asks (append-only, fsync
    every second): the intake is used only on a Redis that persists."""
    port = free_port()
    process = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--dir", var_dir]
        + ["--appendonly", "yes", "--appendfsync", "everysec", "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(50):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process, f"redis://127.0.0.1:{port}/0"
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("redis-server did not start")


def redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


def server_env(database: str, var_dir: str, intake: str, redis_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        SPILKA_DEBUG="false",
        SPILKA_SECRET_KEY=secrets.token_urlsafe(64),
        SPILKA_ALLOWED_HOSTS="127.0.0.1",
        SPILKA_SSL_REDIRECT="false",
        SPILKA_SECURE_COOKIES="false",
        SPILKA_HSTS_SECONDS="0",
        SPILKA_EMAIL_BACKEND="smtp",  # mail waits in the task queue; no worker runs here
        SPILKA_POW_MAX_NUMBER=str(POW_MAX_NUMBER),
        SPILKA_SIGN_RATE_LIMIT="100000000",
        SPILKA_BENCH_ENDPOINTS="true",
        SPILKA_VAR_DIR=var_dir,
        SPILKA_LOG_LEVEL="WARNING",
    )
    env.pop("DATABASE_URL", None)
    if database == "postgres":
        env["DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:5432/{BENCH_DB}"
    if redis_url:
        env["SPILKA_CACHE_URL"] = redis_url
        env["SPILKA_SIGN_INTAKE"] = intake
    else:
        env["SPILKA_SIGN_INTAKE"] = "direct"
    return env


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:  # its task log, kept out of the figures
        return subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--queue-name",
                "default",
                "--interval",
                "0.2",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _pids() -> dict[str, list[int]]:
    """Processes by part, read from /proc: where the machine's CPU goes during a phase."""
    parts: dict[str, list[int]] = {"gunicorn": [], "postgres": [], "redis": [], "worker": []}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if "gunicorn" in cmdline and "spilka.wsgi" in cmdline:
            parts["gunicorn"].append(int(entry.name))
        elif cmdline.startswith("postgres:") and BENCH_DB in cmdline:
            parts["postgres"].append(int(entry.name))
        elif cmdline.split(" ", 1)[0].endswith("redis-server"):
            parts["redis"].append(int(entry.name))
        elif "db_worker" in cmdline and "manage.py" in cmdline:
            parts["worker"].append(int(entry.name))
    parts["load generator"] = [os.getpid()]
    return parts


def cpu_snapshot() -> dict[str, float]:
    return {part: sum(_cpu_seconds(pid) for pid in pids) for part, pids in _pids().items()}


def wait_for_drain(env: dict[str, str], timeout: float = 120.0) -> float:
    """Seconds until the intake stream is empty (everything acknowledged is persisted)."""
    import redis

    client = redis.Redis.from_url(env["SPILKA_CACHE_URL"])
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if client.xlen("spilka:sign-intake") == 0:
            return time.perf_counter() - start
        time.sleep(0.05)
    raise SystemExit("the intake stream did not drain")


def prepare(env: dict[str, str], database: str) -> None:
    python = sys.executable
    if database == "postgres":
        import psycopg

        with psycopg.connect(
            "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True
        ) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {BENCH_DB}")
    if env.get("SPILKA_CACHE_URL"):
        import redis

        redis.Redis.from_url(env["SPILKA_CACHE_URL"]).flushdb()
    for args in (
        ["migrate", "--noinput", "-v0"],
        ["createcachetable"],
        ["collectstatic", "--noinput", "-v0"],
        ["shell", "-c", "from spilka.demo import load_all; load_all()"],
    ):
        subprocess.run(
            [python, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
        )


def start_gunicorn(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [
            str(gunicorn),
            "spilka.wsgi:application",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--keep-alive",
            "30",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("gunicorn did not start")


CHALLENGE = re.compile(rb'data-pow-challenge="([^"]+)"')


async def bare(conn: Connection, n: int, result: Result) -> bool:
    status, _, _ = await conn.request("GET", "/bench/bare")
    return status == 200


async def page(conn: Connection, n: int, result: Result) -> bool:
    status, _, body = await conn.request("GET", f"/en/petitions/{PETITION}/")
    return status == 200 and b"sign-form" in body


def solve(challenge_json: str) -> str:
    """What the browser's pow.js does, in as little Python as possible: the load generator
    shares the machine with the server it measures, so its own work is kept small (the
    result is checked by the server like any browser's)."""
    data = json.loads(challenge_json)
    salt, target = data["salt"], data["challenge"]
    for number in range(data["maxnumber"] + 1):
        if hashlib.sha256(f"{salt}{number}".encode()).hexdigest() == target:
            data["number"] = number
            del data["maxnumber"]
            return base64.b64encode(json.dumps(data).encode()).decode()
    raise ValueError("unsolvable challenge")


async def sign(conn: Connection, n: int, result: Result) -> bool:
    status, _, body = await conn.request("GET", f"/en/petitions/{PETITION}/")
    if status != 200:
        return False
    payload = solve(html.unescape(CHALLENGE.search(body).group(1).decode()))
    # The form as a browser encodes it (only the proof-of-work needs escaping).
    form = (
        f"full_name=Bench+Signer+{n}&email=bench-{RUN}-{n}%40example.org&country=GB"
        f"&postcode=&organisation_name=&website=&altcha={quote_plus(payload)}"
    ).encode()
    status, headers, _ = await conn.request(
        "POST",
        f"/en/petitions/{PETITION}/sign/",
        form,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{PORT}/en/petitions/{PETITION}/",
        },
    )
    if status == 302 and headers.get("location", "").endswith("/thanks/"):
        return True
    result.notes[str(status)] = result.notes.get(str(status), 0) + 1
    return False


def count_signatures(env: dict[str, str]) -> int:
    code = f"from spilka.campaigns.models import Signature; print(Signature.objects.filter(email__startswith='bench-{RUN}-').count())"
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return int(out.stdout.strip().splitlines()[-1])


def main() -> None:
    global RUN, PORT
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--intake", choices=["redis", "direct"], default="redis")
    args = parser.parse_args()

    var_dir = tempfile.mkdtemp(prefix="spilka-bench-")
    redis_server, redis_url = None, ""
    if REDIS_SERVER:
        redis_server, redis_url = start_redis(var_dir)
    elif redis_up():
        redis_url = BENCH_REDIS_URL
    env = server_env(args.database, var_dir, args.intake, redis_url)
    os.environ.update({k: v for k, v in env.items() if k.startswith(("SPILKA_", "DATABASE_URL"))})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spilka.settings")
    import django

    django.setup()
    RUN = secrets.token_hex(4)
    prepare(env, args.database)
    PORT = free_port()
    server = start_gunicorn(env, PORT, args.workers)
    worker = (
        start_worker(env, Path(var_dir) / "worker.log")
        if env["SPILKA_SIGN_INTAKE"] == "redis"
        else None
    )
    try:
        print(
            f"database: {args.database}; gunicorn sync workers: {args.workers}; concurrency: {args.concurrency}; "
            f"{args.seconds:.0f} s per phase; cache: {'redis' if env.get('SPILKA_CACHE_URL') else 'default'}; "
            f"sign intake: {env['SPILKA_SIGN_INTAKE']}"
        )
        print(
            f"for this run: SPILKA_POW_MAX_NUMBER={POW_MAX_NUMBER} (default 50000), per-address sign limit lifted"
        )
        asyncio.run(run("127.0.0.1", PORT, args.concurrency, 2.0, page))  # warm up
        results = {}
        # The bare view is measured before and after the others; the ratios use the mean
        # of the two, so a machine that speeds up or slows down during the run (a shared
        # 2-core machine does) does not tilt them.
        for name, op in (("bare", bare), ("page", page), ("sign", sign), ("bare2", bare)):
            before = cpu_snapshot()
            results[name] = asyncio.run(run("127.0.0.1", PORT, args.concurrency, args.seconds, op))
            drained = None
            if name == "sign" and worker is not None:
                drained = wait_for_drain(env)  # the persisting belongs to the phase's cost
            after = cpu_snapshot()
            print(
                f"{name:5} {results[name].summary()}"
                + (f"  non-accepted: {results[name].notes}" if results[name].notes else "")
            )
            done = max(results[name].ok, 1)
            print(
                "      CPU ms per operation: "
                + ", ".join(
                    f"{part} {(after[part] - before.get(part, 0.0)) * 1000 / done:.2f}"
                    for part in after
                )
            )
            if drained is not None:
                print(f"      intake drained {drained:.2f} s after the sign phase ended")
        stored = count_signatures(env)
        acknowledged = results["sign"].ok
        bare_rate = (results["bare"].rate + results["bare2"].rate) / 2
        print(
            f"bare view: {results['bare'].rate:.1f}/s before, {results['bare2'].rate:.1f}/s after, "
            f"mean {bare_rate:.1f}/s"
        )
        print(
            f"signatures acknowledged {acknowledged}, stored {stored}: {'EXACT' if stored == acknowledged else 'MISMATCH'}"
        )
        print(
            f"sign/bare = {results['sign'].rate / bare_rate:.1%} (target >= 25%), sign p99 {results['sign'].percentile(99):.1f} ms (target < 100 ms)"
        )
        print(f"page/bare = {results['page'].rate / bare_rate:.1%} (target >= 50%)")
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=10)
        server.terminate()
        server.wait(timeout=10)
        if redis_server is not None:
            redis_server.terminate()
            redis_server.wait(timeout=10)
        shutil.rmtree(var_dir, ignore_errors=True)


RUN = ""
PORT = 0

if __name__ == "__main__":
    main()
