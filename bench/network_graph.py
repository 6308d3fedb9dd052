"""How long the server-side network picture takes to lay out, by network size.

Run: SPILKA_DEBUG=true .venv/bin/python bench/network_graph.py
Prints, for each size, the time of a first (uncached) layout and of a cached one.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spilka.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402

from spilka.network.graph import layout  # noqa: E402
from spilka.network.models import Organisation, Relationship  # noqa: E402


def fake_network(n: int, seed: int = 1) -> tuple[list[Organisation], list[Relationship]]:
    rng = random.Random(seed)
    orgs = [
        Organisation(pk=i + 1, slug=f"org-{i:04d}", name={"en": f"Org {i}"}, kind="trade_union")
        for i in range(n)
    ]
    rels = []
    for i in range(1, n):
        # A sparse, connected web: each organisation links to one or two earlier ones.
        for target in {rng.randrange(i), rng.randrange(i)}:
            rels.append(Relationship(source_id=i + 1, target_id=target + 1, kind="member_of"))
    return orgs, rels


def main() -> None:
    print(f"{'organisations':>13} {'links':>6} {'first layout (s)':>17} {'cached (ms)':>12}")
    for n in (27, 100, 200, 400):
        orgs, rels = fake_network(n)
        cache.clear()
        start = time.perf_counter()
        layout(orgs, rels)
        first = time.perf_counter() - start
        cached = []
        for _ in range(5):
            start = time.perf_counter()
            layout(orgs, rels)
            cached.append(time.perf_counter() - start)
        print(f"{n:>13} {len(rels):>6} {first:>17.3f} {statistics.median(cached) * 1000:>12.2f}")


if __name__ == "__main__":
    main()
