"""Supporter counts under concurrent writers (PostgreSQL): sign-ups at once are each
counted once, and an import racing a sign-up for one of its addresses counts it once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from spilka.lib.supporters import SupporterAction, supporter_action_announce
from spilka.lib.testing import run_in_threads
from spilka.outreach.models import ImportStatus, Supporter
from spilka.outreach.services import imports
from spilka.outreach.services.counts import supporter_counts_differences
from spilka.outreach.services.import_writer import ImportWriter

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrency need PostgreSQL (CI runs it)",
    ),
]

THREADS = 8


def announce_sign_up(organisation_id: int, email: str) -> None:
    supporter_action_announce(
        SupporterAction(
            organisation_id=organisation_id,
            email=email,
            name="Olena Petrenko",
            language="uk",
            country="UA",
            kind="petition_signed",
            object_key="campaigns.petition:1",
            object_label="Make Zaporizhzhia safe",
            occurred_at=timezone.now(),
            consented_to_updates=True,
            consent_wording="I would like to receive updates by email.",
            confirmed_by_owner=True,
        )
    )


def test_sign_ups_to_two_organisations_at_once_are_each_counted_once(usc, razem):
    organisations = sorted([usc.pk, razem.pk])

    def work(n: int) -> None:
        with transaction.atomic():  # one confirmation, consenting to both organisations
            for organisation_id in organisations:
                announce_sign_up(organisation_id, f"signer{n}@example.org")
            # The same address, all at once.
            announce_sign_up(organisations[0], "everyone@example.org")

    assert [r for r in run_in_threads(work, THREADS) if isinstance(r, Exception)] == []
    assert Supporter.objects.filter(email="everyone@example.org").count() == 1
    assert supporter_counts_differences() == {}


def test_an_import_racing_a_sign_up_for_one_of_its_addresses_counts_it_once(
    usc, usc_admin, monkeypatch
):
    known = ImportWriter._known
    attempts = []

    def known_then_a_sign_up(self, rows):
        found = known(self, rows)
        attempts.append(len(found.by_email))
        if len(attempts) == 1:  # between the look-up and the insert, someone signs up
            signer = threading.Thread(target=_commit_sign_up, args=(usc.pk, "race@example.org"))
            signer.start()
            signer.join()
        return found

    monkeypatch.setattr(ImportWriter, "_known", known_then_a_sign_up)
    upload = imports.import_upload(
        organisation=usc,
        by=usc_admin,
        filename="members.csv",
        data=b"Email,Name\nrace@example.org,Race\nquiet@example.org,Quiet\n",
        consent_given=True,
        consent_source="Sign-up sheets",
        consent_wording="I want news from the campaign.",
    )
    imports.import_queue(supporter_import=upload, by=usc_admin)
    imports.import_run(import_id=upload.pk)
    upload.refresh_from_db()

    assert attempts == [0, 1]  # written again, the address now known
    assert upload.status == ImportStatus.DONE
    assert (upload.created_count, upload.updated_count) == (1, 1)
    assert Supporter.objects.filter(organisation=usc, email="race@example.org").count() == 1
    assert supporter_counts_differences() == {}


def _commit_sign_up(organisation_id: int, email: str) -> None:
    try:
        with transaction.atomic():
            announce_sign_up(organisation_id, email)
    finally:
        connections.close_all()
