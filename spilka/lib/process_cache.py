"""Values kept for a few seconds in each process, as plain Python objects.

Django's local-memory cache pickles every value on the way in and out; for the objects the
sign path of a viral petition reads on every request (the petition and its organisers)
that was a measurable part of the request. These caches hold the objects themselves, so a
caller must treat what it gets as read-only. Tests empty them all between tests
(``clear_all``), as they do Django's caches.
"""

from __future__ import annotations

import time
from typing import Any

_all: list[ProcessCache] = []


class ProcessCache:
    def __init__(self, max_entries: int = 1000) -> None:
        self.max_entries = max_entries
        self._entries: dict[Any, tuple[float, Any]] = {}
        _all.append(self)

    def get(self, key: Any) -> Any:
        """The value, or None once it is older than the seconds it was set for."""
        held = self._entries.get(key)
        if held is None or held[0] < time.monotonic():
            return None
        return held[1]

    def set(self, key: Any, value: Any, seconds: float) -> None:
        if len(self._entries) >= self.max_entries:
            self._entries.clear()
        self._entries[key] = (time.monotonic() + seconds, value)

    def clear(self) -> None:
        self._entries.clear()


def clear_all() -> None:
    for cache in _all:
        cache.clear()
