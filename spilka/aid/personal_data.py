"""Personal data held by aid: crew names and emails, recipients' signatures and photos."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from spilka.aid.models import CrewMember
from spilka.network.models import PersonEmail


def _person_ids(email: str) -> list[int]:
    return list(PersonEmail.objects.filter(email=email).values_list("person_id", flat=True))


def _crew(email: str) -> Any:
    return CrewMember.objects.filter(Q(email__iexact=email) | Q(person_id__in=_person_ids(email)))


def aid_export(email: str) -> list[dict[str, Any]]:
    return [
        {"kind": "convoy crew", "convoy": m.convoy.reference, "name": m.name, "role": m.role}
        for m in _crew(email).select_related("convoy")
    ]


def aid_erase(email: str) -> int:
    """Crew entries are anonymised in place: the convoy keeps its head count."""
    return _crew(email).update(name="(erased)", email="", person=None)
