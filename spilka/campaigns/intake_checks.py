"""The sign intake's start-up side: the ``check --deploy`` that its Redis persists, and the
worker's timer (``intake_tick``). Kept out of the services so importing the app's
configuration does not import the models."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core import checks

log = logging.getLogger(__name__)


def check_intake_persists(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """``manage.py check --deploy``: the intake acknowledges signatures that live only in
    Redis until they are drained, so that Redis must persist them (append-only)."""
    if settings.SPILKA_SIGN_INTAKE != "redis":
        return []
    from spilka.campaigns.services.signature_intake import _redis, redis_persistence

    problem = redis_persistence(_redis())
    if problem is None:
        return []
    return [
        checks.Error(
            f"The sign intake's Redis does not keep what it acknowledged: {problem}.",
            hint=(
                "Run Redis with 'appendonly yes' (or set SPILKA_SIGN_INTAKE_DURABLE=true if it "
                "persists and CONFIG is disabled), or set SPILKA_SIGN_INTAKE=direct. Until then "
                "every signature is written directly."
            ),
            id="spilka.E001",
        )
    ]


def intake_tick() -> None:
    from spilka.campaigns.services.signature_intake import intake_tick as tick

    tick()


def intake_start_up() -> None:
    """At the worker's start: say loudly when the intake's Redis does not persist."""
    for message in check_intake_persists():
        log.error("%s %s", message.msg, message.hint)
