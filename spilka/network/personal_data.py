"""Personal data the network app holds, for data-subject export and erasure.

Registered in the app's ready() through spilka.lib.personal_data.
"""

from __future__ import annotations

from typing import Any

from spilka.lib.personal_data import personal_data_register
from spilka.network.models import Consent, Person, PersonEmail


def export_people(email: str) -> list[dict[str, Any]]:
    records = []
    for person in Person.objects.filter(emails__email=email).prefetch_related(
        "emails", "consents__organisation", "memberships__organisation"
    ):
        records.append(
            {
                "full_name": person.full_name,
                "emails": [e.email for e in person.emails.all()],
                "phone": person.phone,
                "country": str(person.country or ""),
                "preferred_language": person.preferred_language,
                "memberships": [
                    {
                        "organisation": m.organisation.display_name,
                        "position": m.role_title,
                        "since": m.started_on.isoformat() if m.started_on else None,
                        "until": m.ended_on.isoformat() if m.ended_on else None,
                    }
                    for m in person.memberships.all()
                ],
                "consents": [
                    {
                        "organisation": c.organisation.display_name,
                        "purpose": c.purpose,
                        "granted": c.granted,
                        "wording": c.wording,
                        "source": c.source,
                        "when": c.recorded_at.isoformat(),
                    }
                    for c in person.consents.all()
                ],
            }
        )
    return records


def erase_people(email: str) -> int:
    """Anonymise the person: memberships and consent decisions stay (organisations' counts),
    with no name, address, phone or free-text source left on them."""
    count = 0
    for person in Person.objects.filter(emails__email=email).distinct():
        person.full_name = "[erased]"
        person.phone = ""
        person.country = ""
        person.save(update_fields=["full_name", "phone", "country", "updated_at"])
        for address in PersonEmail.objects.filter(person=person):
            address.email = f"erased-{address.pk}@invalid.invalid"
            address.save(update_fields=["email"])
        Consent.objects.filter(person=person).update(source="[erased]")
        person.memberships.update(role_title="")
        count += 1
    return count


def register() -> None:
    """Register this app's handlers."""
    personal_data_register("network.people", export=export_people, erase=erase_people)
