"""What the network permission tests share: the demo's USC and its private branch, a
client per persona, and the network URLs by name."""

from __future__ import annotations

import pytest
from django.urls import reverse

from spilka.network.models import Person

USC = "ukraine-solidarity-campaign"
CONVOY = "usc-convoy-team"
CONVOY_NAMES = ("USC convoy coordination team", "Команда координації конвоїв USC")


@pytest.fixture(autouse=True)
def _demo_network(request):
    # Every test, the anonymous ones included, looks at the demo network.
    return request.getfixturevalue("demo")


def persona_client(request, persona):
    if persona == "anon":
        return request.getfixturevalue("anon")
    return request.getfixturevalue("login")(request.getfixturevalue(persona))


def person_pk(email: str) -> int:
    return Person.objects.get(emails__email=email).pk


def network_url(name: str, slug: str = "", person_email: str = "") -> str:
    if name in {"directory", "network"}:
        return reverse(f"network:{name}")
    if name in {"person", "person_edit", "consent_create"}:
        return reverse(f"network:{name}", kwargs={"pk": person_pk(person_email)})
    return reverse(f"network:{name}", kwargs={"slug": slug})
