"""Personal data the network app holds, for data-subject export and erasure.

Registered in the app's ready() through spilka.lib.personal_data.
"""

from __future__ import annotations


def register() -> None:
    """Register this app's handlers (filled in with the outreach issue)."""
