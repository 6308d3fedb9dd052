"""The pieces ``bench/faults.py`` runs and breaks: a Redis server of its own, an SMTP sink,
a TCP proxy in front of PostgreSQL (to refuse connections), the worker under a restart loop
(as the deployment guide's systemd unit), gunicorn as the guide runs it, and the database
read directly to count what was stored and mailed."""

from __future__ import annotations

import collections
import contextlib
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from sign import free_port  # noqa: E402

RESTART_SECONDS = 5.0  # RestartSec=5 in the guide's spilka-worker.service
WEB_WORKERS = 5  # the guide's --workers 5
REDIS_SERVER = "/usr/bin/redis-server"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- The pieces: Redis, the SMTP sink, the database proxy, gunicorn, the worker --------


class RedisServer:
    def __init__(self, folder: Path) -> None:
        self.folder, self.port = folder, free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port", str(self.port),
                "--bind", "127.0.0.1",
                "--dir", str(self.folder),
                "--appendonly", "yes",
                "--appendfsync", "everysec",
                "--save", "",
                "--protected-mode", "yes",
                "--loglevel", "warning",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self.wait_ready()

    def wait_ready(self) -> None:
        import redis

        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        for _ in range(200):
            try:
                if client.ping():
                    return
            except redis.RedisError:
                time.sleep(0.05)
        raise SystemExit("redis-server did not start")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=30)

    def flush(self) -> None:
        import redis

        redis.Redis(port=self.port).flushall()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


class MailSink:
    """An SMTP server counting the mails each recipient receives."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.received: collections.Counter[str] = collections.Counter()
        self.lock = threading.Lock()
        self.port = free_port()
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
                with sink.lock:
                    for address in envelope.rcpt_tos:
                        sink.received[address.lower()] += 1
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def counts(self, prefix: str) -> dict[str, int]:
        with self.lock:
            return {a: n for a, n in self.received.items() if a.startswith(prefix)}


class DatabaseProxy:
    """TCP between the app and PostgreSQL; ``refuse`` cuts every connection and refuses new
    ones for a while (the database "refusing connections", as a failover or restart does)."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream, self.port = upstream, free_port()
        self.sockets: set[socket.socket] = set()
        self.lock = threading.Lock()
        self.listener: socket.socket | None = None

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(128)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # closed by refuse()
            try:
                server = socket.create_connection(self.upstream)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets.update((client, server))
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, target):
                with self.lock:
                    self.sockets.discard(s)
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()

    def refuse(self, seconds: float) -> None:
        assert self.listener is not None
        self.listener.close()
        with self.lock:
            cut = list(self.sockets)
        for s in cut:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
        time.sleep(seconds)
        self.start()


class Supervised:
    """The task worker under a restart loop: started again RESTART_SECONDS after it dies."""

    def __init__(self, args: list[str], env: dict[str, str], log_path: Path) -> None:
        self.args, self.env, self.log_path = args, env, log_path
        self.process: subprocess.Popen[bytes] | None = None
        self.stopping = False
        self.restarts = 0
        self.lock = threading.Lock()

    def start(self) -> None:
        with self.lock:
            out = self.log_path.open("ab")
            self.process = subprocess.Popen(
                self.args, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT
            )
        threading.Thread(target=self._watch, args=(self.process,), daemon=True).start()

    def _watch(self, process: subprocess.Popen[bytes]) -> None:
        process.wait()
        if self.stopping:
            return
        time.sleep(RESTART_SECONDS)
        if not self.stopping:
            self.restarts += 1
            self.start()

    def kill(self) -> None:
        with self.lock:
            if self.process and self.process.poll() is None:
                self.process.kill()

    def stop(self) -> None:
        self.stopping = True
        with self.lock:
            if self.process and self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    self.process.kill()


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def start_gunicorn(env: dict[str, str], port: int, log_path: Path) -> subprocess.Popen[bytes]:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    with log_path.open("ab") as out:
        process = subprocess.Popen(
            [
                str(gunicorn), "spilka.wsgi:application",
                "--workers", str(WEB_WORKERS),
                "--bind", f"127.0.0.1:{port}",
                "--timeout", "30",
                "--keep-alive", "30",
                "--log-level", "warning",
            ],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    for _ in range(300):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("gunicorn did not start")


# --- The database, read directly (not through the proxy) --------------------------------


class Database:
    def __init__(self, url: str) -> None:
        self.url = url

    def connect(self, autocommit: bool = True):
        import psycopg

        return psycopg.connect(self.url, autocommit=autocommit)

    def recreate(self) -> None:
        import psycopg

        parts = urlsplit(self.url)
        name = parts.path.lstrip("/")
        admin = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')

    def stored(self, slug: str) -> set[str]:
        with self.connect() as conn:
            rows = conn.execute(
                f"SELECT s.email FROM {TABLES['signature']} s JOIN {TABLES['petition']} p "
                "ON p.id = s.petition_id WHERE p.slug = %s",
                (slug,),
            ).fetchall()
        return {row[0].lower() for row in rows}

    def mail_task_running(self) -> bool:
        with self.connect() as conn:
            row = conn.execute(
                f"SELECT 1 FROM {TABLES['task']} WHERE status = 'RUNNING' "
                "AND task_path LIKE %s LIMIT 1",
                ("%signature_mail%",),
            ).fetchone()
        return row is not None


TABLES: dict[str, str] = {}
