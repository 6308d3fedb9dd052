"""The timeline of confirmed deliveries, drawn as SVG by the template (no scripts)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from spilka.lib.charts import bar_slots, coord


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    month: datetime.date
    count: int


@dataclass
class Timeline:
    width: int
    height: int
    bars: list[Bar]
    maximum: int


def timeline_chart(
    points: list[tuple[datetime.date, int]], width: int = 640, height: int = 160
) -> Timeline:
    if not points:
        return Timeline(width, height, [], 0)
    maximum = max(count for _month, count in points) or 1
    slot, bar_width = bar_slots(len(points), width - 20)
    plot = height - 30
    bars = [
        Bar(
            x=coord(10 + i * slot),
            y=coord(10 + plot - plot * count / maximum),
            width=bar_width,
            height=coord(plot * count / maximum),
            month=month,
            count=count,
        )
        for i, (month, count) in enumerate(points)
    ]
    return Timeline(width, height, bars, maximum)
