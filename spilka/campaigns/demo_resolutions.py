"""Demo model resolution and its adoptions (filled in by the resolutions work)."""

from __future__ import annotations


def load_resolutions_demo() -> dict[str, int]:
    return {}
