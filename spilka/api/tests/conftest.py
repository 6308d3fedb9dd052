"""API personas: keys of USC (the organisation under test) and of Razem (another one).

- ``usc_reader``: a USC key with ``supporters:read`` only.
- ``usc_writer``: a USC key with ``supporters:write``.
- ``razem_reader``: a Razem key with ``supporters:read``: must never see USC's supporters.
"""

from __future__ import annotations

import pytest
from django.db import transaction

from spilka.api.testing import api_client, api_key
from spilka.outreach.models import Supporter, SupporterStatus


@pytest.fixture
def razem(demo):
    return demo["razem"]


@pytest.fixture
def usc_reader(usc, usc_admin):
    return api_key(usc, ["supporters:read"], by=usc_admin)


@pytest.fixture
def usc_writer(usc, usc_admin):
    return api_key(usc, ["supporters:write"], by=usc_admin)


@pytest.fixture
def razem_reader(razem):
    return api_key(razem, ["supporters:read"])


@pytest.fixture
def client_for_key():
    return api_client


def add_supporters(organisation, count, *, prefix="person", status=SupporterStatus.SUBSCRIBED):
    with transaction.atomic():
        return Supporter.objects.bulk_create(
            [
                Supporter(
                    organisation=organisation,
                    email=f"{prefix}{n}@example.org",
                    name=f"Given{n} Family{n}",
                    language="uk",
                    country="UA",
                    status=status,
                )
                for n in range(count)
            ]
        )
