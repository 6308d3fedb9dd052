"""A consent box ticked on a public form (a petition signature, an event registration):
to hear from one organisation, in the exact wording the person saw.

The form hands the service a :class:`ConsentChoice` per ticked box; the app keeps it in a
model built on :class:`TickedConsent` beside the signature or registration, until the person
confirms their address and outreach is told (``spilka.lib.supporters``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from spilka.network.models import Organisation


@dataclass(frozen=True)
class ConsentChoice:
    organisation: Organisation
    wording: str


class TickedConsent(models.Model):
    """The organisation, the wording as shown and its language. The subclass adds the
    foreign key to what carried the consent, and a unique constraint on it with the
    organisation (one box per organisation)."""

    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    wording = models.TextField(max_length=2000)
    language = models.CharField(max_length=8)

    class Meta:
        abstract = True
