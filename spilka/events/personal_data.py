"""Personal data the events app holds (registrants), for export and erasure.

Speakers are public people named by their own choice and are not matched by email.
"""

from __future__ import annotations

from typing import Any

from spilka.events.models import Registration, RegistrationConsent
from spilka.lib.personal_data import personal_data_register


def export(email: str) -> list[dict[str, Any]]:
    rows = []
    for registration in Registration.objects.filter(email=email).select_related("event"):
        rows.append(
            {
                "event": registration.event.slug,
                "name": registration.full_name,
                "email": registration.email,
                "language": registration.language,
                "time_zone": registration.time_zone,
                "status": registration.status,
                "answers": registration.answers,
                "registered_at": registration.created_at.isoformat(),
                "checked_in_at": registration.checked_in_at.isoformat()
                if registration.checked_in_at
                else None,
                "consents": [
                    {"organisation": c.organisation_id, "wording": c.wording}
                    for c in registration.consents.all()
                ],
            }
        )
    return rows


def erase(email: str) -> int:
    """Anonymise in place: the place and the check-in still count, the person is gone."""
    ids = list(Registration.objects.filter(email=email).values_list("pk", flat=True))
    RegistrationConsent.objects.filter(registration_id__in=ids).delete()
    for pk in ids:
        Registration.objects.filter(pk=pk).update(
            full_name="",
            email=f"erased-{pk}@invalid.invalid",
            answers={},
            base_url="",
            time_zone="",  # where they were, roughly: theirs, not the count's
        )
    return len(ids)


def register() -> None:
    personal_data_register("events.registrations", export=export, erase=erase)
