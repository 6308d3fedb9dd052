"""Helpers for tests: threads raced against PostgreSQL's locks, the Redis server, and
phone photos stored sideways, and anonymous forms that must answer the same for a known and
an unknown address."""

from __future__ import annotations

import base64
import difflib
import html
import io
import json
import os
import re
import socket
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import altcha
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.db import connections
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt


def run_in_threads(work: Callable[[int], Any], count: int = 8) -> list[Any]:
    """Start ``work(0)`` … ``work(count - 1)`` together, each on its own connection.

    Returns, in thread order, what each call returned or the exception it raised.
    """
    barrier = threading.Barrier(count)
    outcomes: list[Any] = [None] * count

    def runner(n: int) -> None:
        try:
            barrier.wait()
            outcomes[n] = work(n)
        except Exception as error:  # the caller asserts on it
            outcomes[n] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def errors_in_threads(work: Callable[[int], Any], count: int = 8) -> list[Exception]:
    """``run_in_threads``, keeping only the exceptions raised."""
    return [o for o in run_in_threads(work, count) if isinstance(o, Exception)]


REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
NEEDS_REDIS = "needs Redis at 127.0.0.1:6379 (CI has it)"


def redis_up() -> bool:
    """Whether the Redis server the tests use answers (they skip with NEEDS_REDIS if not)."""
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=0.3):
            return True
    except OSError:
        return False


# Redis databases the tests may empty: 12 without pytest-xdist, else one per worker from 12 up
# (gw0: 12, gw1: 13, ...), so one worker's flushdb never empties another's stream or counters.
# Two suites on one machine (two checkouts) each need their own: SPILKA_TEST_REDIS_FIRST_DB
# moves the first one (the range ends at 15).
TEST_REDIS_FIRST_DB = int(os.environ.get("SPILKA_TEST_REDIS_FIRST_DB", "12"))
TEST_REDIS_LAST_DB = 15


def own_redis_url() -> str:
    """The Redis database this test process owns (see ``TEST_REDIS_FIRST_DB``)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    index = int(worker.removeprefix("gw")) if worker.startswith("gw") else 0
    db = TEST_REDIS_FIRST_DB + index
    if db > TEST_REDIS_LAST_DB:
        raise RuntimeError(
            f"pytest-xdist worker {worker} has no Redis database of its own: run the Redis "
            f"tests with at most {TEST_REDIS_LAST_DB - TEST_REDIS_FIRST_DB + 1} workers."
        )
    return f"redis://{REDIS_HOST}:{REDIS_PORT}/{db}"


def unreachable_redis_url() -> str:
    """A redis:// URL on a local port nothing listens on: Redis "down" for a test."""
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


ORIENTATION = 0x0112


def sideways_jpeg(width: int = 60, height: int = 30) -> bytes:
    """A phone photo stored sideways: left half red, right half blue, with EXIF
    orientation 6 ("turn 90° clockwise to view"), as phones write portrait shots."""
    from PIL import Image

    image = Image.new("RGB", (width, height), (255, 0, 0))
    image.paste((0, 0, 255), (width // 2, 0, width, height))
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, quality=95)
    return out.getvalue()


def assert_upright(data: bytes) -> None:
    """Turned clockwise, the red left half is on top and the blue right half below."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as stored:
        assert not stored.getexif()
        width, height = stored.size
        assert height > width
        rgb = stored.convert("RGB")
        top, bottom = (
            rgb.getpixel((width // 2, height // 8)),
            rgb.getpixel((width // 2, height * 7 // 8)),
        )
        assert isinstance(top, tuple) and isinstance(bottom, tuple)
        assert top[0] > 200 and top[2] < 60  # red
        assert bottom[2] > 200 and bottom[0] < 60  # blue


# Anonymous forms: the same answer for a known and an unknown address ------------------

# What changes from one request to the next whatever was typed: CSRF tokens and the
# proof-of-work challenge (a fresh salt and signature each time).
_PER_REQUEST = (
    re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")'),
    re.compile(r'(data-pow-challenge=")[^"]*(")'),
    re.compile(r'(name="altcha" value=")[^"]*(")'),
)


@dataclass(frozen=True)
class Answer:
    """What a visitor can observe of one answer, per-request tokens and their own input
    taken out; plus the work it left for after the commit (mail, tasks), counted."""

    status: int
    location: str
    body: str
    after_commit: int
    mailed_to: tuple[tuple[str, ...], ...]


def answer_of(response: Any, *, inputs: Iterable[str] = (), after_commit: int = 0) -> Answer:
    from django.core import mail

    body = "" if getattr(response, "streaming", False) else response.content.decode()
    for value in sorted({v for v in inputs if v}, key=len, reverse=True):
        body = body.replace(html.escape(value), "«input»").replace(value, "«input»")
    for pattern in _PER_REQUEST:
        body = pattern.sub(r"\1«token»\2", body)
    return Answer(
        status=response.status_code,
        location=response.get("Location", ""),
        body=body,
        after_commit=after_commit,
        mailed_to=tuple(tuple(message.to) for message in mail.outbox),
    )


def post_and_observe(
    client: Any,
    path: str,
    data: dict[str, Any],
    *,
    capture: Callable[..., Any],
    inputs: Iterable[str] = (),
) -> Answer:
    """POST as a browser would and run what it left for after the commit (mail goes to
    ``django.core.mail.outbox``). ``capture`` is pytest-django's
    ``django_capture_on_commit_callbacks``."""
    from django.core import mail

    mail.outbox = []
    with capture() as queued:
        response = client.post(path, data)
    # Counted before they run: what the worker then queues is the worker's time, not the
    # visitor's.
    with capture(execute=True):
        for callback in queued:
            callback()
    return answer_of(response, inputs=inputs, after_commit=len(queued))


def assert_same_answer(
    known: Answer, unknown: Answer, *, known_email: str, unknown_email: str
) -> None:
    """The visitor sees the same thing (status, redirect, page) for a known and an unknown
    input; the request does the same work (as many jobs left for after the commit, so
    neither branch skips a mail or a task the other queues); and any mail goes only to the
    address that was typed."""
    assert (known.status, known.location) == (unknown.status, unknown.location), (
        known.status,
        known.location,
        unknown.status,
        unknown.location,
    )
    if known.body != unknown.body:
        diff = difflib.unified_diff(
            known.body.splitlines(), unknown.body.splitlines(), "known", "unknown", lineterm=""
        )
        raise AssertionError("the pages differ:\n" + "\n".join(list(diff)[:60]))
    assert known.after_commit == unknown.after_commit, (known.after_commit, unknown.after_commit)
    for answer, email in ((known, known_email), (unknown, unknown_email)):
        for recipients in answer.mailed_to:
            assert [r.lower() for r in recipients] == [email.lower()], recipients


# People with roles --------------------------------------------------------------------

TEST_PASSWORD = "correct horse battery staple"


def user_with_roles(
    email: str,
    roles: Iterable[tuple[Any, str]] = (),
    *,
    password: str = TEST_PASSWORD,
    display_name: str | None = None,
) -> Any:
    """An account holding each (organisation, role), granted the way an admin grants it."""
    from django.contrib.auth import get_user_model

    from spilka.network.services import role_grant

    user = get_user_model().objects.create_user(
        email, password, display_name=display_name or email.split("@")[0]
    )
    for organisation, role in roles:
        role_grant(by="test setup", user=user, organisation=organisation, role=role)
    return user


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 as in production (the same library, the same ``argon2$`` hashes, ``verify``
    without re-encoding), with the smallest cost: tests hash a password in microseconds
    instead of about 0.2 s of CPU. Only the test settings use it (root ``conftest.py``)."""

    time_cost = 1
    memory_cost = 8
    parallelism = 1


def private_storage_move(storage: Any, location: str | None) -> str | None:
    """Point a file-system storage (the private one) at ``location`` for tests; returns the
    location it had. The storage is built once, when the models are imported, so the setting
    alone cannot move it: its cached paths are dropped too."""
    before = storage.__dict__.get("_location")
    storage._location = location
    for attr in ("base_location", "location"):
        storage.__dict__.pop(attr, None)
    return before


@contextmanager
def storages_moved(moves: Iterable[tuple[Any, str]]) -> Iterator[None]:
    """Each ``(storage, location)`` pointed at its location for the block, then put back
    where it was (in reverse order, so a storage named twice ends where it started)."""
    before = [(storage, private_storage_move(storage, location)) for storage, location in moves]
    try:
        yield
    finally:
        for storage, location in reversed(before):
            private_storage_move(storage, location)


def pow_solve_for_tests(challenge_json: str) -> str:
    """Solve a challenge the way the browser does (used by tests and the benchmark)."""
    data = json.loads(challenge_json)
    solution = altcha.solve_challenge_v1(
        data["challenge"], data["salt"], data["algorithm"], data["maxnumber"]
    )
    if solution is None:
        raise ValueError("unsolvable challenge")
    payload = {
        "algorithm": data["algorithm"],
        "challenge": data["challenge"],
        "number": solution.number,
        "salt": data["salt"],
        "signature": data["signature"],
    }
    return base64.b64encode(json.dumps(payload).encode()).decode()


@csrf_exempt
def bench_bare(request: HttpRequest) -> HttpResponse:
    """A bare Django view for bench/sign.py to compare the sign path against (routed only
    when SPILKA_BENCH_ENDPOINTS is set)."""
    return HttpResponse(b"ok", content_type="text/plain")
