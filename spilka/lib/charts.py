"""What the SVG charts share: numbers a template can put in an attribute, round scale tops,
and bar slots. Each app keeps its own chart (what is counted, colours, labels); templates
draw the SVG inside ``{% localize off %}``, with no scripts.
"""

from __future__ import annotations

import math


def coord(value: float) -> float:
    """A coordinate: a plain number to one decimal (no locale puts a comma into it)."""
    return round(value, 1)


def nice_number(top: float) -> int:
    """The smallest 1, 2 or 5 times a power of ten at or above ``top`` (1 for nothing):
    the top of an axis a reader takes in at a glance."""
    if top <= 0:
        return 1
    magnitude = 10 ** int(math.log10(top))
    for factor in (1, 2, 5, 10):
        if top <= factor * magnitude:
            return int(factor * magnitude)
    return int(top)


def nice_step(top: int, ticks: int = 4) -> int:
    """A round step that reaches ``top`` in about ``ticks`` steps."""
    return nice_number(max(1, math.ceil(top / ticks)))


def bar_slots(count: int, length: float, *, fill: float = 0.7) -> tuple[float, float]:
    """The room each of ``count`` bars gets along ``length``, and the bar's width in it
    (``fill`` of the room, never under two units, so a long series still shows)."""
    slot = length / count
    return slot, coord(max(slot * fill, 2.0))
