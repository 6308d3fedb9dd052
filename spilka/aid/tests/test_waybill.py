"""The waybill PDF: quantities as people write them, and the QR code clear of the text."""

import io
import re

import pytest
from pypdf import PdfReader

from spilka.lib.pdf import FONT, document_new

MM = 72 / 25.4  # PDF points per millimetre


def _waybill(client, handover):
    response = client.get(f"/en/aid/handovers/{handover.pk}/waybill.pdf")
    assert response.status_code == 200
    return PdfReader(io.BytesIO(response.content)).pages[0]


def test_waybill_quantities_have_no_exponent(login, donor_organiser, forty_kits_convoy):
    page = _waybill(login(donor_organiser), forty_kits_convoy.handovers.get())
    text = page.extract_text()
    assert "4E+1" not in text
    assert re.search(r"\b40 ", text)


def _image_rectangles(page):
    """(left, bottom, right, top) in points of every image drawn on the page."""
    rectangles, stack, matrix = [], [], [1, 0, 0, 1, 0, 0]
    for operands, operator in page.get_contents().operations:
        if operator == b"q":
            stack.append(matrix)
        elif operator == b"Q":
            matrix = stack.pop()
        elif operator == b"cm":
            matrix = [float(v) for v in operands]
        elif operator == b"Do":
            a, _b, _c, d, e, f = matrix
            rectangles.append((e, f, e + a, f + d))
    return rectangles


def _text_boxes(page):
    """(left, bottom, right, top) in points of every piece of text, widths from the font."""
    measure = document_new()
    boxes = []

    def visit(text, cm, tm, font_dict, font_size):
        if not text.strip():
            return
        size = font_size * tm[3] if tm[3] else font_size
        bold = "Bold" in str((font_dict or {}).get("/BaseFont", ""))
        measure.set_font(FONT, "B" if bold else "", size)
        # pypdf doubles the spaces it extracts; fpdf wrapped the single-spaced text.
        width = measure.get_string_width(" ".join(text.split())) * MM
        x, y = tm[4], tm[5]
        boxes.append((text, (x, y - size * 0.25, x + width, y + size)))

    page.extract_text(visitor_text=visit)
    return boxes


def _overlap(one, other):
    return one[0] < other[2] and other[0] < one[2] and one[1] < other[3] and other[1] < one[3]


def test_the_qr_code_is_not_printed_over_the_title(login, donor_organiser, forty_kits_convoy):
    page = _waybill(login(donor_organiser), forty_kits_convoy.handovers.get())
    (qr,) = _image_rectangles(page)
    boxes = _text_boxes(page)
    assert any("Waybill" in text for text, _box in boxes)
    assert [text for text, box in boxes if _overlap(box, qr)] == []
    # And it still sits at the top of the page, inside the margins.
    assert qr[3] <= float(page.mediabox.top) and qr[2] <= float(page.mediabox.right)


@pytest.mark.parametrize("language", ["en", "uk", "pl", "ru"])
def test_the_qr_code_clears_the_title_in_every_recipient_language(
    login, donor_organiser, forty_kits_convoy, language
):
    # The title is printed in the recipient's language and English: longer in some.
    handover = forty_kits_convoy.handovers.get()
    handover.language = language
    handover.save(update_fields=["language"])
    page = _waybill(login(donor_organiser), handover)
    (qr,) = _image_rectangles(page)
    boxes = _text_boxes(page)
    title = [box for text, box in boxes if "Waybill" in text or "packing" in text]
    assert title
    assert [box for box in title if _overlap(box, qr)] == []
    assert [text for text, box in boxes if _overlap(box, qr)] == []
    assert f"/{language}/aid/receive/" in page.extract_text().replace("\n", "")
