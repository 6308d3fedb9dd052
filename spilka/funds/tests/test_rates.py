"""Exchange rates: ECB and NBU files, cross rates via the euro, a clear word when none."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from spilka.funds.models import ExchangeRate, RateSource
from spilka.funds.services.funds import treasury_settings_update
from spilka.funds.services.rate_imports import rates_import_ecb, rates_import_nbu
from spilka.funds.services.rates import (
    NoRateError,
    rate_find,
    rate_manual_record,
)

from .conftest import DAY

pytestmark = pytest.mark.django_db


def test_the_ecb_sample_gives_euro_rates_and_crosses_them_through_the_euro(rates):
    eur_gbp = ExchangeRate.objects.get(date=DAY, base="EUR", quote="GBP", source="ecb").rate
    eur_pln = ExchangeRate.objects.get(date=DAY, base="EUR", quote="PLN", source="ecb").rate
    quote = rate_find(base="GBP", quote="PLN", on=DAY)
    assert quote.source == RateSource.ECB
    assert abs(quote.rate - eur_pln / eur_gbp) < Decimal("0.0000000001")
    assert rate_find(base="EUR", quote="GBP", on=DAY).rate == eur_gbp


def test_the_hryvnia_comes_from_the_national_bank_of_ukraine(rates):
    quote = rate_find(base="USD", quote="UAH", on=DAY)
    assert quote.source == RateSource.NBU
    assert quote.rate == Decimal("29.2549")
    assert rate_find(base="UAH", quote="USD", on=DAY).rate == (
        Decimal(1) / Decimal("29.2549")
    ).quantize(Decimal("0.0000000001"))


def test_importing_the_same_file_twice_adds_nothing(rates):
    from .conftest import SAMPLES

    result = rates_import_ecb(text=(SAMPLES / "eurofxref-hist-sample.csv").read_text(), by="test")
    assert result.created == 0 and result.skipped > 0


def test_a_weekend_without_a_rate_gives_a_clear_message_offering_a_manual_rate(rates, usc_org):
    saturday = datetime.date(2022, 3, 19)
    with pytest.raises(NoRateError, match="manual rate"):
        rate_find(base="GBP", quote="PLN", on=saturday, organisation=usc_org)


def test_an_earlier_rate_is_used_only_when_the_organisation_chose_it(rates, usc_org, treasurer):
    saturday = datetime.date(2022, 3, 19)
    treasury_settings_update(by=treasurer, organisation=usc_org, rate_fallback_days=3)
    usc_org.refresh_from_db()
    quote = rate_find(base="GBP", quote="PLN", on=saturday, organisation=usc_org)
    assert quote.date == datetime.date(2022, 3, 18)


def test_the_bank_s_manual_rate_wins_for_its_organisation(rates, usc_org, treasurer):
    rate_manual_record(
        organisation=usc_org, date=DAY, base="GBP", quote="UAH", rate=Decimal("37.1"), by=treasurer
    )
    assert rate_find(base="GBP", quote="UAH", on=DAY, organisation=usc_org).source == "manual"
    assert rate_find(base="GBP", quote="UAH", on=DAY).source == "nbu"


def test_a_manual_rate_must_be_positive_and_in_known_currencies(usc_org, treasurer):
    with pytest.raises(ValidationError):
        rate_manual_record(
            organisation=usc_org, date=DAY, base="GBP", quote="UAH", rate="-1", by=treasurer
        )
    with pytest.raises(ValidationError):
        rate_manual_record(
            organisation=usc_org, date=DAY, base="GBP", quote="XXX", rate="2", by=treasurer
        )


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Day,USD\n2022-01-01,1.1\n",
        "Date,JPY\n2022-01-03,130\n",
        "Date,USD\nyesterday,1.1\n",
        "Date,USD\n2022-01-03,-4\n",
    ],
)
def test_a_broken_ecb_file_is_refused_whole(db, text):
    before = ExchangeRate.objects.count()
    with pytest.raises(ValidationError):
        rates_import_ecb(text=text, by="test")
    assert ExchangeRate.objects.count() == before


@pytest.mark.parametrize(
    "text",
    [
        "{}",
        "not json",
        '[{"cc": "USD"}]',
        '[{"cc": "USD", "rate": 1, "exchangedate": "2022-01-01"}]',
    ],
)
def test_a_broken_nbu_file_is_refused_whole(db, text):
    with pytest.raises(ValidationError):
        rates_import_nbu(text=text, by="test")


def test_the_command_imports_the_shipped_samples(db, capsys):
    call_command("import_rates", "--samples")
    out = capsys.readouterr().out
    assert "ecb:" in out and "nbu:" in out
    assert ExchangeRate.objects.filter(source="nbu", base="PLN").exists()
