"""API keys: shown once, stored hashed, refused clearly when wrong, expired or revoked."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from spilka.api.models import ApiKey
from spilka.api.services import apikey_revoke, key_hash
from spilka.api.testing import api_client, api_key
from spilka.lib.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_a_new_key_is_stored_as_a_hash_and_its_secret_nowhere(usc, usc_admin):
    key, secret = api_key(usc, ["supporters:read"], by=usc_admin)
    stored = ApiKey.objects.get(pk=key.pk)
    assert stored.key_hash == key_hash(secret)
    assert secret not in str(ApiKey.objects.filter(pk=key.pk).values().get())
    assert secret.startswith(f"spk_{stored.prefix}_")
    entry = AuditEntry.objects.get(action="api.key.created", object_id=str(key.pk))
    assert entry.organisation == usc and entry.actor == usc_admin
    assert secret not in str(entry.after)


def test_the_key_is_accepted_in_the_osdi_header_and_as_a_bearer_token(usc_reader):
    _key, secret = usc_reader
    assert api_client(secret).get("/api/v1/people/").status_code == 200
    assert api_client(secret, header="bearer").get("/api/v1/people/").status_code == 200


@pytest.mark.parametrize(
    "secret",
    ["nonsense", "spk_", "spk_zzzzzzzz_wrong", "spk_" + "a" * 200, "Bearer", "spk_12345678_\x00"],
)
def test_a_wrong_key_is_a_401_in_json(usc_reader, secret):
    response = api_client(secret).get("/api/v1/people/")
    assert response.status_code == 401
    assert response.json()["error"] == "This API key is not valid."
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_right_prefix_with_a_wrong_secret_is_refused(usc_reader):
    key, secret = usc_reader
    forged = f"spk_{key.prefix}_" + "x" * 43
    assert api_client(forged).get("/api/v1/people/").status_code == 401


def test_a_revoked_key_is_refused_saying_so(usc_reader, usc_admin):
    key, secret = usc_reader
    apikey_revoke(key=key, by=usc_admin)
    response = api_client(secret).get("/api/v1/people/")
    assert response.status_code == 401
    assert response.json()["error"] == "This API key has been revoked."
    assert AuditEntry.objects.filter(
        action="api.key.revoked", organisation=key.organisation
    ).exists()


def test_an_expired_key_is_refused_saying_so(usc, usc_admin):
    _key, secret = api_key(
        usc,
        ["supporters:read"],
        by=usc_admin,
        expires_at=timezone.now() - datetime.timedelta(seconds=1),
    )
    response = api_client(secret).get("/api/v1/people/")
    assert response.status_code == 401
    assert response.json()["error"] == "This API key has expired."


def test_use_is_recorded_at_most_once_a_minute(usc_reader, django_assert_num_queries):
    key, secret = usc_reader
    client = api_client(secret)
    client.get("/api/v1/people/", REMOTE_ADDR="203.0.113.9")
    key.refresh_from_db()
    first = key.last_used_at
    assert first is not None and key.last_used_ip == "203.0.113.9"
    # Within the minute: no write, whatever the address.
    client.get("/api/v1/people/", REMOTE_ADDR="203.0.113.10")
    key.refresh_from_db()
    assert key.last_used_at == first and key.last_used_ip == "203.0.113.9"
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=first - datetime.timedelta(minutes=2))
    client.get("/api/v1/people/", REMOTE_ADDR="203.0.113.10")
    key.refresh_from_db()
    assert key.last_used_at > first and key.last_used_ip == "203.0.113.10"


def test_a_key_without_the_scope_gets_a_403_naming_it(usc):
    _key, secret = api_key(usc, ["campaigns:read"])
    response = api_client(secret).get("/api/v1/people/")
    assert response.status_code == 403
    assert "supporters:read" in response.json()["error"]


def test_no_key_on_a_private_collection_is_a_401(anon):
    response = api_client().get("/api/v1/people/")
    assert response.status_code == 401
    assert "OSDI-API-TOKEN" in response.json()["error"]


def test_a_write_scope_includes_read_and_books_include_funds_read():
    from spilka.api.scopes import scope_granted

    assert scope_granted(["supporters:write"], "supporters:read")
    assert not scope_granted(["supporters:read"], "supporters:write")
    assert scope_granted(["funds:books"], "funds:read")
    assert not scope_granted(["funds:read"], "funds:books")
    assert not scope_granted(["campaigns:write"], "supporters:read")
