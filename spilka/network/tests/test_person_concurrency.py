"""Several organisers adding the same person at once (PostgreSQL): one record, clear refusals."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

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


def _run_in_threads(work, count=THREADS):
    barrier = threading.Barrier(count)
    results: list[object] = []

    def runner(n):
        try:
            barrier.wait()
            results.append(work(n))
        except Exception as error:  # collected and asserted below
            results.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_the_same_address_added_at_once_to_one_organisation_makes_one_person(demo):
    usc = demo["ukraine-solidarity-campaign"]

    def work(n):
        return services.person_create(
            by="test", full_name=f"Racer {n}", email="racer@usc.example", organisation=usc
        )

    results = _run_in_threads(work)
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

    results = _run_in_threads(work)
    assert not [r for r in results if isinstance(r, Exception)]
    assert person.emails.count() == THREADS + 1
    assert person.emails.filter(is_primary=True).count() == 1
