"""The organiser's desk: for each of the user's organisations, what waits for them.

Each app answers for itself through ``desk_items_for(user, organisation)`` (and
``desk_starts_for`` for its "new …" buttons) in its selectors, applying its own access
rules; the desk only asks and lays the answers out. Apps never import this module, so the
dependency runs one way. Each app spends at most a couple of COUNT queries per organisation,
and none at all where the user's role there gives them nothing to do in that app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from spilka.aid.selectors import desk as aid_desk
from spilka.campaigns.selectors import desk as campaigns_desk
from spilka.events import selectors as events_selectors
from spilka.funds.selectors import desk as funds_desk
from spilka.lib.desk import DeskItem, DeskStart
from spilka.network import selectors as network_selectors
from spilka.network.access import PEOPLE_READ_ROLES, user_roles
from spilka.network.models import Organisation, Role
from spilka.outreach import selectors as outreach_selectors
from spilka.publishing import selectors as publishing_selectors

# In the order the desk shows them: answering other organisations first, then money, aid,
# words and people.
ITEM_SOURCES: tuple[Callable[[Any, Organisation], list[DeskItem]], ...] = (
    network_selectors.desk_items_for,
    campaigns_desk.desk_items_for,
    funds_desk.desk_items_for,
    aid_desk.desk_items_for,
    events_selectors.desk_items_for,
    publishing_selectors.desk_items_for,
    outreach_selectors.desk_items_for,
)
START_SOURCES: tuple[Callable[[Any, Organisation], list[DeskStart]], ...] = (
    campaigns_desk.desk_starts_for,
    events_selectors.desk_starts_for,
    aid_desk.desk_starts_for,
    outreach_selectors.desk_starts_for,
    publishing_selectors.desk_starts_for,
)


@dataclass
class DeskRow:
    organisation: Organisation
    roles: list[str]  # translated role names, for the heading
    can_see_people: bool
    items: list[DeskItem] = field(default_factory=list)
    starts: list[DeskStart] = field(default_factory=list)

    @property
    def waiting(self) -> int:
        return sum(item.count for item in self.items)


def desk_for(user: Any) -> list[DeskRow]:
    """One row per organisation where ``user`` holds a role, in slug order.

    Only organisations where the user holds a role: a superuser's powers elsewhere do not
    put every organisation's work on their desk.
    """
    roles = user_roles(user)
    if not roles:
        return []
    labels = dict(Role.choices)
    rows = []
    for organisation in Organisation.objects.filter(pk__in=list(roles)).order_by("slug"):
        held = roles[organisation.pk]
        row = DeskRow(
            organisation=organisation,
            roles=[str(labels[role]) for role in sorted(held) if role in labels],
            can_see_people=bool(held & PEOPLE_READ_ROLES),
        )
        for items_for in ITEM_SOURCES:
            row.items.extend(items_for(user, organisation))
        for starts_for in START_SOURCES:
            row.starts.extend(starts_for(user, organisation))
        rows.append(row)
    return rows
