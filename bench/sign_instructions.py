"""Instructions per request of the petition sign path, counted by valgrind's callgrind.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/spilka_bench \\
        .venv/bin/python bench/sign_instructions.py            # prepares the database as sign.py
    ... bench/sign_instructions.py --reuse --requests 200      # the database is ready

sign.py measures throughput over HTTP, which the load of a shared 2-core machine moves by a
fifth or more; this counts the instructions a request executes, which it does not move (two
runs of the same code agree within 0.3%). Use it to compare two versions of the code; use
sign.py for the targets.

Each kind of request (the bare view, the petition page, the sign POST) runs in a process of
its own under callgrind. It goes through spilka.wsgi's application (the lean stack, as under
gunicorn), warms up, then counts ``--requests`` requests of its kind. While counting, the
monotonic clock stands still, so the per-process caches kept for seconds hold as they do in
a process serving hundreds of requests a second (under valgrind a request takes 50 times
longer), and the cyclic garbage collector is off: its pauses fall on whichever request
triggers them (sign.py measures them with the rest). The POST goes into the Redis intake of
a redis-server of the run's own, as in sign.py.

Needs valgrind (with its headers) and a C compiler, for the two-function helper that tells
callgrind when to count.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import html
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import sign  # noqa: E402  (the same server settings, database and Redis as sign.py)

HELPER = """
#include <valgrind/callgrind.h>
void count_start(void) { CALLGRIND_ZERO_STATS; CALLGRIND_START_INSTRUMENTATION; }
void count_stop(void) { CALLGRIND_STOP_INSTRUMENTATION; CALLGRIND_DUMP_STATS_AT("counted"); }
"""
KINDS = ("bare", "page", "sign")
PAGE = f"/en/petitions/{sign.PETITION}/"
SIGN = f"/en/petitions/{sign.PETITION}/sign/"
CHALLENGE = re.compile(rb'data-pow-challenge="([^"]+)"')


def call(application: Any, method: str, path: str, body: bytes = b"") -> tuple[str, bytes]:
    """One request through the WSGI application, as gunicorn hands it over."""
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    if method == "POST":
        environ["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
    answer: dict[str, str] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        answer["status"] = status

    chunks = application(environ, start_response)
    content = b"".join(chunks)
    getattr(chunks, "close", lambda: None)()
    return answer["status"], content


def sign_body(challenge_json: str, n: int, run: str) -> bytes:
    payload = sign.solve(challenge_json)
    return (
        f"full_name=Bench+Signer+{n}&email=count-{run}-{n}%40example.org&country=GB"
        f"&postcode=&organisation_name=&website=&altcha={quote_plus(payload)}"
    ).encode()


def child(kind: str, requests: int, helper: str) -> None:
    """Runs under callgrind: warm up, then count ``requests`` requests of ``kind``."""
    from spilka.lib.pow import pow_challenge
    from spilka.wsgi import application

    run = os.urandom(4).hex()
    for n in range(20):  # every cache, template and connection a request needs
        status, page = call(application, "GET", PAGE)
        challenge = html.unescape(CHALLENGE.search(page).group(1).decode())  # type: ignore[union-attr]
        status, _ = call(application, "POST", SIGN, sign_body(challenge, n, run))
        assert status.startswith("302"), status
        call(application, "GET", "/bench/bare")
    bodies = [sign_body(pow_challenge(), 1000 + n, run) for n in range(requests)]
    if kind == "bare":
        one = lambda n: call(application, "GET", "/bench/bare")  # noqa: E731
    elif kind == "page":
        one = lambda n: call(application, "GET", PAGE)  # noqa: E731
    else:
        one = lambda n: call(application, "POST", SIGN, bodies[n])  # noqa: E731
    counter = ctypes.CDLL(helper)
    # No drain runs here: one holds the lease, as while the worker keeps up, so no request
    # queues one (a database write) in the middle of the count.
    import redis
    from django.conf import settings

    from spilka.campaigns.services.signature_intake import LEASE

    if settings.SPILKA_SIGN_INTAKE_URL:
        redis.Redis.from_url(settings.SPILKA_SIGN_INTAKE_URL).set(LEASE, 1, ex=3600)
    gc.collect()
    gc.disable()
    now = time.monotonic()
    time.monotonic = lambda: now  # the per-process caches hold while counting
    counter.count_start()
    for n in range(requests):
        status, _ = one(n)
    counter.count_stop()
    assert status[:3] in ("200", "302"), status


def count(kind: str, requests: int, helper: str, env: dict[str, str], out_dir: str) -> int:
    out = Path(out_dir) / f"{kind}.callgrind"
    subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            f"--callgrind-out-file={out}",
            sys.executable,
            __file__,
            "--child",
            kind,
            "--requests",
            str(requests),
            "--helper",
            helper,
        ],
        cwd=ROOT,
        env=dict(env, PYTHONHASHSEED="0"),
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for dump in Path(out_dir).glob(f"{kind}.callgrind*"):
        text = dump.read_text(errors="replace")
        if "Trigger: Client Request: counted" in text:
            return int(re.search(r"^totals: (\d+)", text, re.M).group(1))  # type: ignore[union-attr]
    raise SystemExit(f"callgrind wrote no count for {kind}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--reuse", action="store_true", help="the database is prepared already")
    parser.add_argument("--child", choices=KINDS)
    parser.add_argument("--helper")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.requests, args.helper)
        return
    for tool in ("valgrind", "cc"):
        if not shutil.which(tool):
            raise SystemExit(f"needs {tool}")
    work = tempfile.mkdtemp(prefix="spilka-count-")
    redis_server = None
    try:
        source = Path(work) / "count.c"
        source.write_text(HELPER)
        helper = str(Path(work) / "count.so")
        subprocess.run(["cc", "-shared", "-fPIC", "-O2", "-o", helper, str(source)], check=True)
        redis_url = ""
        if sign.REDIS_SERVER:
            redis_server, redis_url = sign.start_redis(work)
        elif sign.redis_up():
            redis_url = sign.BENCH_REDIS_URL
        env = sign.server_env("postgres", work, "redis", redis_url)
        if not args.reuse:
            sign.prepare(env, "postgres")
        env["DJANGO_SETTINGS_MODULE"] = "spilka.settings"
        print(f"instructions per request (callgrind, {args.requests} requests of each kind):")
        counts = {}
        for kind in KINDS:
            counts[kind] = count(kind, args.requests, helper, env, work) // args.requests
            print(f"  {kind:5} {counts[kind]:>12,}")
        signature = counts["page"] + counts["sign"]
        print(
            f"  a signature (page + sign POST) {signature:,}: "
            f"{signature / counts['bare']:.2f} bare requests"
        )
    finally:
        if redis_server is not None:
            redis_server.terminate()
            redis_server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
