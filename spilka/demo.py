"""The whole demo: the network first, then what each app adds on top of it."""

from __future__ import annotations


def load_all() -> dict[str, int]:
    from spilka.aid.demo import load_aid_demo
    from spilka.campaigns.demo.campaigns import load_campaigns_demo
    from spilka.campaigns.demo.resolutions import load_resolutions_demo
    from spilka.campaigns.demo.statements import load_statements_demo
    from spilka.events.demo import load_events_demo
    from spilka.funds.demo import load_funds_demo
    from spilka.lib.db_stats import refresh_planner_statistics
    from spilka.network.demo import load_demo
    from spilka.outreach.demo import load_outreach_demo
    from spilka.publishing.demo import load_publishing_demo

    created = load_demo()
    created.update(load_campaigns_demo())
    created.update(load_resolutions_demo())
    created.update(load_statements_demo())
    # Money after aid: demo expenses point at the demo convoys.
    created.update(load_aid_demo())
    created.update(load_funds_demo())
    created.update(load_events_demo())
    created.update(load_publishing_demo())
    # The outreach demo reads back what the others wrote (its supporters come from the
    # signatures): with statistics it plans those reads for the tables' real sizes.
    refresh_planner_statistics()
    created.update(load_outreach_demo())
    refresh_planner_statistics()
    return created
