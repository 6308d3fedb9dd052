"""Bank statement import: mapping, preview, duplicates, all-or-nothing, size and shape checks."""

import pytest
from django.core.exceptions import ValidationError

from spilka.funds.models import Donor, ImportStatus, Transaction
from spilka.funds.services.imports import import_map, import_preview, import_start, import_upload
from spilka.lib.supporters import supporter_action

from .conftest import csv_upload

pytestmark = pytest.mark.django_db

STATEMENT = (
    "Date,Description,Paid in,Payer,Email,Updates\n"
    "15/03/2022,UNITE LONDON REGION,1500.00,Unite London,,\n"
    "16/03/2022,FPS SMITH J,25.00,J Smith,j.smith@example.org,yes\n"
    "17/03/2022,FPS DOE A,10.00,A Doe,,no\n"
)
MAPPING = {
    "date": "Date",
    "amount": "Paid in",
    "reference": "Description",
    "payer": "Payer",
    "email": "Email",
    "opt_in": "Updates",
}


def _mapped(fund, treasurer, text=STATEMENT):
    batch = import_upload(fund=fund, upload=csv_upload(text), currency="GBP", by=treasurer)
    return import_map(batch=batch, mapping=MAPPING, date_format="dmy", by=treasurer)


def test_a_statement_is_imported_and_opted_in_donors_are_announced(fund, treasurer):
    heard = []
    supporter_action.connect(
        lambda sender, action, **kw: heard.append(action), weak=False, dispatch_uid="t"
    )
    try:
        batch = import_start(batch=_mapped(fund, treasurer), by=treasurer)
    finally:
        supporter_action.disconnect(dispatch_uid="t")
    assert batch.status == ImportStatus.DONE and batch.created_count == 3
    assert Transaction.objects.filter(import_batch=batch).count() == 3
    assert [a.email for a in heard] == ["j.smith@example.org"] and heard[0].kind == "donated"
    assert not Donor.objects.get(email="j.smith@example.org").show_name


def test_importing_the_same_statement_again_skips_every_row_as_a_duplicate(fund, treasurer):
    import_start(batch=_mapped(fund, treasurer), by=treasurer)
    batch = _mapped(fund, treasurer)
    assert all(row.duplicate for row in import_preview(batch))
    batch = import_start(batch=batch, by=treasurer)
    assert batch.created_count == 0 and batch.duplicate_count == 3
    assert Transaction.objects.filter(fund=fund).count() == 3


def test_one_bad_row_imports_nothing_and_says_which_and_why(fund, treasurer):
    text = STATEMENT + "31/02/2022,BAD,5.00,X,,\n" + "18/03/2022,MORE,1.005,Y,,\n"
    batch = import_start(batch=_mapped(fund, treasurer, text), by=treasurer)
    assert batch.status == ImportStatus.FAILED
    assert [e["row"] for e in batch.errors] == [5, 6]
    assert (
        "not a date" in batch.errors[0]["reason"] and "decimal places" in batch.errors[1]["reason"]
    )
    assert not Transaction.objects.filter(fund=fund).exists()


def test_a_missing_rate_midway_rolls_everything_back(fund, treasurer):
    text = "Date,Description,Paid in,Payer,Email,Updates\n15/03/2022,A,5.00,A,,\n20/03/2022,B,5.00,B,,\n"
    batch = import_upload(fund=fund, upload=csv_upload(text), currency="USD", by=treasurer)
    batch = import_map(batch=batch, mapping=MAPPING, date_format="dmy", by=treasurer)
    batch = import_start(batch=batch, by=treasurer)
    assert batch.status == ImportStatus.FAILED and batch.errors[0]["row"] == 3
    assert "manual rate" in batch.errors[0]["reason"]
    assert not Transaction.objects.filter(fund=fund).exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe\x00b\x00a\x00d", "header line"),  # UTF-16 is read; this is no table
        (b"\x00\x01\x02\xff", "UTF-8"),
        (b"just one line\n", "header line"),
        (b"a,b\n1,2,3\n", "columns"),
        (b'a,b\n"unterminated,2\n', "malformed"),
        (b"onlyone\nx\n", "one column"),
    ],
)
def test_malformed_csv_is_refused_clearly(fund, treasurer, content, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError, match=message):
        import_upload(
            fund=fund, upload=SimpleUploadedFile("s.csv", content), currency="GBP", by=treasurer
        )


def test_a_50_mb_upload_is_refused_before_it_is_read(fund, treasurer):
    class Huge:
        name = "huge.csv"
        size = 50 * 1024 * 1024

        def read(self, *args):
            raise AssertionError("the size is checked before reading")

    with pytest.raises(ValidationError, match="too large"):
        import_upload(fund=fund, upload=Huge(), currency="GBP", by=treasurer)


def test_a_mapping_must_name_real_columns(fund, treasurer):
    batch = import_upload(fund=fund, upload=csv_upload(STATEMENT), currency="GBP", by=treasurer)
    with pytest.raises(ValidationError):
        import_map(
            batch=batch, mapping={**MAPPING, "amount": "Nope"}, date_format="dmy", by=treasurer
        )
    with pytest.raises(ValidationError):
        import_map(batch=batch, mapping={**MAPPING, "date": ""}, date_format="dmy", by=treasurer)


def test_a_large_statement_runs_in_the_task_queue(
    fund, treasurer, settings, django_capture_on_commit_callbacks
):
    settings.SPILKA_IMPORT_SYNC_ROWS = 1
    batch = _mapped(fund, treasurer)
    with django_capture_on_commit_callbacks(execute=True):
        batch = import_start(batch=batch, by=treasurer)
        assert batch.status == ImportStatus.QUEUED
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE and batch.processed_rows == batch.total_rows == 3


def test_a_utf16_statement_with_its_byte_order_mark_is_read(fund, treasurer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("s.csv", STATEMENT.encode("utf-16"), content_type="text/csv")
    batch = import_upload(fund=fund, upload=upload, currency="GBP", by=treasurer)
    batch = import_map(batch=batch, mapping=MAPPING, date_format="dmy", by=treasurer)
    assert import_start(batch=batch, by=treasurer).created_count == 3


def test_a_latin1_statement_is_refused_with_a_clear_message(fund, treasurer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    raw = b"\xef\xbb\xbfDate,Payer\n15/03/2022,\xa3\xf3d\xbf\n"  # BOM, then Latin-1
    with pytest.raises(ValidationError, match="not UTF-8"):
        import_upload(
            fund=fund,
            upload=SimpleUploadedFile("s.csv", raw, content_type="text/csv"),
            currency="GBP",
            by=treasurer,
        )
