"""Demo data for funds, loaded by `load_demo` after the network and the campaigns."""

from __future__ import annotations


def load_funds_demo() -> dict[str, int]:
    return {}
