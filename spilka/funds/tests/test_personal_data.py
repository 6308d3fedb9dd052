"""Donors' data: exported on request, erased by anonymising; the ledger keeps its amounts."""

from decimal import Decimal

import pytest

from spilka.funds.models import Donor, Transaction
from spilka.funds.services.donations import donation_record
from spilka.funds.services.ledger import fund_balance
from spilka.lib.personal_data import personal_data_handlers

from .conftest import DAY

pytestmark = pytest.mark.django_db


def _handler(name):
    return next(h for h in personal_data_handlers() if h.name == name)


def test_a_donor_s_data_is_exported_and_erasure_keeps_the_ledger(fund, treasurer):
    donation_record(
        fund=fund,
        amount="75.00",
        currency="GBP",
        occurred_on=DAY,
        by=treasurer,
        donor_name="Olha Example",
        donor_email="Olha@Example.org",
        show_name=True,
    )
    exported = _handler("funds.donors").export("olha@example.org")
    assert (
        exported[0]["name"] == "Olha Example" and exported[0]["donations"][0]["amount"] == "75.00"
    )
    balance = fund_balance(fund)
    assert _handler("funds.donors").erase("olha@example.org") == 1
    donor = Donor.objects.get(transactions__fund=fund)
    assert donor.name == "" and donor.email == "" and not donor.show_name and donor.erased_at
    assert fund_balance(fund) == balance == Decimal("75.00")
    assert Transaction.objects.get(fund=fund).donor_id == donor.pk
    assert _handler("funds.donors").export("olha@example.org") == []


def test_a_claimant_s_claims_are_exported(submitted_claim, volunteer):
    exported = _handler("funds.claims").export(volunteer.email)
    assert exported[0]["title"] == "Fuel to Lviv"


def test_funds_are_registered_for_volunteer_translation():
    from spilka.lib import translation_registry

    keys = {spec.key for spec in translation_registry._specs.values()}
    assert any("fund" in key for key in keys)
