"""Helpers for tests: threads raced against PostgreSQL's locks, and the Redis server."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from typing import Any

from django.db import connections


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


def unreachable_redis_url() -> str:
    """A redis:// URL on a local port nothing listens on: Redis "down" for a test."""
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"
