"""A real receiver: ``http.server`` in a thread on 127.0.0.1, doing what the docs tell a
receiver to do: check the signature with the documented recipe, then process each
delivery id once (a repeat is answered 200 and not processed again).

Personas: ``usc_admin`` (conftest) and ``razem_admin``, the admin of another organisation.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from spilka.aid.tests import conftest as aid
from spilka.lib.testing import user_with_roles


def documented_check(secret: str, headers: Any, body: bytes) -> bool:
    """The Python recipe of docs/api.md ("Webhooks"), as a receiver would write it."""
    timestamp = headers["Spilka-Webhook-Timestamp"]
    expected = hmac.new(
        secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    return any(
        hmac.compare_digest(part.strip().removeprefix("v1="), expected)
        for part in headers["Spilka-Webhook-Signature"].split(",")
        if part.strip().startswith("v1=")
    )


@dataclass
class Receiver:
    url: str = ""
    secret: str = ""
    # Status codes to answer, in order; once used up, 200.
    answers: list[int] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    processed: list[str] = field(default_factory=list)  # delivery ids, each processed once
    bad_signatures: int = 0

    def handle(self, headers: Any, body: bytes) -> int:
        self.requests.append({"headers": dict(headers), "body": body})
        if self.secret and not documented_check(self.secret, headers, body):
            self.bad_signatures += 1
            return 401
        status = self.answers.pop(0) if self.answers else 200
        if 200 <= status < 300:
            delivery_id = json.loads(body)["id"]
            if delivery_id not in self.processed:  # dedupe on the id, as documented
                self.processed.append(delivery_id)
        return status


@contextmanager
def running_receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            status = state.handle(self.headers, body)
            payload = b'{"ok": true}' if status < 300 else b"receiver says no " * 100
            self.send_response(status)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_port}/hooks/spilka"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as state:
        yield state


@pytest.fixture(autouse=True)
def _private_hosts_allowed(settings):
    # The receiver lives on 127.0.0.1; the SSRF tests switch this off again.
    settings.SPILKA_WEBHOOKS_ALLOW_PRIVATE = True
    settings.SPILKA_WEBHOOKS_TIMEOUT = 2


@pytest.fixture
def razem_admin(demo):
    return user_with_roles("admin@razem.test", [(demo["razem"], "admin")])


# Nothing listens on the discard port: attempts fail at once, without any network.
CLOSED_PORT_URL = "http://127.0.0.1:9/hook"


# The aid app's personas and objects, for the pledge and handover events.
items, recipient_org, donor_org = aid.items, aid.recipient_org, aid.donor_org
recipient_logistics, donor_organiser = aid.recipient_logistics, aid.donor_organiser
need, pledge, loaded_convoy = aid.need, aid.pledge, aid.loaded_convoy
