"""Who an API write is recorded as: the key's creator, labelled with the key.

``audit_record(actor=api_actor(request), ...)`` files the row under the user who created
the key (so the organisation's audit page links it) with ``actor_label`` naming the key,
e.g. ``admin@usc.test via API key 1a2b3c4d``. A key whose creator's account is gone is
recorded by label alone.
"""

from __future__ import annotations

import copy
from typing import Any

from spilka.api.permissions import request_key


def api_actor(request: Any) -> Any:
    key = request_key(request)
    if key is None:
        return getattr(request, "user", None)
    creator = key.created_by
    if creator is None:
        return str(key)
    actor = copy.copy(creator)  # the label changes on this copy only
    label = f"{creator.get_username()} via {key}"
    actor.get_username = lambda: label  # type: ignore[method-assign]
    return actor


def api_meta(request: Any) -> dict[str, str]:
    """What to add to an audit row's ``after`` to name the key explicitly."""
    key = request_key(request)
    return {"api_key": key.prefix} if key is not None else {}
