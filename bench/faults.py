"""Faults under signing load: is every acknowledged signature stored and mailed, once?

    .venv/bin/python bench/faults.py --database-url postgresql://postgres@127.0.0.1:5432/spilka_ops
    .venv/bin/python bench/faults.py --database-url ... --only db-refuse --seconds 10

Runs Spilka as docs/deployment.md does: gunicorn (5 sync workers, --timeout 30) and
``manage.py spilka_worker`` under a restart loop (restarted 5 s after it dies, as systemd's
``Restart=always``, ``RestartSec=5``), on PostgreSQL, with a Redis of its own (started here
on a spare port, ``appendonly yes``, ``appendfsync everysec``, in a temporary folder) as
cache (and sign intake, when the code uses one), mail to an SMTP sink in this process that
counts the mails each address receives. The app and the worker reach PostgreSQL through a
small TCP proxy of this script, so the database can refuse connections.

THE DATABASE NAMED IN --database-url IS DROPPED AND CREATED AGAIN, then migrated and loaded
with the demo network.

For each fault, on a fresh petition: load at --concurrency for --seconds (what a browser
does: GET the page, solve the proof-of-work, POST the form, each signer a new address);
the fault strikes a quarter of the way in. Then, without further signatures, it waits (up
to --wait seconds) until every acknowledged signer is stored and mailed, and prints:

  acked     answers that took the visitor to the thank-you page
  stored    rows for this petition in the database
  mailed    distinct addresses the SMTP sink received a mail for
  missing   acknowledged but not stored when the wait ended;  unmailed  stored, not mailed
  doubled   addresses mailed more than once;  refused  other answers, by status ("page
            503": the form's page; "503": the sign POST, told nothing was saved; "503 maybe
            saved": told it may have been; 500s would be bare errors)
  equal     every acknowledged signer stored, every stored signer mailed, nobody twice
  after     seconds from the end of the load until that held

Faults:
  worker-kill   SIGKILL of the task worker (the restart loop brings it back)
  web-kill      SIGKILL of one gunicorn worker (gunicorn starts another)
  redis-restart Redis stopped (SIGTERM: it syncs its append-only file) and started again
  redis-kill    Redis SIGKILLed and started again (append-only, fsync every second)
  db-refuse     the proxy closes every database connection and refuses new ones for 10 s
  table-lock    LOCK TABLE on the signature table, ACCESS EXCLUSIVE, held 10 s
  mail-kill     the worker SIGKILLed while it sends a batch of confirmation mails

For the run the proof-of-work difficulty is lowered and the per-address limit lifted
(every request comes from 127.0.0.1). Redis is emptied between faults so that what one
fault left stuck does not stall the next.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import html
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote_plus, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from fault_parts import (  # noqa: E402
    REDIS_SERVER,
    RESTART_SECONDS,
    TABLES,
    WEB_WORKERS,
    Database,
    DatabaseProxy,
    MailSink,
    RedisServer,
    Supervised,
    children,
    log,
    start_gunicorn,
)
from httpload import Connection, Result, run  # noqa: E402
from sign import CHALLENGE, free_port, solve  # noqa: E402

FAULTS = (
    "worker-kill",
    "web-kill",
    "redis-restart",
    "redis-kill",
    "db-refuse",
    "table-lock",
    "mail-kill",
)
OUTAGE_SECONDS = 10.0
POW_MAX_NUMBER = 50
MAYBE_SAVED = b'data-outage="maybe-saved"'
HIDDEN = re.compile(rb'<input type="hidden" name="([^"]+)" value="([^"]*)"')


# --- Load --------------------------------------------------------------------------------


@dataclass
class Load:
    slug: str
    prefix: str
    port: int
    acked: set[str] = field(default_factory=set)
    refused: collections.Counter[str] = field(default_factory=collections.Counter)

    async def sign(self, conn: Connection, n: int, result: Result) -> bool:
        page = f"/en/petitions/{self.slug}/"
        status, _, body = await conn.request("GET", page)
        found = CHALLENGE.search(body) if status == 200 else None
        if found is None:
            self.refused[f"page {status}"] += 1
            return False
        email = f"{self.prefix}{n}@example.org"
        fields = {k.decode(): html.unescape(v.decode()) for k, v in HIDDEN.findall(body)}
        fields.update(
            full_name=f"Fault Signer {n}",
            email=email,
            country="GB",
            postcode="",
            organisation_name="",
            website="",
            altcha=solve(html.unescape(found.group(1).decode())),
        )
        form = "&".join(f"{k}={quote_plus(v)}" for k, v in fields.items()).encode()
        status, headers, answer = await conn.request(
            "POST",
            f"/en/petitions/{self.slug}/sign/",
            form,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{self.port}{page}",
            },
        )
        if 300 <= status < 400 and "/thanks" in headers.get("location", ""):
            self.acked.add(email)
            return True
        # The outage page says whether what was sent may have been saved (lib/outage.py).
        self.refused[f"{status} maybe saved" if MAYBE_SAVED in answer else str(status)] += 1
        return False


# --- Faults ------------------------------------------------------------------------------


@dataclass
class Outcome:
    fault: str
    acked: int
    stored: int
    mailed: int
    lost: int
    unmailed: int
    doubled: int
    refused: dict[str, int]
    equal: bool
    after: float | None
    note: str = ""


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.folder = Path(tempfile.mkdtemp(prefix="spilka-faults-"))
        self.db = Database(args.database_url)
        self.redis = RedisServer(self.folder / "redis")
        self.sink = MailSink()
        parts = urlsplit(args.database_url)
        self.proxy = DatabaseProxy((parts.hostname or "127.0.0.1", parts.port or 5432))
        self.port = free_port()
        self.run_id = secrets.token_hex(3)
        self.web: subprocess.Popen[bytes] | None = None
        self.worker: Supervised | None = None

    def env(self) -> dict[str, str]:
        parts = urlsplit(self.args.database_url)
        netloc = parts.netloc.rsplit("@", 1)
        host = f"127.0.0.1:{self.proxy.port}"
        app_url = urlunsplit(
            parts._replace(netloc=f"{netloc[0]}@{host}" if len(netloc) == 2 else host)
        )
        env = dict(os.environ)
        for key in [k for k in env if k.startswith("SPILKA_")]:
            del env[key]
        env.update(
            DATABASE_URL=app_url,
            SPILKA_DEBUG="false",
            SPILKA_SECRET_KEY=SECRET,
            SPILKA_ALLOWED_HOSTS="127.0.0.1",
            SPILKA_SSL_REDIRECT="false",
            SPILKA_SECURE_COOKIES="false",
            SPILKA_HSTS_SECONDS="0",
            SPILKA_CACHE_URL=self.redis.url,
            SPILKA_EMAIL_BACKEND="smtp",
            SPILKA_EMAIL_HOST="127.0.0.1",
            SPILKA_EMAIL_PORT=str(self.sink.port),
            SPILKA_DEFAULT_FROM_EMAIL="Spilka <noreply@example.org>",
            SPILKA_BASE_URL=f"http://127.0.0.1:{self.port}",
            SPILKA_POW_MAX_NUMBER=str(POW_MAX_NUMBER),
            SPILKA_SIGN_RATE_LIMIT="100000000",
            SPILKA_VAR_DIR=str(self.folder / "var"),
            SPILKA_LOG_LEVEL="WARNING",
        )
        return env

    def prepare(self) -> None:
        self.redis.folder.mkdir()
        self.redis.start()
        self.sink.controller.start()
        self.proxy.start()
        log(
            f"redis-server on {self.redis.port} (appendonly yes), SMTP sink on {self.sink.port}, "
            f"database proxy on {self.proxy.port}"
        )
        self.db.recreate()
        env = self.env()
        petitions = ", ".join(
            f"('{fault}', 'faults-{fault}-{self.run_id}')" for fault in self.faults()
        )
        create = (
            "from spilka.demo import load_all; load_all()\n"
            "from spilka.campaigns.models import Campaign, Petition, Signature\n"
            "from spilka.campaigns.services.petitions import petition_create\n"
            "from django_tasks_db.models import DBTaskResult\n"
            "campaign = Campaign.objects.order_by('pk').first()\n"
            f"for fault, slug in [{petitions}]:\n"
            "    petition_create(by=None, campaign=campaign, slug=slug, status='open', goal=100000,\n"
            "        title={'en': 'Faults: ' + fault}, target={'en': 'Everyone'}, text={'en': 'A petition under fault.'})\n"
            "print(Signature._meta.db_table, Petition._meta.db_table, DBTaskResult._meta.db_table)\n"
        )
        log("migrating, loading the demo network, creating a petition per fault")
        for args in (
            ["migrate", "--noinput", "-v0"],
            ["createcachetable"],
            ["collectstatic", "--noinput", "-v0"],
        ):
            subprocess.run(
                [sys.executable, "manage.py", *args],
                cwd=ROOT,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        out = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", create],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        TABLES.update(signature=out[-3], petition=out[-2], task=out[-1])
        self.web = start_gunicorn(env, self.port, self.folder / "gunicorn.log")
        self.worker = Supervised(
            [sys.executable, "manage.py", "spilka_worker"], env, self.folder / "worker.log"
        )
        self.worker.start()
        sign_intake = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c",
             "from django.conf import settings; print(getattr(settings, 'SPILKA_SIGN_INTAKE', '-'))"],
            cwd=ROOT, env=env, capture_output=True, text=True,
        ).stdout.strip().splitlines()[-1:]  # fmt: skip
        log(
            f"gunicorn {WEB_WORKERS} sync workers on {self.port}; spilka_worker under a restart "
            f"loop ({RESTART_SECONDS:.0f} s); sign intake: {sign_intake[0] if sign_intake else '?'}"
        )

    def faults(self) -> list[str]:
        return self.args.only or list(FAULTS)

    def close(self) -> None:
        if self.worker:
            self.worker.stop()
        if self.web and self.web.poll() is None:
            self.web.terminate()
            self.web.wait(timeout=30)
        self.redis.stop()
        self.sink.controller.stop()
        if not self.args.keep:
            shutil.rmtree(self.folder, ignore_errors=True)
        else:
            log(f"logs kept in {self.folder}")

    # Each fault: a function run in a thread a quarter into the load.
    def strike(self, fault: str, load_done: threading.Event) -> str:
        assert self.worker and self.web
        if fault == "worker-kill":
            self.worker.kill()
            return "worker SIGKILLed"
        if fault == "web-kill":
            victims = children(self.web.pid)
            if not victims:
                return "no gunicorn worker found"
            os.kill(victims[0], signal.SIGKILL)
            return f"gunicorn worker {victims[0]} SIGKILLed"
        if fault in ("redis-restart", "redis-kill"):
            self.redis.stop(signal.SIGTERM if fault == "redis-restart" else signal.SIGKILL)
            time.sleep(1.0)
            self.redis.start()
            return "redis stopped and started again"
        if fault == "db-refuse":
            self.proxy.refuse(OUTAGE_SECONDS)
            return f"database refused connections for {OUTAGE_SECONDS:.0f} s"
        if fault == "table-lock":
            with self.db.connect(autocommit=False) as conn:
                conn.execute(f"LOCK TABLE {TABLES['signature']} IN ACCESS EXCLUSIVE MODE")
                time.sleep(OUTAGE_SECONDS)
                conn.rollback()
            return f"signature table locked for {OUTAGE_SECONDS:.0f} s"
        if fault == "mail-kill":
            deadline = time.monotonic() + self.args.seconds + 120
            while time.monotonic() < deadline:
                if self.db.mail_task_running() and self.sink.counts(self.prefix):
                    self.worker.kill()
                    return "worker SIGKILLed while sending confirmation mails"
                time.sleep(0.1)
            return "no confirmation-mail batch seen running: nothing killed"
        raise ValueError(fault)

    def run_fault(self, fault: str) -> Outcome:
        self.redis.flush()
        slug = f"faults-{fault}-{self.run_id}"
        self.prefix = f"f{self.run_id}-{fault}-"
        load = Load(slug=slug, prefix=self.prefix, port=self.port)
        note: list[str] = []
        load_done = threading.Event()

        def fault_thread() -> None:
            time.sleep(self.args.seconds / 4)
            note.append(self.strike(fault, load_done))

        async def warm(conn: Connection, n: int, result: Result) -> bool:
            status, _, _ = await conn.request("GET", f"/en/petitions/{slug}/")
            return status == 200

        # Every gunicorn worker loaded and the petition's page cached before the clock runs.
        asyncio.run(run("127.0.0.1", self.port, self.args.concurrency, 3.0, warm))
        thread = threading.Thread(target=fault_thread, daemon=True)
        log(f"{fault}: load for {self.args.seconds:.0f} s at concurrency {self.args.concurrency}")
        thread.start()
        result = asyncio.run(
            run("127.0.0.1", self.port, self.args.concurrency, self.args.seconds, load.sign)
        )
        load_done.set()
        unanswered = result.errors - sum(load.refused.values())
        if unanswered:
            load.refused["no answer"] += unanswered
        ended = time.monotonic()
        log(f"{fault}: load ended; {result.summary()}; waiting without signatures")
        equal_at: float | None = None
        while True:
            now = time.monotonic()
            stored = self.db.stored(slug)
            mails = self.sink.counts(self.prefix)
            mailed = set(mails)
            holds = (
                not thread.is_alive()
                and load.acked <= stored
                and stored <= mailed
                and mailed <= stored
                and all(n == 1 for n in mails.values())
            )
            if holds and equal_at is None:
                equal_at = now - ended
            if not holds:
                equal_at = None
            # Settled for 5 s (a late double would show), or out of time.
            if (
                equal_at is not None and now - ended - equal_at >= 5
            ) or now - ended > self.args.wait:
                break
            time.sleep(1.0)
        thread.join(timeout=1)
        return Outcome(
            fault=fault,
            acked=len(load.acked),
            stored=len(stored),
            mailed=len(mailed),
            lost=len(load.acked - stored),
            unmailed=len(stored - mailed),
            doubled=sum(1 for n in mails.values() if n > 1),
            refused=dict(load.refused),
            equal=equal_at is not None,
            after=equal_at,
            note="; ".join(note),
        )


def print_table(outcomes: list[Outcome], wait: float) -> None:
    print()
    print(
        f"{'fault':14} {'acked':>6} {'stored':>6} {'mailed':>6} {'missing':>7} {'unmailed':>8} "
        f"{'doubled':>7} {'equal':>5} {'after':>7}  refused answers; what happened"
    )
    for o in outcomes:
        after = f"{o.after:6.1f}s" if o.after is not None else f">{wait:.0f}s"
        refused = ", ".join(f"{k}: {v}" for k, v in sorted(o.refused.items())) or "none"
        print(
            f"{o.fault:14} {o.acked:6} {o.stored:6} {o.mailed:6} {o.lost:7} {o.unmailed:8} "
            f"{o.doubled:7} {'yes' if o.equal else 'NO':>5} {after:>7}  {refused}; {o.note}"
        )


SECRET = secrets.token_urlsafe(64)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url",
        required=True,
        help="PostgreSQL database to drop, create and use, e.g. postgresql://postgres@127.0.0.1:5432/spilka_faults",
    )
    parser.add_argument("--seconds", type=float, default=20.0, help="load per fault (20)")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--wait", type=float, default=180.0, help="bound on the wait after the load (180 s)"
    )
    parser.add_argument(
        "--only", type=lambda v: v.split(","), help=f"comma-separated, from {', '.join(FAULTS)}"
    )
    parser.add_argument("--keep", action="store_true", help="keep the logs folder")
    args = parser.parse_args()
    if not args.database_url.startswith(("postgresql://", "postgres://")):
        parser.error("--database-url must be a postgresql:// URL")
    for fault in args.only or ():
        if fault not in FAULTS:
            parser.error(f"unknown fault {fault!r}; choose from {', '.join(FAULTS)}")
    if not Path(REDIS_SERVER).exists():
        raise SystemExit(f"{REDIS_SERVER} is missing: apt install redis-server")
    bench = Bench(args)
    outcomes = []
    try:
        bench.prepare()
        print(
            f"load: {args.seconds:.0f} s per fault at concurrency {args.concurrency}; the fault strikes at "
            f"{args.seconds / 4:.1f} s; wait bound {args.wait:.0f} s; SPILKA_POW_MAX_NUMBER={POW_MAX_NUMBER}, "
            "per-address limit lifted",
            flush=True,
        )
        for fault in bench.faults():
            outcome = bench.run_fault(fault)
            outcomes.append(outcome)
            print_table([outcome], args.wait)
        print_table(outcomes, args.wait)
    finally:
        bench.close()


if __name__ == "__main__":
    main()
