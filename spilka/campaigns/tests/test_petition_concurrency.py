"""Several signers at once on PostgreSQL: nothing lost, nothing doubled, counts equal rows."""

import pytest
from django.db import connection

from spilka.campaigns.models import Signature, SignatureStatus
from spilka.campaigns.services.petitions import Signer, petition_sign, signature_confirm
from spilka.lib.testing import errors_in_threads

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrency need PostgreSQL (CI runs it)",
    ),
]

THREADS = 8


def _sign(petition, email):
    return petition_sign(
        Signer(petition_id=petition.pk, full_name="Signer", email=email, country="GB")
    )


def test_eight_threads_signing_at_once_lose_and_double_nothing(open_petition):
    per_thread = 25

    def work(n):
        for i in range(per_thread):
            _sign(open_petition, f"t{n}-{i}@example.org")

    assert errors_in_threads(work, THREADS) == []
    assert Signature.objects.filter(petition=open_petition).count() == THREADS * per_thread

    ids = list(Signature.objects.filter(petition=open_petition).values_list("pk", flat=True))
    chunks = [ids[n::THREADS] for n in range(THREADS)]

    def confirm(n):
        for pk in chunks[n]:
            signature_confirm(signature_id=pk)

    assert errors_in_threads(confirm, THREADS) == []
    open_petition.refresh_from_db()
    confirmed = Signature.objects.filter(
        petition=open_petition, status=SignatureStatus.CONFIRMED
    ).count()
    assert confirmed == THREADS * per_thread
    assert open_petition.confirmed_count == confirmed


def test_the_same_email_from_eight_threads_is_one_signature(open_petition):
    assert errors_in_threads(lambda n: _sign(open_petition, "same@example.org"), THREADS) == []
    assert Signature.objects.filter(petition=open_petition, email="same@example.org").count() == 1


def test_confirming_one_signature_eight_times_at_once_counts_it_once(open_petition):
    result = _sign(open_petition, "once@example.org")
    assert (
        errors_in_threads(lambda n: signature_confirm(signature_id=result.signature_id), THREADS)
        == []
    )
    open_petition.refresh_from_db()
    assert open_petition.confirmed_count == 1
