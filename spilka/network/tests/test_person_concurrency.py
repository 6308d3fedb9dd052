"""Several organisers adding the same person at once (PostgreSQL): one record, clear refusals."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from spilka.lib.testing import run_in_threads
from spilka.network import services
from spilka.network.models import Person, PersonEmail

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrency need PostgreSQL (CI runs it)",
    ),
]

THREADS = 8


def test_the_same_address_added_at_once_to_one_organisation_makes_one_person(demo):
    usc = demo["ukraine-solidarity-campaign"]

    def work(n):
        return services.person_create(
            by="test", full_name=f"Racer {n}", email="racer@usc.example", organisation=usc
        )

    results = run_in_threads(work, THREADS)
    people = [r for r in results if isinstance(r, Person)]
    refusals = [r for r in results if isinstance(r, ValidationError)]
    assert len(people) == 1
    assert len(refusals) == THREADS - 1
    assert all("already in your organisation" in " ".join(r.messages) for r in refusals)
    assert PersonEmail.objects.filter(email="racer@usc.example").count() == 1


def test_switching_the_primary_address_at_once_keeps_exactly_one(demo):
    usc = demo["ukraine-solidarity-campaign"]
    person = services.person_create(
        by="test", full_name="Many Addresses", email="many@usc.example", organisation=usc
    )

    def work(n):
        return services.person_add_email(
            person=person,
            by="test",
            email=f"many-{n}@usc.example",
            organisation=usc,
            make_primary=True,
        )

    results = run_in_threads(work, THREADS)
    assert not [r for r in results if isinstance(r, Exception)]
    assert person.emails.count() == THREADS + 1
    assert person.emails.filter(is_primary=True).count() == 1
