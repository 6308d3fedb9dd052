"""Share pictures (1200x630 PNG) for links posted on social networks and messengers.

Drawn here with Pillow and the bundled DejaVu fonts (they cover Latin, Cyrillic and the
Ukrainian letters), so no page ever asks another service for a picture. A card holds only
what the public page already shows: the title, the publicly named organisation, and for a
petition its count and goal; never anyone's name.

Each picture is drawn once per content and kept in the Django cache under a digest of
everything drawn (so a new title, a new signature count or another language is a new key,
and an old picture simply ages out).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.core.cache import cache
from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
CACHE_SECONDS = 7 * 24 * 3600

FONTS = Path(__file__).resolve().parent / "fonts"

# The site's colours (spilka.css): deep blue ground, yellow accent, light text.
BACKGROUND = (22, 44, 84)
ACCENT = (255, 204, 0)
TEXT = (255, 255, 255)
MUTED = (196, 208, 228)
TRACK = (52, 78, 122)


@dataclass(frozen=True)
class ShareCard:
    """What one picture shows. Every field is public text."""

    kind: str  # "petition", "statement", "campaign", "event": part of the cache key
    key: str  # the object's id, for the cache key
    language: str  # the page's language: part of the cache key
    label: str  # "Petition", "Event" … in the page's language
    title: str
    organisation: str = ""
    detail: str = ""  # a second line: a date, "To: …"
    count: int | None = None  # petitions: confirmed signatures
    goal: int | None = None
    progress_text: str = ""  # "1,234 of 5,000 signatures", already localised

    def digest(self) -> str:
        parts = [
            self.kind,
            self.key,
            self.language,
            self.label,
            self.title,
            self.organisation,
            self.detail,
            str(self.count),
            str(self.goal),
            self.progress_text,
        ]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


@lru_cache(maxsize=16)
def _font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(FONTS / name), size)


def _wrap(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int
) -> list[str]:
    """Greedy word wrap by measured width; a single over-long word is cut by letters."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if draw.textlength(candidate, font=font) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while draw.textlength(current, font=font) > width and len(current) > 1:
            cut = len(current)
            while cut > 1 and draw.textlength(current[:cut], font=font) > width:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    return lines


def _fit(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> str:
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _title_lines(
    draw: ImageDraw.ImageDraw, title: str, width: int, max_lines: int
) -> tuple[list[str], ImageFont.FreeTypeFont]:
    # The largest size at which the title fits; below the smallest, the last line ends in "…".
    for size in (68, 60, 52, 46):
        font = _font(size, bold=True)
        lines = _wrap(draw, title, font, width)
        if len(lines) <= max_lines:
            return lines, font
    lines = _wrap(draw, title, font, width)
    kept = lines[:max_lines]
    kept[-1] = _fit(draw, kept[-1] + " " + " ".join(lines[max_lines:]), font, width)
    return kept, font


def draw_card(card: ShareCard) -> bytes:
    """The card as PNG bytes."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    inner = WIDTH - 2 * MARGIN
    draw.rectangle((0, 0, WIDTH, 14), fill=ACCENT)

    y = MARGIN - 8
    label_font = _font(30, bold=True)
    draw.text(
        (MARGIN, y), _fit(draw, card.label.upper(), label_font, inner), font=label_font, fill=ACCENT
    )
    y += 58

    has_progress = card.goal is not None
    max_lines = 3 if (has_progress or card.detail) else 4
    lines, font = _title_lines(draw, card.title or "Spilka", inner, max_lines)
    line_height = int(font.size * 1.18)
    for line in lines:
        draw.text((MARGIN, y), line, font=font, fill=TEXT)
        y += line_height

    if card.detail:
        detail_font = _font(32)
        y += 12
        draw.text(
            (MARGIN, y), _fit(draw, card.detail, detail_font, inner), font=detail_font, fill=MUTED
        )

    bottom = HEIGHT - MARGIN
    if has_progress:
        bar_top = bottom - 120
        goal = card.goal or 0
        share = 1.0 if not goal else min(1.0, (card.count or 0) / goal)
        draw.rounded_rectangle(
            (MARGIN, bar_top, WIDTH - MARGIN, bar_top + 28), radius=14, fill=TRACK
        )
        if share > 0:
            right = MARGIN + max(28, int(inner * share))
            draw.rounded_rectangle((MARGIN, bar_top, right, bar_top + 28), radius=14, fill=ACCENT)
        if card.progress_text:
            progress_font = _font(30, bold=True)
            draw.text(
                (MARGIN, bar_top + 40),
                _fit(draw, card.progress_text, progress_font, inner),
                font=progress_font,
                fill=TEXT,
            )

    footer_font = _font(30)
    brand_font = _font(34, bold=True)
    brand = "Spilka"
    brand_width = draw.textlength(brand, font=brand_font)
    draw.text((WIDTH - MARGIN - brand_width, bottom - 34), brand, font=brand_font, fill=ACCENT)
    if card.organisation:
        room = int(inner - brand_width - 40)
        draw.text(
            (MARGIN, bottom - 32),
            _fit(draw, card.organisation, footer_font, room),
            font=footer_font,
            fill=MUTED,
        )

    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def card_png(card: ShareCard) -> bytes:
    """The card's PNG, from the cache when this exact content was drawn before."""
    key = f"share-image:{card.kind}:{card.key}:{card.language}:{card.digest()}"
    png = cache.get(key)
    if png is None:
        png = draw_card(card)
        cache.set(key, png, CACHE_SECONDS)
    return png
