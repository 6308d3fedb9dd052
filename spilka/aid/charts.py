"""The timeline of confirmed deliveries, drawn as SVG by the template (no scripts)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


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
    slot = (width - 20) / len(points)
    bar_width = round(max(slot * 0.7, 2.0), 1)
    plot = height - 30
    bars = [
        Bar(
            x=round(10 + i * slot, 1),
            y=round(10 + plot - plot * count / maximum, 1),
            width=bar_width,
            height=round(plot * count / maximum, 1),
            month=month,
            count=count,
        )
        for i, (month, count) in enumerate(points)
    ]
    return Timeline(width, height, bars, maximum)
