"""A transfer to a private partner is published without its name; only a partner the
treasurer may pick can be named at all."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from spilka.funds.models import Fund
from spilka.funds.services.ledger import transaction_post
from spilka.lib.testing import user_with_roles
from spilka.network import services as network_services
from spilka.network.link_requests import link_request_accept
from spilka.network.models import LinkKind, LinkRequest, LinkRequestStatus

pytestmark = pytest.mark.django_db

HIDDEN = "Hidden Receiving Collective"


@pytest.fixture
def hidden(demo):
    return network_services.organisation_create(
        by="test setup",
        slug="hidden-receiver",
        name={"en": HIDDEN, "uk": "Прихований отримувач"},
        kind="campaign",
        country="UA",
        is_public=False,
    )


@pytest.fixture
def usc_fund(demo):
    return Fund.objects.filter(
        organisation=demo["ukraine-solidarity-campaign"], is_public=True
    ).first()


@pytest.fixture
def treasurer(demo):
    return user_with_roles(
        "treasurer@usc.test", [(demo["ukraine-solidarity-campaign"], "treasurer")]
    )


def _transfer(fund, by, to):
    return transaction_post(
        fund=fund,
        kind="transfer_out",
        amount=Decimal("25.00"),
        currency=fund.currency,
        occurred_on=timezone.localdate() - datetime.timedelta(days=1),
        by=by,
        counterparty=to,
        description="Transfer",
    )


def test_a_transfer_to_a_private_organisation_the_treasurer_cannot_pick_is_refused(
    usc_fund, treasurer, hidden
):
    with pytest.raises(ValidationError) as refused:
        _transfer(usc_fund, treasurer, hidden)
    assert "counterparty" in refused.value.message_dict


def test_the_entry_form_does_not_offer_a_private_organisation(login, usc_fund, treasurer, hidden):
    page = login(treasurer).get(
        f"/en/money/org/{usc_fund.organisation.slug}/books/funds/{usc_fund.slug}/record/"
    )
    assert page.status_code == 200
    assert HIDDEN not in page.content.decode()


def test_the_transparency_page_and_csv_do_not_name_a_confirmed_private_partner(
    client, demo, usc_fund, treasurer, hidden
):
    link = network_services.relationship_create(
        by="test setup",
        source=hidden,
        target=demo["ukraine-solidarity-campaign"],
        kind="partner_of",
    )
    network_services.relationship_confirm(relationship=link, by="test setup")
    _transfer(usc_fund, treasurer, hidden)
    # The partner even agrees to be named in the accounts: being private still hides it.
    link_request_accept(
        request=LinkRequest.objects.get(
            kind=LinkKind.FUNDS_PARTNER, organisation=hidden, status=LinkRequestStatus.PENDING
        ),
        by="test setup",
    )
    slug = usc_fund.organisation.slug
    page = client.get(f"/en/money/org/{slug}/").content.decode()
    ledger = b"".join(client.get(f"/en/money/org/{slug}/ledger.csv")).decode()
    for body in (page, ledger):
        assert HIDDEN not in body and "hidden-receiver" not in body
        assert "a partner organisation (not public)" in body
    assert "Прихований" not in client.get(f"/uk/money/org/{slug}/").content.decode()
