"""Campaign content volunteers may translate, registered through spilka.lib.translatable."""

from __future__ import annotations


def register() -> None:
    """Register petitions, resolutions and statements (filled in with the publishing issue)."""
