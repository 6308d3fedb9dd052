"""Aid CSV and HXL exports, and the recipient's form: quantities as written, a BOM for Excel."""

import csv
import io

import pytest

from spilka.aid.services.handovers import ReceivedLine, handover_confirm, handover_token

EXPORTS = [
    "/en/aid/export/needs.csv",
    "/en/aid/export/needs.csv?hxl=1",
    "/en/aid/export/deliveries.csv",
    "/en/aid/export/deliveries.csv?hxl=1",
]


@pytest.fixture
def delivered(forty_kits_convoy):
    handover = forty_kits_convoy.handovers.get()
    handover_confirm(
        handover=handover,
        lines=[ReceivedLine(ln.pk, ln.quantity) for ln in handover.lines.all()],
        signer_name="A",
    )
    return handover


@pytest.mark.parametrize("url", EXPORTS)
def test_exports_write_quantities_without_exponent(anon, delivered, url):
    text = b"".join(anon.get(url).streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert not any("E+" in cell for row in rows for cell in row)
    header = rows[0]
    column = header.index("Quantity needed" if "needs" in url else "Dispatched")
    assert "40" in [row[column] for row in rows[1:]]


@pytest.mark.parametrize("url", EXPORTS)
def test_exports_start_with_a_byte_order_mark_for_spreadsheets(anon, delivered, url):
    content = b"".join(anon.get(url).streaming_content)
    assert content.startswith("\ufeff".encode())
    assert content.decode("utf-8-sig").startswith("Organisation" if "needs" in url else "Donor")


def test_the_recipient_form_is_filled_with_plain_quantities(anon, forty_kits_convoy):
    handover = forty_kits_convoy.handovers.get()
    page = anon.get(f"/en/aid/receive/{handover.pk}/{handover_token(handover)}/").content.decode()
    line = handover.lines.get()
    assert f'name="received_{line.pk}" value="40"' in page.replace('step="any" ', "")
    assert "4E+1" not in page
