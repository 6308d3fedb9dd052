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
