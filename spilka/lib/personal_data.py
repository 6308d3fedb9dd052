"""Where each app declares the personal data it holds about an email address.

Data-subject rights (a copy of one's data, erasure) walk this registry, so every app that
stores personal data registers one handler in its ``AppConfig.ready()``. Erasure must keep
counts: a signature stays counted and a donation stays in the ledger, anonymised.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PersonalDataHandler:
    name: str  # dotted, e.g. "campaigns.signatures"
    # normalised email -> JSON-serialisable records about that person
    export: Callable[[str], list[dict[str, Any]]]
    # normalised email -> how many records were anonymised; runs inside the caller's transaction
    erase: Callable[[str], int]


_handlers: dict[str, PersonalDataHandler] = {}


def personal_data_register(
    name: str,
    *,
    export: Callable[[str], list[dict[str, Any]]],
    erase: Callable[[str], int],
) -> None:
    _handlers[name] = PersonalDataHandler(name=name, export=export, erase=erase)


def personal_data_handlers() -> list[PersonalDataHandler]:
    return [_handlers[name] for name in sorted(_handlers)]
