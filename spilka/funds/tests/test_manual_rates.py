"""Manual rates: one organisation's own, checked against the known rates, typed in its language."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from spilka.funds.models import ExchangeRate, Transaction
from spilka.funds.services.donations import donation_record
from spilka.funds.services.rates import rate_find, rate_manual_record
from spilka.lib.models import AuditEntry

from .conftest import DAY

pytestmark = pytest.mark.django_db

BOOKS = "/{lang}/money/org/ukraine-solidarity-campaign/books"
UNPUBLISHED_DAY = datetime.date(2024, 5, 1)  # after every shipped sample


def _audit(row):
    return AuditEntry.objects.get(action="funds.rate.manual_recorded", object_id=str(row.pk))


def test_a_rate_close_to_the_known_rates_is_saved_without_a_tick(fund, usc_org, treasurer):
    row = rate_manual_record(
        organisation=usc_org, date=DAY, base="GBP", quote="UAH", rate="37.1", by=treasurer
    )
    assert row.organisation == usc_org
    audit = _audit(row)
    assert audit.organisation == usc_org and "outlier_confirmed" not in audit.after


def test_an_outlying_manual_rate_is_refused_without_confirmation(fund, usc_org, treasurer):
    with pytest.raises(ValidationError, match="away from the nearest known rate") as refused:
        rate_manual_record(
            organisation=usc_org, date=DAY, base="EUR", quote="GBP", rate="100", by=treasurer
        )
    assert "I have checked this rate" in str(refused.value)
    assert not ExchangeRate.objects.filter(organisation=usc_org).exists()


def test_an_outlying_manual_rate_is_kept_once_confirmed_and_the_audit_row_says_so(
    fund, usc_org, treasurer
):
    row = rate_manual_record(
        organisation=usc_org,
        date=DAY,
        base="EUR",
        quote="GBP",
        rate="100",
        by=treasurer,
        confirmed=True,
    )
    after = _audit(row).after
    assert after["outlier_confirmed"] is True
    # The ECB's 0.83876 or the NBU's cross rate of the same day, 0.83877.
    assert after["nearest_source"] in ("ecb", "nbu") and after["nearest_date"] == DAY.isoformat()
    assert abs(Decimal(after["nearest_rate"]) - Decimal("0.83876")) < Decimal("0.0001")


def test_the_nearest_known_rate_by_date_is_the_yardstick(fund, usc_org, treasurer):
    # The shipped ECB rates end on 31 January 2023 (EUR→GBP 0.89026).
    later = datetime.date(2023, 3, 1)
    rate_manual_record(
        organisation=usc_org, date=later, base="EUR", quote="GBP", rate="0.95", by=treasurer
    )
    with pytest.raises(ValidationError, match="away from the nearest known rate"):
        rate_manual_record(
            organisation=usc_org,
            date=later + datetime.timedelta(days=1),
            base="GBP",  # the inverse pair counts too: 1 / 0.95 ≈ 1.05 (the ECB's 1.12 is older)
            quote="EUR",
            rate="1.30",
            by=treasurer,
        )


def test_one_organisation_s_manual_rate_never_converts_another_s_entries(
    fund, demo, usc_org, treasurer, outsider_treasurer
):
    razem = demo["razem"]
    rate_manual_record(
        organisation=razem,
        date=DAY,
        base="EUR",
        quote="GBP",
        rate="0.0001",
        by=outsider_treasurer,
        confirmed=True,
    )
    entry = donation_record(
        fund=fund, amount="100.00", currency="EUR", occurred_on=DAY, by=treasurer
    )
    assert entry.rate_source == "ecb" and entry.reporting_amount == Decimal("83.88")
    assert rate_find(base="EUR", quote="GBP", on=DAY, organisation=usc_org).source == "ecb"
    assert rate_find(base="EUR", quote="GBP", on=DAY, organisation=razem).source == "manual"


def test_another_organisation_s_manual_rate_is_no_yardstick_either(
    fund, demo, usc_org, treasurer, outsider_treasurer
):
    rate_manual_record(
        organisation=demo["razem"],
        date=UNPUBLISHED_DAY,
        base="EUR",
        quote="GBP",
        rate="0.0001",
        by=outsider_treasurer,
        confirmed=True,
    )
    # Razem's rate is one day away; the nearest rate USC may know of is the ECB's of 2023.
    row = rate_manual_record(
        organisation=usc_org,
        date=UNPUBLISHED_DAY + datetime.timedelta(days=1),
        base="EUR",
        quote="GBP",
        rate="0.86",
        by=treasurer,
    )
    assert row.rate == Decimal("0.86")


def test_a_treasurer_cannot_record_a_manual_rate_for_another_organisation(
    fund, demo, outsider_treasurer
):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        rate_manual_record(
            organisation=demo["ukraine-solidarity-campaign"],
            date=DAY,
            base="GBP",
            quote="UAH",
            rate="37.1",
            by=outsider_treasurer,
        )


def test_the_database_refuses_a_manual_rate_without_an_organisation_or_a_reference_rate_with_one(
    fund, usc_org
):
    for source, organisation in (("manual", None), ("ecb", usc_org)):
        with pytest.raises(IntegrityError), transaction.atomic():
            ExchangeRate.objects.create(
                date=UNPUBLISHED_DAY,
                base="EUR",
                quote="GBP",
                rate=Decimal("0.85"),
                source=source,
                organisation=organisation,
            )


@pytest.mark.parametrize("lang", ["uk", "pl", "ru"])
def test_the_rate_form_takes_a_decimal_comma_in_the_user_s_language(
    lang, fund, login, treasurer, usc_org
):
    response = login(treasurer).post(
        BOOKS.format(lang=lang) + "/rates/",
        {
            "manual-date": "2022-03-15",
            "manual-base": "GBP",
            "manual-quote": "UAH",
            "manual-rate": "37,1",
        },
    )
    assert response.status_code == 302
    assert ExchangeRate.objects.get(organisation=usc_org).rate == Decimal("37.1")


def test_the_rate_form_refuses_an_outlier_until_the_box_is_ticked(fund, login, treasurer, usc_org):
    client = login(treasurer)
    data = {
        "manual-date": "2022-03-15",
        "manual-base": "EUR",
        "manual-quote": "GBP",
        "manual-rate": "100",
    }
    response = client.post(BOOKS.format(lang="en") + "/rates/", data)
    assert response.status_code == 400
    assert "away from the nearest known rate" in response.content.decode()
    assert not ExchangeRate.objects.filter(organisation=usc_org).exists()
    response = client.post(BOOKS.format(lang="en") + "/rates/", {**data, "manual-confirmed": "on"})
    assert response.status_code == 302
    assert _audit(ExchangeRate.objects.get(organisation=usc_org)).after["outlier_confirmed"]


def test_the_refusal_is_in_the_user_s_language(fund, login, treasurer):
    response = login(treasurer).post(
        BOOKS.format(lang="uk") + "/rates/",
        {
            "manual-date": "2022-03-15",
            "manual-base": "EUR",
            "manual-quote": "GBP",
            "manual-rate": "100",
        },
    )
    assert response.status_code == 400
    assert "0,83876" in response.content.decode()  # the known rate, as Ukrainian writes it


def test_an_entry_at_an_outlying_bank_rate_needs_the_box_ticked(fund, login, treasurer):
    # The reproduced case: €100 posted into a pound fund as £10,000.
    client = login(treasurer)
    data = {
        "kind": "donation",
        "occurred_on": "2022-03-15",
        "amount": "100.00",
        "currency": "EUR",
        "rate": "100",
        "donor_name": "Donor",
    }
    path = BOOKS.format(lang="en") + "/funds/test-convoys/record/"
    response = client.post(path, data)
    assert response.status_code == 400
    assert "away from the nearest known rate" in response.content.decode()
    assert not Transaction.objects.filter(fund=fund).exists()
    response = client.post(path, {**data, "rate_confirmed": "on"})
    assert response.status_code == 302
    entry = Transaction.objects.get(fund=fund)
    assert entry.reporting_amount == Decimal("10000.00")
    audit = AuditEntry.objects.get(object_id=str(entry.pk), action="funds.transaction.donation")
    assert audit.after["rate_outlier_confirmed"] is True
    assert audit.after["nearest_date"] == DAY.isoformat()


def test_an_entry_at_a_plausible_bank_rate_in_polish_notation_is_posted(fund, login, treasurer):
    response = login(treasurer).post(
        BOOKS.format(lang="pl") + "/funds/test-convoys/record/",
        {
            "kind": "donation",
            "occurred_on": "2022-03-15",
            "amount": "100.00",
            "currency": "EUR",
            "rate": "0,85",
            "donor_name": "Donor",
        },
    )
    assert response.status_code == 302
    entry = Transaction.objects.get(fund=fund)
    assert entry.rate == Decimal("0.85") and entry.rate_source == "manual"
