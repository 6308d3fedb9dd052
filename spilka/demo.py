"""The whole demo: the network first, then what each app adds on top of it."""

from __future__ import annotations


def load_all() -> dict[str, int]:
    from spilka.campaigns.demo import load_campaigns_demo
    from spilka.campaigns.demo_resolutions import load_resolutions_demo
    from spilka.campaigns.demo_statements import load_statements_demo
    from spilka.network.demo import load_demo

    created = load_demo()
    created.update(load_campaigns_demo())
    created.update(load_resolutions_demo())
    created.update(load_statements_demo())
    return created
