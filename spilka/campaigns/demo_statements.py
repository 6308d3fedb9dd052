"""Demo joint statements and bills (filled in by the statements and legislation work)."""

from __future__ import annotations


def load_statements_demo() -> dict[str, int]:
    return {}
