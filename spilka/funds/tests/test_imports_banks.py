"""Statements as Polish, Ukrainian and British banks export them, and as .xlsx: amounts
read with the right separators (150,00 zł is 150, never 15000), shown in the preview, and
refused when they could be read two ways."""

import datetime
import io
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from spilka.funds.models import ImportStatus, Transaction
from spilka.funds.services.imports import import_map, import_preview, import_start, import_upload

pytestmark = pytest.mark.django_db

STATEMENTS = Path(__file__).parent / "statements"
BOOKS = "/en/money/org/ukraine-solidarity-campaign/books"
MBANK = {"date": "#Data operacji", "amount": "#Kwota", "reference": "#Opis operacji"}
PRIVATBANK = {"date": "Дата", "amount": "Сума в валюті картки", "reference": "Опис операції"}
BARCLAYS = {"date": "Date", "amount": "Amount", "reference": "Memo"}


def _upload(fund, treasurer, raw, currency, name="statement.csv", **kwargs):
    upload = SimpleUploadedFile(name, raw, content_type="text/csv")
    return import_upload(fund=fund, upload=upload, currency=currency, by=treasurer, **kwargs)


def _imported_amounts(batch):
    return sorted(Transaction.objects.filter(import_batch=batch).values_list("amount", flat=True))


def test_an_mbank_export_in_windows_1250_is_previewed_with_its_real_amounts(fund, treasurer):
    raw = (STATEMENTS / "mbank-pl.csv").read_bytes()
    batch = _upload(fund, treasurer, raw, "PLN")
    batch = import_map(batch=batch, mapping=MBANK, date_format="iso", by=treasurer)
    assert (batch.mapping["decimal"], batch.mapping["thousands"]) == (",", "space")
    preview = import_preview(batch)
    assert [p.values.get("amount") for p in preview[:3]] == [
        D("2500.00"),
        D("150.00"),
        D("1234000.56"),
    ]
    assert "ŁUCJA ŻÓŁĆ" in preview[2].values["reference"]
    # The outgoing payment is read as -1234.56 and refused as such, not as a bad number.
    assert "Only money received" in preview[3].error


def test_a_polish_statement_imports_150_00_zloty_as_150_not_15000(fund, treasurer):
    text = (STATEMENTS / "mbank-pl.csv").read_bytes().decode("windows-1250")
    credits = "\r\n".join(line for line in text.split("\r\n") if "-1 234,56 PLN;" not in line)
    batch = _upload(fund, treasurer, credits.encode("windows-1250"), "PLN")
    batch = import_map(batch=batch, mapping=MBANK, date_format="iso", by=treasurer)
    batch = import_start(batch=batch, by=treasurer)
    assert batch.status == ImportStatus.DONE, batch.errors
    assert _imported_amounts(batch) == [D("150.00"), D("2500.00"), D("1234000.56")]


def test_a_privatbank_export_in_windows_1251_imports_hryvnias_with_decimal_commas(fund, treasurer):
    raw = (STATEMENTS / "privatbank-ua.csv").read_bytes()
    batch = _upload(fund, treasurer, raw, "UAH")
    # Dates carry the time of day ("15.03.2022 10:15:00"); the day is what counts.
    batch = import_map(batch=batch, mapping=PRIVATBANK, date_format="dmy_dots", by=treasurer)
    batch = import_start(batch=batch, by=treasurer)
    assert batch.status == ImportStatus.DONE, batch.errors
    assert _imported_amounts(batch) == [D("350.50"), D("2500.00"), D("12000.00")]
    days = Transaction.objects.filter(import_batch=batch).values_list("occurred_on", flat=True)
    assert min(days) == datetime.date(2022, 3, 15)


def test_a_barclays_export_imports_thousands_commas(fund, treasurer):
    raw = (STATEMENTS / "barclays-uk.csv").read_bytes()
    batch = _upload(fund, treasurer, raw, "GBP")
    batch = import_map(batch=batch, mapping=BARCLAYS, date_format="dmy", by=treasurer)
    assert (batch.mapping["decimal"], batch.mapping["thousands"]) == (".", ",")
    batch = import_start(batch=batch, by=treasurer)
    assert batch.status == ImportStatus.DONE, batch.errors
    assert _imported_amounts(batch) == [D("0.50"), D("25.00"), D("1234.56"), D("2500.00")]


def test_an_ambiguous_amount_column_is_refused_until_the_treasurer_chooses(fund, treasurer):
    text = 'Date,Amount,Memo\n15/03/2022,"1,234",A\n16/03/2022,"2,500",B\n'
    batch = _upload(fund, treasurer, text.encode(), "GBP")
    with pytest.raises(ValidationError) as caught:
        import_map(batch=batch, mapping=BARCLAYS, date_format="dmy", by=treasurer)
    assert "more than one way" in caught.value.message_dict["decimal"][0]
    batch.refresh_from_db()
    assert batch.status == ImportStatus.UPLOADED
    batch = import_map(batch=batch, mapping=BARCLAYS, date_format="dmy", decimal=".", by=treasurer)
    assert [p.values["amount"] for p in import_preview(batch)] == [D("1234"), D("2500")]


def _xlsx(rows):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_xlsx_statement_is_imported_with_its_numbers_and_dates(fund, treasurer):
    raw = _xlsx(
        [
            ["Wyciąg z rachunku 1111 2222"],
            [],
            ["Data operacji", "Kwota", "Tytuł", None],
            [datetime.datetime(2022, 3, 15), 2500, "Darowizna OPZZ", None],
            [datetime.datetime(2022, 3, 16), 150.5, "Wpłata Jan Kowalski", None],
            [datetime.datetime(2022, 3, 17), "1 234,56", "Wpłata w tekście", None],
        ]
    )
    batch = _upload(fund, treasurer, raw, "PLN", name="wyciag.xlsx")
    mapping = {"date": "Data operacji", "amount": "Kwota", "reference": "Tytuł"}
    batch = import_map(batch=batch, mapping=mapping, date_format="dmy", by=treasurer)
    preview = import_preview(batch)
    # Numbers are numbers; a cell typed as text with a decimal comma reads differently
    # from the rest, so it is listed as an error rather than guessed.
    assert [p.values.get("amount") for p in preview[:2]] == [D("2500"), D("150.5")]
    assert preview[0].values["occurred_on"] == datetime.date(2022, 3, 15)
    assert "not an amount" in preview[2].error


def test_an_old_xls_file_is_refused_with_a_clear_message(fund, treasurer):
    with pytest.raises(ValidationError, match=r"\.xls"):
        _upload(fund, treasurer, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "GBP")


def test_the_preview_page_shows_the_parsed_amounts_and_how_they_were_read(fund, login, treasurer):
    client = login(treasurer)
    response = client.post(
        BOOKS + "/imports/new/",
        {
            "fund": fund.pk,
            "currency": "UAH",
            "encoding": "auto",
            "file": SimpleUploadedFile(
                "privat.csv", (STATEMENTS / "privatbank-ua.csv").read_bytes()
            ),
        },
    )
    assert response.status_code == 302
    url = response["Location"]
    response = client.post(
        url,
        {**PRIVATBANK, "date_format": "dmy_dots", "decimal": "auto", "thousands": "auto"},
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "1 234,56" in page  # how the amounts were read
    assert "12,000.00" in page and "2,500.00" in page and "350.50" in page
    assert "3 rows to import" in page


def test_the_mapping_page_explains_an_ambiguous_column_and_keeps_the_choices(
    fund, login, treasurer
):
    client = login(treasurer)
    text = 'Date,Amount,Memo\n15/03/2022,"1,234",A\n16/03/2022,"2,500",B\n'
    response = client.post(
        BOOKS + "/imports/new/",
        {"fund": fund.pk, "currency": "GBP", "file": SimpleUploadedFile("s.csv", text.encode())},
    )
    url = response["Location"]
    form = {**BARCLAYS, "date_format": "dmy", "decimal": "auto", "thousands": "auto"}
    response = client.post(url, form)
    assert response.status_code == 400
    page = response.content.decode()
    assert "can be read in more than one way" in page
    assert 'value="Memo" selected' in page
    response = client.post(url, {**form, "decimal": ".", "thousands": ","})
    assert response.status_code == 302
    assert "2 rows to import" in client.get(url).content.decode()
