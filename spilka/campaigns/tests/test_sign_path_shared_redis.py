"""The sign path when the shared cache and the intake are one Redis database (production's
usual set-up): one script counts the address, spends the proof-of-work solution and
appends the signature, so every abuse check must still hold through it.

Needs the Redis server at 127.0.0.1:6379 (CI has it); skipped with a reason otherwise.
"""

from __future__ import annotations

import pytest
from django.core import mail

from spilka.campaigns.models import Signature
from spilka.campaigns.services import signature_intake as intake
from spilka.campaigns.tests.conftest import sign_form_data
from spilka.lib.testing import NEEDS_REDIS, own_redis_url, redis_up

REDIS_URL = own_redis_url()


pytestmark = [
    pytest.mark.skipif(not redis_up(), reason=NEEDS_REDIS),
    pytest.mark.django_db,
]


@pytest.fixture
def shared_redis(settings):
    settings.CACHES = {
        "default": {"BACKEND": "spilka.lib.cache.RedisCache", "LOCATION": REDIS_URL},
    }
    settings.SPILKA_SIGN_INTAKE = "redis"
    settings.SPILKA_SIGN_INTAKE_DURABLE = True  # declared: the test Redis runs without append-only
    settings.SPILKA_SIGN_INTAKE_URL = REDIS_URL
    client = intake._redis()
    client.flushdb()
    assert intake._cache_sharing_intake() is not None  # the one-script path is the one tested
    yield client
    client.flushdb()


def _post(client, petition, data):
    return client.post(f"/en/petitions/{petition.slug}/sign/", data)


def _rate_counts(client) -> list[int]:
    return [int(client.get(key)) for key in client.scan_iter("*rl:sign:*")]


def test_one_script_accepts_the_signature_counts_the_address_and_spends_the_solution(
    shared_redis, client, petition, sign
):
    response = sign(petition, email="Halyna@Example.org")
    assert response.status_code == 302
    assert response["Location"].endswith("/thanks/")
    assert Signature.objects.filter(petition=petition, email="halyna@example.org").exists()
    assert len(mail.outbox) == 1
    assert _rate_counts(shared_redis) == [1]
    assert len(list(shared_redis.scan_iter("*pow:*"))) == 1
    assert shared_redis.xlen(intake.STREAM) == 0  # the drain (run at once in tests) took it


def test_a_replayed_solution_is_refused_and_nothing_is_appended(shared_redis, client, petition):
    data = sign_form_data(client, petition)
    assert _post(client, petition, data).status_code == 302
    response = _post(client, petition, dict(data, email="second@example.org"))
    assert response.status_code == 400
    assert "anti-spam check did not pass" in response.content.decode()
    assert 'value="Olena Petrenko"' in response.content.decode()  # nothing typed is lost
    assert not Signature.objects.filter(email="second@example.org").exists()
    assert shared_redis.xlen(intake.STREAM) == 0


def test_only_forms_with_a_valid_solution_count_towards_the_rate_limit(
    shared_redis, client, petition, sign, settings
):
    settings.SPILKA_SIGN_RATE_LIMIT = 2
    assert sign(petition, email="not-an-email").status_code == 400
    assert sign(petition, website="http://spam.example").status_code == 302  # bot
    assert sign(petition, email="empty@example.org", altcha="").status_code == 400
    assert _rate_counts(shared_redis) == []  # a page elsewhere cannot use up the limit
    data = sign_form_data(client, petition, email="s1@example.org")
    assert _post(client, petition, data).status_code == 302
    for n in range(3):  # replays of a spent solution are refused, not counted
        assert _post(client, petition, dict(data, email=f"r{n}@example.org")).status_code == 400
    assert _rate_counts(shared_redis) == [1]
    assert sign(petition, email="s2@example.org").status_code == 302
    response = sign(petition, email="s3@example.org")
    assert response.status_code == 429
    assert "Too many signatures" in response.content.decode()
    assert sorted(
        Signature.objects.filter(email__regex=r"^(s\d|r\d)@").values_list("email", flat=True)
    ) == ["s1@example.org", "s2@example.org"]
    assert _rate_counts(shared_redis) == [3]
    assert shared_redis.xlen(intake.STREAM) == 0


def test_when_the_cache_lives_elsewhere_the_marks_go_to_the_cache_first(
    settings, client, petition, sign
):
    settings.SPILKA_SIGN_INTAKE = "redis"
    settings.SPILKA_SIGN_INTAKE_DURABLE = True  # declared: the test Redis runs without append-only
    settings.SPILKA_SIGN_INTAKE_URL = REDIS_URL
    client_redis = intake._redis()
    client_redis.flushdb()
    try:
        assert intake._cache_sharing_intake() is None  # tests' cache is local memory
        data = sign_form_data(client, petition)
        assert _post(client, petition, data).status_code == 302
        assert _post(client, petition, dict(data, email="again@example.org")).status_code == 400
        assert Signature.objects.filter(email="olena.petrenko@example.org").exists()
        assert not Signature.objects.filter(email="again@example.org").exists()
    finally:
        client_redis.flushdb()
