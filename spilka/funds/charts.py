"""The per-month chart of a transparency page: money in above the line, out below, as SVG.

Coordinates are computed here as plain numbers (no locale can put a decimal comma into
them); the template draws them inside ``{% localize off %}``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from spilka.funds.selectors.transparency import MonthTotals
from spilka.lib.charts import bar_slots, coord, nice_number

IN_COLOUR = "#1b7a3a"
OUT_COLOUR = "#b3261e"


@dataclass(frozen=True)
class MonthBar:
    label: str
    x: float
    width: float
    in_y: float
    in_height: float
    out_y: float
    out_height: float
    income: Decimal
    spent: Decimal
    label_y: float


@dataclass
class MonthChart:
    width: int
    height: int
    zero_y: float
    bars: list[MonthBar] = field(default_factory=list)
    ticks: list[tuple[float, int]] = field(default_factory=list)
    left: float = 56.0


def month_chart(months: list[MonthTotals], *, width: int = 900, height: int = 260) -> MonthChart:
    top_pad, bottom_pad, left = 12.0, 36.0, 56.0
    most = max([float(m.income) for m in months] + [float(m.spent) for m in months] + [1.0])
    scale_top = nice_number(most)
    plot = height - top_pad - bottom_pad
    zero_y = coord(top_pad + plot / 2)
    half = plot / 2
    chart = MonthChart(width=width, height=height, zero_y=zero_y, left=left)
    chart.ticks = [(coord(zero_y - half * f), int(scale_top * f)) for f in (1, 0.5, 0, -0.5, -1)]
    if not months:
        return chart
    slot, bar_width = bar_slots(len(months), width - left - 8)
    every = max(1, math.ceil(len(months) / 12))
    for i, m in enumerate(months):
        x = coord(left + i * slot + (slot - bar_width) / 2)
        # A month can net below nought (a refund larger than its income): draw nothing then.
        in_h = coord(max(0.0, float(m.income)) / scale_top * half)
        out_h = coord(max(0.0, float(m.spent)) / scale_top * half)
        chart.bars.append(
            MonthBar(
                label=m.month.strftime("%Y-%m") if i % every == 0 else "",
                x=x,
                width=bar_width,
                in_y=coord(zero_y - in_h),
                in_height=in_h,
                out_y=zero_y,
                out_height=out_h,
                income=m.income,
                spent=m.spent,
                label_y=coord(height - bottom_pad + 16),
            )
        )
    return chart
