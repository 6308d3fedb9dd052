"""Personas for money, built by calling services; rates from the shipped sample files.

- ``treasurer``: treasurer of the Ukraine Solidarity Campaign (USC).
- ``treasurer2``: a second USC treasurer (claims above the threshold need two).
- ``volunteer``: a USC logistics volunteer: may claim expenses, nothing more.
- ``outsider_treasurer``: treasurer of Razem: sees none of USC's books.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from spilka.lib.testing import storages_moved, user_with_roles

SAMPLES = Path(__file__).resolve().parents[1] / "rates_samples"
DAY = datetime.date(2022, 3, 15)  # a Tuesday with ECB and NBU sample rates
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    # Receipts and statements go to a private directory per test, never MEDIA_ROOT.
    from spilka.funds.models import Receipt
    from spilka.funds.models.imports import ImportBatch

    private = str(tmp_path / "private")
    # Back afterwards where the session's files are (the demo's receipts, for later tests).
    with storages_moved(
        (model._meta.get_field("file").storage, private) for model in (Receipt, ImportBatch)
    ):
        yield


@pytest.fixture
def rates(db):
    """The sample files' ECB and NBU rates. The demo network loads the same files: where it
    is loaded they are in already, and loading them again (0.1 s) would add nothing."""
    from spilka.funds.models import ExchangeRate, RateSource
    from spilka.funds.services.rate_imports import rates_import

    for source, name in (
        (RateSource.ECB, "eurofxref-hist-sample.csv"),
        (RateSource.NBU, "nbu-exchange-sample.json"),
    ):
        if not ExchangeRate.objects.filter(
            source=source, organisation__isnull=True, date=DAY
        ).exists():
            rates_import(text=(SAMPLES / name).read_text(), fmt=source.value, by="test")


@pytest.fixture
def usc_org(demo):
    return demo["ukraine-solidarity-campaign"]


@pytest.fixture
def treasurer(usc_org):
    return user_with_roles("treasurer@usc.test", [(usc_org, "treasurer")])


@pytest.fixture
def treasurer2(usc_org):
    return user_with_roles("treasurer2@usc.test", [(usc_org, "treasurer")])


@pytest.fixture
def volunteer(usc_org):
    return user_with_roles("volunteer@usc.test", [(usc_org, "logistics")])


@pytest.fixture
def outsider_treasurer(demo):
    return user_with_roles("treasurer@razem.test", [(demo["razem"], "treasurer")])


@pytest.fixture
def fund(usc_org, treasurer, rates):
    from spilka.funds.services.funds import fund_create, treasury_settings_update

    treasury_settings_update(
        by=treasurer,
        organisation=usc_org,
        reporting_currency="GBP",
        second_approver_above=Decimal("500"),
    )
    return fund_create(
        by=treasurer,
        organisation=usc_org,
        slug="test-convoys",
        name={"en": "Test convoy fund"},
        currency="GBP",
    )


def pdf_upload(name="receipt.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def csv_upload(text, name="statement.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


@pytest.fixture
def submitted_claim(fund, volunteer):
    from spilka.funds.services.expenses import expense_create, expense_submit, receipt_attach

    expense = expense_create(
        fund=fund,
        claimant=volunteer,
        title="Fuel to Lviv",
        incurred_on=DAY,
        currency="PLN",
        lines=[{"category": "fuel", "description": "Diesel, Rzeszów", "amount": Decimal("412.50")}],
    )
    receipt_attach(expense=expense, upload=pdf_upload(), by=volunteer)
    return expense_submit(expense=expense, by=volunteer)


__all__ = ["DAY", "PDF", "PNG", "csv_upload", "io", "pdf_upload"]
