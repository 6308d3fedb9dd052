"""Helpers for the tests that race threads against PostgreSQL's locks."""

from __future__ import annotations

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
