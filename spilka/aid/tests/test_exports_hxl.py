"""The HXL exports, read by libhxl (the reference parser humanitarian tools use): the tag
row is where it must be, every column is tagged as documented, quantities are plain
numbers, and the built-in HXL schema finds nothing wrong."""

import io
import re

import hxl
import pytest

from spilka.aid.exports import DELIVERY_COLUMNS, NEED_COLUMNS
from spilka.aid.services.handovers import ReceivedLine, handover_confirm

PLAIN_NUMBER = re.compile(r"^\d+(\.\d+)?$")


@pytest.fixture
def delivered(forty_kits_convoy):
    handover = forty_kits_convoy.handovers.get()
    handover_confirm(
        handover=handover,
        lines=[ReceivedLine(ln.pk, ln.quantity) for ln in handover.lines.all()],
        signer_name="A",
    )
    return handover


def _tag(spec: str) -> str:
    return spec.replace(" ", "")


def _dataset(client, url):
    # The bytes as served, byte-order mark and all: what a tool downloading the file reads.
    return hxl.data(io.BytesIO(b"".join(client.get(url).streaming_content)))


@pytest.mark.parametrize(
    ("url", "columns", "quantities"),
    [
        (
            "/en/aid/export/needs.csv?hxl=1",
            NEED_COLUMNS,
            ["#need+num", "#x_pledged+num", "#x_received+num"],
        ),
        (
            "/en/aid/export/deliveries.csv?hxl=1",
            DELIVERY_COLUMNS,
            ["#x_dispatched+num", "#x_received+num"],
        ),
    ],
)
def test_hxl_exports_parse_with_libhxl(anon, delivered, url, columns, quantities):
    dataset = _dataset(anon, url)
    assert [column.display_tag for column in dataset.columns] == [_tag(t) for _n, t in columns]
    # libhxl keeps the byte-order mark (there for spreadsheets) on the first header text;
    # the tags, which are what HXL tools read, are on the next row and untouched.
    headers = [column.header for column in dataset.columns]
    assert [headers[0].lstrip("\ufeff"), *headers[1:]] == [name for name, _t in columns]
    rows = list(dataset)
    assert rows
    for row in rows:
        for tag in quantities:
            value = row.get(tag)  # libhxl: None when the cell is empty
            assert value is None or PLAIN_NUMBER.match(value), (tag, value)
    kits = [row for row in rows if row.get("#item+code") == "first-aid-kit"]
    assert "40" in [row.get(quantities[0]) for row in kits]


@pytest.mark.parametrize(
    "url", ["/en/aid/export/needs.csv?hxl=1", "/en/aid/export/deliveries.csv?hxl=1"]
)
def test_hxl_exports_pass_the_built_in_hxl_schema(anon, delivered, url):
    report = hxl.validate(_dataset(anon, url))
    assert report["is_valid"], report["issues"]
    assert report["stats"]["error"] == 0


def test_the_delivery_export_names_the_recipient_and_values_are_numbers(anon, delivered):
    rows = list(_dataset(anon, "/en/aid/export/deliveries.csv?hxl=1"))
    mine = [row for row in rows if row.get("#date+reported") and row.get("#x_dispatched") == "40"]
    assert any(row.get("#org+impl") for row in mine)
    for row in rows:
        value = row.get("#value+outgoing")
        assert value is None or PLAIN_NUMBER.match(value), value


def test_the_plain_csv_is_not_hxl(anon, delivered):
    # Without ?hxl=1 there is no tag row: libhxl refuses it rather than guess.
    with pytest.raises(hxl.HXLException):
        list(_dataset(anon, "/en/aid/export/deliveries.csv"))
