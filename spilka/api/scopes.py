"""What an API key may do: ``<family>:read`` or ``<family>:write`` per resource family.

A ``write`` scope includes ``read`` of the same family; ``funds:books`` (the treasurer's full
books) includes ``funds:read``. Views name their family (``scope_family``) and
``spilka.api.permissions.HasScope`` checks it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from spilka.network.models import Role

FAMILIES = ("supporters", "campaigns", "events", "aid", "funds", "publishing")
FAMILY_LABELS = {
    "supporters": _("Supporters, tags and lists"),
    "campaigns": _("Campaigns, petitions, resolutions and statements"),
    "events": _("Events and attendances"),
    "aid": _("Needs, pledges, convoys and handovers"),
    "funds": _("Funds and donations"),
    "publishing": _("Publications and translations"),
}
BOOKS = "funds:books"
ALL_SCOPES = tuple(
    [f"{family}:{level}" for family in FAMILIES for level in ("read", "write")] + [BOOKS]
)

# The organisation roles whose view a key with a family's scope takes, for the access helpers
# that decide by role (``network.access.has_role``). HasScope still gates each endpoint.
ROLES_FOR_FAMILY = {
    "supporters": {Role.ORGANISER},
    "campaigns": {Role.ORGANISER},
    "events": {Role.ORGANISER},
    "aid": {Role.LOGISTICS},
    "funds": {Role.VIEWER},
    "publishing": {Role.TRANSLATOR},
}


def scope_granted(scopes: Iterable[str], wanted: str) -> bool:
    """Whether ``scopes`` include ``wanted`` (``write`` covers ``read``; books cover funds)."""
    held = set(scopes)
    if wanted in held:
        return True
    family, _sep, level = wanted.partition(":")
    if level == "read" and f"{family}:write" in held:
        return True
    return wanted == "funds:read" and BOOKS in held


def roles_for_scopes(scopes: Iterable[str]) -> set[str]:
    roles: set[str] = set()
    for scope in scopes:
        if scope == BOOKS:
            roles.add(str(Role.TREASURER))
            continue
        family = scope.partition(":")[0]
        roles.update(str(role) for role in ROLES_FOR_FAMILY.get(family, ()))
    return roles


def clean_scopes(scopes: Iterable[str]) -> list[str]:
    """Known scopes only, in a stable order (unknown ones raise ``ValueError``)."""
    held = set(scopes)
    unknown = held - set(ALL_SCOPES)
    if unknown:
        raise ValueError(f"unknown scopes: {sorted(unknown)}")
    return [scope for scope in ALL_SCOPES if scope in held]
