"""Signed, single-purpose tokens for links sent to registrants (nothing stored).

Each purpose has its own salt (a cancel link never opens the confirmation page) and its
own lifetime: the signature carries the time it was made, and a link older than its
purpose allows is refused like a forged one. Links are signed afresh in every mail
(confirmation, reminders, offers), so the newest mail always carries working links.
"""

from __future__ import annotations

from django.conf import settings

from spilka.lib.signing import id_read, id_token

REGISTRATION_SALT = "spilka.events.registration"  # the confirmation page with the join link
CANCEL_SALT = "spilka.events.cancel"
OFFER_SALT = "spilka.events.offer"
CHECKIN_SALT = "spilka.events.checkin"
# Only ever mailed, never shown on a page: pressing its button proves the registrant owns the
# address (consents take effect, the join link shows where the event waits for this).
EMAIL_SALT = "spilka.events.confirm-email"

DAY = 24 * 60 * 60
# Registrations open up to a year ahead (series are generated that far); a margin on top.
LONG_LIVED = 400 * DAY


def max_age(salt: str) -> int:
    """Seconds a token for this purpose stays valid."""
    if salt == OFFER_SALT:
        # An offer is held for SPILKA_EVENTS_OFFER_HOURS; a day's margin, then it is gone.
        hours = int(getattr(settings, "SPILKA_EVENTS_OFFER_HOURS", 24))
        return hours * 60 * 60 + DAY
    return LONG_LIVED


def make_token(registration_id: int, salt: str) -> str:
    return id_token(registration_id, purpose=salt)


def read_token(token: str, salt: str) -> int | None:
    """The registration id, or None for a forged, mangled or expired token."""
    return id_read(token, purpose=salt, max_age=max_age(salt))
