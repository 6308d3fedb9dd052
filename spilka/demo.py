"""The whole demo: the network first, then what each app adds on top of it."""

from __future__ import annotations


def load_all() -> dict[str, int]:
    from spilka.campaigns.demo import load_campaigns_demo
    from spilka.network.demo import load_demo

    created = load_demo()
    created.update(load_campaigns_demo())
    return created
