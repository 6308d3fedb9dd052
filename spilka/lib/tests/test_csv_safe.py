import csv
import io
from decimal import Decimal

from django.utils import translation

from spilka.lib.csv_safe import csv_chunks, csv_response, csv_streaming_response, csv_text


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


def test_a_streamed_csv_is_the_same_text_in_pieces_of_at_least_the_chunk_size():
    rows = [["=cmd", Decimal("1.50"), "Київ"]] * 500
    pieces = list(csv_chunks(rows, size=1000))
    assert "".join(pieces) == csv_text(rows)
    assert len(pieces) > 5
    assert all(len(piece) >= 1000 for piece in pieces[:-1])


def test_a_streamed_csv_is_read_in_the_language_of_the_request():
    class Label:
        def __str__(self):
            return translation.get_language()

    with translation.override("uk"):
        response = csv_streaming_response([[Label()]], filename="x.csv")
    with translation.override("en"):
        body = b"".join(response.streaming_content)
    assert body == "\ufeffuk\r\n".encode()
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
