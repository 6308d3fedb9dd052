"""A private partner linked to everything (tests/private_partner.py) is never named by any
of Spilka's own API collections: not to visitors, not to another organisation's keys."""

from __future__ import annotations

import pytest

from spilka.network.tests.api_own import anonymous, get_all, key_client
from tests.private_partner import NAMES, SHORT_NAME, SLUG, link_private_partner

pytestmark = pytest.mark.django_db

PUBLIC_COLLECTIONS = [
    "organisations",
    "relationships",
    "campaigns",
    "resolutions",
    "adoptions",
    "statements",
    "cosignatures",
    "bills",
    "needs",
    "handovers",
    "funds",
    "ledger_entries",
    "publications",
]
KEY_COLLECTIONS = [*PUBLIC_COLLECTIONS, "pledges", "convoys", "translation_tasks"]
EVERY_SCOPE = [
    "campaigns:write",
    "aid:write",
    "funds:books",
    "publishing:write",
    "supporters:write",
    "events:write",
]


def _leaks(text: str) -> list[str]:
    secrets = [*NAMES.values(), SHORT_NAME, SLUG, "Zoryansk"]
    return [secret for secret in secrets if secret.casefold() in text.casefold()]


def test_no_collection_names_the_private_partner(demo):
    link_private_partner()
    outsider = key_client(demo["razem"], EVERY_SCOPE)
    for client, collections in ((anonymous(), PUBLIC_COLLECTIONS), (outsider, KEY_COLLECTIONS)):
        for collection in collections:
            text = str(get_all(client, collection))
            assert not _leaks(text), (collection, _leaks(text))


GARBAGE = ["\x00", "' or 1=1 --", "é" * 300, "99999999999999999999999", "%"]
FILTER_PARAMS = [
    "organisation",
    "campaign",
    "resolution",
    "statement",
    "fund",
    "tag",
    "status",
    "country",
    "kind",
    "oblast",
    "language",
    "target_language",
    "parliament",
    "state",
]


def test_garbage_ids_and_query_parameters_are_never_a_server_error(demo, settings):
    settings.SPILKA_API_KEY_RATE = "100000/hour"
    client = key_client(demo["razem"], EVERY_SCOPE)
    for collection in KEY_COLLECTIONS:
        for junk in GARBAGE:
            response = client.get(f"/api/v1/{collection}/", dict.fromkeys(FILTER_PARAMS, junk))
            assert response.status_code == 200, (collection, junk)
            response = client.get(f"/api/v1/{collection}/{junk}/")
            assert response.status_code == 404, (collection, junk, response.status_code)
            assert "json" in response["Content-Type"]
