"""Demo data for publishing, loaded by `load_demo` after the network and the campaigns."""

from __future__ import annotations


def load_publishing_demo() -> dict[str, int]:
    return {}
