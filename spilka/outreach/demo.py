"""Demo data for outreach, loaded by `load_demo` after the network and the campaigns."""

from __future__ import annotations


def load_outreach_demo() -> dict[str, int]:
    return {}
