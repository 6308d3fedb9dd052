"""Demo data for aid, loaded by `load_demo` after the network and the campaigns."""

from __future__ import annotations


def load_aid_demo() -> dict[str, int]:
    return {}
