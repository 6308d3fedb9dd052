"""How statements are read: encodings, the table under the bank's notes, and amounts written
the Polish, Ukrainian or British way, decided from the whole column."""

from decimal import Decimal as D
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from spilka.funds.services.statement_files import (
    amount_format_detect,
    amount_parse,
    decode,
    statement_table,
)

STATEMENTS = Path(__file__).parent / "statements"


@pytest.mark.parametrize(
    ("text", "decimal", "thousands", "value"),
    [
        ("-1 234,56", ",", "space", D("-1234.56")),
        ("-1\u00a0234,56", ",", "space", D("-1234.56")),  # a no-break space, as Excel writes
        ("2\u202f500,00 zł", ",", "space", D("2500.00")),
        ("1 234 000,56 PLN", ",", "space", D("1234000.56")),
        ("150,00", ",", "none", D("150.00")),
        ("1,234.56", ".", ",", D("1234.56")),
        ("£1,234.56", ".", ",", D("1234.56")),
        ("-£12.50", ".", ",", D("-12.50")),
        ("(12.50)", ".", ",", D("-12.50")),
        ("+25.00", ".", "none", D("25.00")),
        ("1.234,56 €", ",", ".", D("1234.56")),
        ("1'234.56", ".", "'", D("1234.56")),
        ("2 500,00 грн", ",", "space", D("2500.00")),
    ],
)
def test_amounts_are_read_with_the_given_separators(text, decimal, thousands, value):
    assert amount_parse(text, decimal, thousands) == value


@pytest.mark.parametrize(
    ("text", "decimal", "thousands"),
    [
        ("150,00", ".", ","),  # the old import read this as 15000
        ("2 500,00", ".", ","),
        ("1,234.56", ",", "space"),
        ("1.234.56", ".", ","),
        ("12,3,4", ".", ","),
        ("1 23,00", ",", "space"),
        ("abc", ".", "none"),
        ("", ".", "none"),
    ],
)
def test_amounts_not_written_that_way_are_not_read_at_all(text, decimal, thousands):
    assert amount_parse(text, decimal, thousands) is None


@pytest.mark.parametrize(
    ("column", "found"),
    [
        (["-1 234,56", "150,00", "2 500,00"], (",", "space")),
        (["150,00", "25,50"], (",", "none")),
        (["1,234.56", "25.00", "0.50"], (".", ",")),
        (["1500.00", "25.00"], (".", "none")),
        (["1.234,56", "7,00"], (",", ".")),
        (["1 234,56", "oops"], (",", "space")),  # a bad cell is the row's error, later
    ],
)
def test_the_separators_are_found_from_the_whole_column(column, found):
    assert amount_format_detect(column, column="Kwota") == found


@pytest.mark.parametrize("column", [["1,234", "2,500"], ["1.000", "25.500"], ["1,500"]])
def test_a_column_that_reads_two_ways_is_refused_with_both_readings(column):
    with pytest.raises(ValidationError) as caught:
        amount_format_detect(column, column="Amount")
    message = caught.value.message_dict["decimal"][0]
    assert "more than one way" in message and "Choose the decimal" in message
    assert "“Amount”" in message


def test_the_treasurer_s_choice_settles_an_ambiguous_column():
    assert amount_format_detect(["1,234", "2,500"], column="A", decimal=".") == (".", ",")
    assert amount_format_detect(["1,234", "2,500"], column="A", decimal=",") == (",", "none")


def test_separators_that_read_nothing_are_refused():
    with pytest.raises(ValidationError, match="written with these separators"):
        amount_format_detect(["1 234,56"], column="Kwota", decimal=".", thousands="none")
    with pytest.raises(ValidationError, match="cannot be the same"):
        amount_format_detect(["1,00"], column="Kwota", decimal=",", thousands=",")


def test_windows_1250_and_1251_are_told_apart():
    polish = "Tytuł;Kwota\nWpłata od Łucji Żółć;150,00\n"
    ukrainian = "Опис;Сума\nПереказ від Олени;2 500,00\n"
    assert decode(polish.encode("windows-1250")) == polish
    assert decode(ukrainian.encode("windows-1251")) == ukrainian
    assert decode(polish.encode("utf-8")) == polish
    assert decode(ukrainian.encode("windows-1251"), "windows-1251") == ukrainian


def test_an_mbank_export_is_read_under_the_bank_s_notes():
    rows = statement_table((STATEMENTS / "mbank-pl.csv").read_bytes())
    assert rows[0][:5] == ["#Data operacji", "#Opis operacji", "#Rachunek", "#Kategoria", "#Kwota"]
    assert [row[4] for row in rows[1:]] == [
        "2 500,00 PLN",
        "150,00 PLN",
        "1 234 000,56 PLN",
        "-1 234,56 PLN",
    ]
    assert "ŁUCJA ŻÓŁĆ" in rows[3][1]


def test_a_privatbank_export_in_windows_1251_is_read():
    rows = statement_table((STATEMENTS / "privatbank-ua.csv").read_bytes())
    assert rows[0][4] == "Сума в валюті картки"
    assert rows[1][3] == "Переказ від Профспілка гірників Павлограду"


def test_a_workbook_that_unpacks_to_hundreds_of_megabytes_is_refused(monkeypatch):
    import io
    import zipfile

    from spilka.funds.services import statement_files

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"<a/>" + b" " * 4096)
    monkeypatch.setattr(statement_files, "XLSX_MAX_UNPACKED", 1024)
    with pytest.raises(ValidationError, match="cannot be read"):
        statement_table(out.getvalue())


def test_a_file_that_is_not_a_workbook_but_looks_zipped_is_refused():
    with pytest.raises(ValidationError, match="cannot be read"):
        statement_table(b"PK\x03\x04 not really a zip")
