"""PDF documents (waybills, receipts, badges) on fpdf2 with bundled Unicode fonts.

DejaVu Sans ships in ``spilka/lib/fonts`` (licence beside it) so Cyrillic and Polish render
the same on every server, with no dependency on the system's fonts.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import segno
from fpdf import FPDF

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"


class Document(FPDF):
    """An A4 portrait page with the Unicode font registered as ``DejaVu`` (regular and bold)."""

    def __init__(self, *, title: str = "", footer_text: str = "", **kwargs: Any) -> None:
        super().__init__(orientation="P", unit="mm", format="A4", **kwargs)
        self.add_font(FONT, "", str(FONTS_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONTS_DIR / "DejaVuSans-Bold.ttf"))
        self.set_font(FONT, size=10)
        self.set_auto_page_break(auto=True, margin=15)
        self.footer_text = footer_text
        self._qr_bottom = 0.0
        if title:
            self.set_title(title)
        self.set_creator("Spilka")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=7)
        self.cell(0, 5, f"{self.footer_text}  {self.page_no()}/{{nb}}".strip(), align="R")
        self.set_font(FONT, size=10)

    def heading(self, text: str, size: int = 14, *, width: float = 0) -> None:
        """A bold heading ``width`` mm wide (0: to the right margin), wrapped to fit."""
        self.set_font(FONT, "B", size)
        self.multi_cell(width, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT, size=10)
        self.ln(1)

    def paragraph(self, text: str, size: int = 10, *, width: float = 0) -> None:
        self.set_font(FONT, size=size)
        self.multi_cell(width, size * 0.45, text, new_x="LMARGIN", new_y="NEXT")

    def table_rows(self, header: list[str], rows: list[list[str]], widths: list[float]) -> None:
        """A simple bordered table whose header repeats on each page."""
        with self.table(
            col_widths=widths,
            text_align="LEFT",
            line_height=5,
            first_row_as_headings=True,
            repeat_headings=1,
        ) as table:
            self.set_font(FONT, size=8)
            row = table.row()
            for cell in header:
                row.cell(cell)
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(value)
        self.set_font(FONT, size=10)

    def qr(self, data: str, *, x: float, y: float, size: float = 35) -> None:
        """A QR code for ``data`` at (x, y), ``size`` mm wide.

        It is drawn where it is told, over whatever is there: callers keep the text beside it
        narrower (see :meth:`qr_top_right`).
        """
        buffer = io.BytesIO()
        segno.make(data, error="m").save(buffer, kind="png", scale=8, border=2)
        buffer.seek(0)
        self.image(buffer, x=x, y=y, w=size, h=size)

    def qr_top_right(self, data: str, *, size: float = 32, gap: float = 4) -> float:
        """A QR code in the top right corner of the text area; returns the width left of it.

        Text written at that width (``heading(..., width=...)``) cannot run under the code;
        :meth:`below_qr` then moves the cursor below it before the full-width content.
        """
        self._qr_bottom = self.t_margin + size + gap
        self.qr(data, x=self.w - self.r_margin - size, y=self.t_margin, size=size)
        return self.epw - size - gap

    def below_qr(self) -> None:
        self.set_y(max(self.get_y(), self._qr_bottom))

    def to_bytes(self) -> bytes:
        return bytes(self.output())


def document_new(*, title: str = "", footer_text: str = "") -> Document:
    doc = Document(title=title, footer_text=footer_text)
    doc.alias_nb_pages()
    return doc
