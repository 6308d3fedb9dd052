"""The API keys page: administrators with a verified second factor only."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from conftest import client_for
from spilka.api.models import ApiKey
from spilka.api.services import key_hash
from spilka.lib.models import AuditEntry

pytestmark = pytest.mark.django_db

URL = "/en/org/ukraine-solidarity-campaign/api-keys/"


def test_an_admin_creates_a_key_and_sees_its_secret_once(usc, usc_admin):
    client = client_for(usc_admin)
    response = client.post(URL, {"name": "CRM", "scopes": ["supporters:read", "events:write"]})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    key = ApiKey.objects.get(organisation=usc, name="CRM")
    secret = response.context["secret"]
    assert key.key_hash == key_hash(secret) and key.scopes == ["supporters:read", "events:write"]
    assert secret in response.content.decode()
    listing = client.get(URL).content.decode()
    assert key.prefix in listing and secret not in listing
    assert AuditEntry.objects.filter(
        action="api.key.created", organisation=usc, actor=usc_admin
    ).exists()


def test_an_admin_revokes_a_key_after_confirming(usc, usc_admin):
    client = client_for(usc_admin)
    client.post(URL, {"name": "Old", "scopes": ["supporters:read"]})
    key = ApiKey.objects.get(organisation=usc, name="Old")
    confirm = client.get(f"{URL}{key.pk}/revoke/")
    assert confirm.status_code == 200 and ApiKey.objects.get(pk=key.pk).revoked_at is None
    assert client.post(f"{URL}{key.pk}/revoke/").status_code == 302
    assert ApiKey.objects.get(pk=key.pk).revoked_at is not None
    assert AuditEntry.objects.filter(action="api.key.revoked", organisation=usc).exists()


def test_without_a_verified_second_factor_the_page_asks_for_one(usc_admin):
    response = client_for(usc_admin, verified=False).get(URL)
    assert response.status_code == 302 and "/two-factor/" in response["Location"]


def test_an_organiser_of_another_organisation_cannot_reach_the_page(razem_organiser, usc):
    client = client_for(razem_organiser)
    assert client.get(URL).status_code in {403, 404}
    assert client.post(URL, {"name": "x", "scopes": ["supporters:read"]}).status_code in {403, 404}
    assert not ApiKey.objects.filter(organisation=usc).exists()


def test_a_key_of_another_organisation_cannot_be_revoked_here(usc_admin, demo):
    from spilka.api.testing import api_key

    other, _secret = api_key(demo["razem"], ["supporters:read"])
    client = client_for(usc_admin)
    assert client.post(f"{URL}{other.pk}/revoke/").status_code == 404
    assert ApiKey.objects.get(pk=other.pk).revoked_at is None


@pytest.mark.parametrize(
    "data",
    [
        {"name": "", "scopes": ["supporters:read"]},
        {"name": "x", "scopes": []},
        {"name": "x", "scopes": ["root:all"]},
        {"name": "x", "scopes": ["supporters:read"], "expires_on": "yesterday"},
        {"name": "x", "scopes": ["supporters:read"], "expires_on": "2001-01-01"},
    ],
)
def test_bad_input_is_explained_not_saved(usc, usc_admin, data):
    response = client_for(usc_admin).post(URL, data)
    assert response.status_code == 400
    assert not ApiKey.objects.filter(organisation=usc).exists()


def test_an_expiry_day_is_kept(usc, usc_admin):
    day = (timezone.now() + datetime.timedelta(days=10)).date()
    client_for(usc_admin).post(
        URL, {"name": "Temp", "scopes": ["supporters:read"], "expires_on": day.isoformat()}
    )
    assert ApiKey.objects.get(name="Temp").expires_at.date() == day
