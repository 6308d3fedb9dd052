"""The ECB and NBU reference rates are instance data: no organisation's role holder loads them.

Every organisation's books and every claim's two-approval threshold use them, so only the
``import_rates`` command (or a task) and instance staff with a verified second factor load
them, and each load writes an instance-level audit row.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from spilka.accounts.tests.otp import verified_client
from spilka.funds.models import ExchangeRate
from spilka.funds.services.rate_imports import rates_import
from spilka.lib.models import AuditEntry

pytestmark = pytest.mark.django_db

BOOKS = "/en/money/org/ukraine-solidarity-campaign/books"
STAFF_PAGE = "/en/money/reference-rates/"
UNPUBLISHED_DAY = datetime.date(2024, 5, 1)  # after every shipped sample
SEEDED_ECB = "Date,GBP,PLN,USD\n2024-05-01,0.0001,0.0001,0.0001\n"
SEEDED_NBU = '[{"cc": "EUR", "rate": 0.0001, "exchangedate": "01.05.2024"}]'


def _seeded():
    return ExchangeRate.objects.filter(date=UNPUBLISHED_DAY, organisation__isnull=True)


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user(
        "staff@spilka.test", "unused password 123", is_staff=True
    )


@pytest.mark.parametrize(("fmt", "text"), [("ecb", SEEDED_ECB), ("nbu", SEEDED_NBU)])
def test_a_treasurer_cannot_load_reference_rates_through_the_books(
    fund, login, treasurer, fmt, text
):
    response = login(treasurer).post(
        BOOKS + "/rates/",
        {"file-format": fmt, "file-file": SimpleUploadedFile("rates", text.encode())},
    )
    assert response.status_code == 400
    assert not _seeded().exists()


def test_an_organisation_admin_or_treasurer_cannot_load_reference_rates_through_the_service(
    fund, treasurer, usc_admin
):
    for user in (treasurer, usc_admin):
        with pytest.raises(PermissionDenied):
            rates_import(text=SEEDED_ECB, fmt="ecb", by=user)
        with pytest.raises(PermissionDenied):
            rates_import(text=SEEDED_NBU, fmt="nbu", by=user)
    assert not _seeded().exists()


def test_staff_without_a_verified_second_factor_cannot_load_reference_rates(
    fund, staff, login, settings
):
    settings.SPILKA_STAFF_2FA = True
    staff.is_verified = lambda: False
    with pytest.raises(PermissionDenied):
        rates_import(text=SEEDED_ECB, fmt="ecb", by=staff)
    response = login(staff, verified=False).post(
        STAFF_PAGE,
        {"file-format": "ecb", "file-file": SimpleUploadedFile("r.csv", SEEDED_ECB.encode())},
    )
    assert response.status_code == 302 and "two" in response["Location"]
    assert not _seeded().exists()


def test_the_staff_page_is_refused_to_treasurers_and_visitors(fund, login, treasurer, anon):
    for client in (login(treasurer), anon):
        response = client.get(STAFF_PAGE)
        assert response.status_code == 302 and "login" in response["Location"]


def test_verified_staff_load_reference_rates_with_an_instance_level_audit_row(fund, staff):
    client = verified_client(staff)
    text = "Date,GBP,PLN,USD\n2024-05-01,0.8561,4.3110,1.0713\n"
    response = client.post(
        STAFF_PAGE, {"file-format": "ecb", "file-file": SimpleUploadedFile("r.csv", text.encode())}
    )
    assert response.status_code == 302
    assert _seeded().count() == 3
    audit = AuditEntry.objects.get(action="funds.rates.imported_ecb", actor=staff)
    assert audit.organisation is None
    assert audit.after["scope"] == "instance" and audit.after["created"] == 3


def test_the_staff_page_refuses_a_broken_file_clearly(fund, staff):
    response = verified_client(staff).post(
        STAFF_PAGE, {"file-format": "ecb", "file-file": SimpleUploadedFile("r.csv", b"nonsense")}
    )
    assert response.status_code == 400 and "not the ECB" in response.content.decode()


def test_the_command_loads_the_sample_rates_with_instance_level_audit_rows(db, capsys):
    ExchangeRate.objects.all().delete()  # the demo network loaded the samples already
    call_command("import_rates", "--samples")
    assert "ecb:" in capsys.readouterr().out
    assert ExchangeRate.objects.filter(source="ecb", organisation__isnull=True).exists()
    assert ExchangeRate.objects.filter(source="nbu", organisation__isnull=True).exists()
    audits = AuditEntry.objects.filter(actor_label="import_rates")
    assert {a.action for a in audits} == {"funds.rates.imported_ecb", "funds.rates.imported_nbu"}
    for audit in audits:
        assert audit.organisation is None and audit.after["scope"] == "instance"
