import csv
import io
from decimal import Decimal

from spilka.lib.csv_safe import csv_response, csv_text


def test_every_cell_is_escaped_headers_included_and_numbers_stay_numbers():
    text = csv_text([["=SUM(A1)", "@who", "amount"], ["+cmd", Decimal("-12.50"), -3]])
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows == [["'=SUM(A1)", "'@who", "amount"], ["'+cmd", "-12.50", "-3"]]


def test_a_csv_download_carries_the_bom_and_its_filename():
    response = csv_response([["a"], ["b"]], filename="x.csv")
    assert response.content == "\ufeffa\r\nb\r\n".encode()
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert response["Content-Type"] == "text/csv; charset=utf-8"
