"""Answers to one link request at the same moment (PostgreSQL): one wins, the rest are told."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from spilka.campaigns.services.campaigns import campaign_create
from spilka.lib.testing import run_in_threads
from spilka.network.link_requests import link_request_accept, link_request_decline
from spilka.network.models import LinkRequest, LinkRequestStatus

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrency need PostgreSQL (CI runs it)",
    ),
]

THREADS = 6


def test_accepting_and_declining_at_once_leaves_one_answer(demo):
    usc, razem = demo["ukraine-solidarity-campaign"], demo["razem"]
    campaign = campaign_create(
        by="test",
        slug="race-appeal",
        title={"en": "Race appeal"},
        lead_organisation=usc,
        co_organisers=[razem],
    )
    request = LinkRequest.objects.get(campaign=campaign, organisation=razem)

    def work(n):
        answer = link_request_accept if n % 2 == 0 else link_request_decline
        return answer(request=request, by="test")

    results = run_in_threads(work, THREADS)
    answered = [r for r in results if isinstance(r, LinkRequest)]
    refusals = [r for r in results if isinstance(r, ValidationError)]
    assert len(answered) == 1
    assert len(refusals) == THREADS - 1
    request.refresh_from_db()
    linked = campaign.co_organisers.filter(pk=razem.pk).exists()
    assert linked == (request.status == LinkRequestStatus.ACCEPTED)
