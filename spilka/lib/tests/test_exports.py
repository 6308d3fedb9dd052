"""The shared CSV/XLSX writer: same cells in both formats, no formula gets through."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.http import Http404
from openpyxl import Workbook

from spilka.lib.exports import export_filename, export_format, export_response, xlsx_value
from tests.strict_formats import csv_problems, csv_rows, xlsx_problems, xlsx_rows

HOSTILE = ['=HYPERLINK("http://evil.example","x")', "+1+2", "-2+3", "@SUM(A1)", "\tx", "ok"]


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formula_like_text_is_escaped_in_both_formats_and_numbers_stay_numbers(fmt):
    rows = [["=Header", "Amount"], *[[text, Decimal("-12.50")] for text in HOSTILE]]
    body = _body(export_response(rows, fmt=fmt, filename=f"x.{fmt}", sheet_title="X"))
    if fmt == "csv":
        assert csv_problems(body) == []
        read = csv_rows(body)
        assert read[1] == ['\'=HYPERLINK("http://evil.example","x")', "-12.50"]
    else:
        assert xlsx_problems(body) == []
        read = xlsx_rows(body)
        assert read[1] == ['\'=HYPERLINK("http://evil.example","x")', Decimal("-12.50")]
    assert read[0][0] == "'=Header"
    assert [row[0] for row in read[1:]] == ["'" + t if t != "ok" else t for t in HOSTILE]


def test_the_xlsx_checker_catches_an_unprotected_workbook():
    workbook = Workbook()
    workbook.active.append(["Name"])
    workbook.active.append(["=1+1"])
    workbook.active.append(["@SUM(A1)"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    problems = xlsx_problems(buffer.getvalue())
    assert any("formula" in problem for problem in problems) and len(problems) == 2


def test_xlsx_values_keep_dates_and_drop_what_xml_cannot_hold(settings):
    settings.TIME_ZONE = "Europe/Kyiv"
    aware = datetime.datetime(2024, 5, 1, 9, 30, tzinfo=datetime.UTC)
    assert xlsx_value(aware) == datetime.datetime(2024, 5, 1, 12, 30)
    assert xlsx_value(datetime.date(2024, 5, 1)) == datetime.date(2024, 5, 1)
    assert xlsx_value("a\x00b\x1f") == "ab"
    assert xlsx_value(None) == "" and xlsx_value(True) == "yes"


def test_a_workbook_download_is_named_typed_and_not_cached():
    response = export_response(
        [["Name"], ["Олена"]], fmt="xlsx", filename="org-x.xlsx", sheet_title="S"
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="org-x.xlsx"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    assert xlsx_rows(_body(response)) == [["Name"], ["Олена"]]


def test_the_filename_names_the_organisation_and_the_day_and_other_formats_are_404():
    day = datetime.date(2025, 1, 31)
    assert export_filename(slug="razem", what="people", fmt="csv", day=day) == (
        "razem-people-2025-01-31.csv"
    )
    with pytest.raises(Http404):
        export_format("json")
