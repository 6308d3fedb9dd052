"""Demo data for events, loaded by `load_demo` after the network and the campaigns."""

from __future__ import annotations


def load_events_demo() -> dict[str, int]:
    return {}
