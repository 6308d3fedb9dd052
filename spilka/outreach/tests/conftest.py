"""Outreach personas and helpers, built through services.

- ``usc_admin`` (root conftest) runs the Ukraine Solidarity Campaign's outreach.
- ``razem_organiser`` (root conftest) organises Razem: must never reach USC's supporters.
- ``usc_treasurer``: holds a role at USC, but not one that opens the supporter list.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from spilka.lib.supporters import SupporterAction, supporter_action_announce
from spilka.lib.testing import user_with_roles


@pytest.fixture(autouse=True)
def _easy_proof_of_work(settings):
    settings.SPILKA_POW_MAX_NUMBER = 500


@pytest.fixture
def razem(demo):
    return demo["razem"]


@pytest.fixture
def usc_treasurer(demo):
    return user_with_roles(
        "treasurer@usc.test", [(demo["ukraine-solidarity-campaign"], "treasurer")]
    )


@pytest.fixture
def announce(django_capture_on_commit_callbacks):
    from django.db import transaction

    def _announce(
        organisation,
        email,
        *,
        name="Olena Petrenko",
        language="en",
        country="UA",
        kind="petition_signed",
        object_key="campaigns.petition:1",
        consented=True,
        confirmed=True,
        when=None,
    ):
        with transaction.atomic():
            supporter_action_announce(
                SupporterAction(
                    organisation_id=organisation.pk,
                    email=email,
                    name=name,
                    language=language,
                    country=country,
                    kind=kind,
                    object_key=object_key,
                    object_label="Make Zaporizhzhia safe",
                    occurred_at=when or timezone.now() - datetime.timedelta(days=1),
                    consented_to_updates=consented,
                    consent_wording="I would like to receive updates by email."
                    if consented
                    else "",
                    # As from a confirmed petition signature: its owner pressed the mailed link.
                    confirmed_by_owner=confirmed,
                )
            )
        from spilka.network.normalise import normalise_email
        from spilka.outreach.models import Supporter

        return Supporter.objects.get(organisation=organisation, email=normalise_email(email))

    return _announce
