"""Charts for campaign pages, computed here and drawn as SVG by templates: no scripts.

Coordinates are plain numbers rounded to one decimal; path data is built here as a string,
so no locale can put a decimal comma into it. Templates still wrap the SVG in
``{% localize off %}``, and everything textual (names, dates) is escaped by the template.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field

from spilka.campaigns.selectors.resolutions import CountryProgress, TimelineEntry
from spilka.lib.charts import coord, nice_step

ADOPTED_COLOUR = "#1b7a3a"
UNVERIFIED_COLOUR = "#9fd3ae"
IN_PROGRESS_COLOUR = "#c9d3e3"
LEGEND_ROW = 16.0


@dataclass(frozen=True)
class Tick:
    position: float
    value: int = 0
    date: datetime.date | None = None


@dataclass(frozen=True)
class TimelinePoint:
    x: float
    y: float
    date: datetime.date
    body: str
    total: int


@dataclass
class TimelineChart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    path: str = ""
    points: list[TimelinePoint] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    by_year: bool = True
    total: int = 0

    @property
    def tick_end(self) -> float:
        return self.bottom + 5


def _month_starts(start: datetime.date, end: datetime.date, every: int) -> list[datetime.date]:
    months = []
    year, month = start.year, start.month
    if start.day > 1:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    while datetime.date(year, month, 1) <= end:
        months.append(datetime.date(year, month, 1))
        for _step in range(every):
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def timeline_chart(
    entries: list[TimelineEntry],
    *,
    today: datetime.date,
    width: int = 900,
    height: int = 260,
) -> TimelineChart:
    """Cumulative adoptions over time as a step line, one dot per adoption."""
    chart = TimelineChart(
        width, height, left=44.0, right=width - 16.0, top=16.0, bottom=height - 34.0
    )
    if not entries:
        return chart
    entries = sorted(entries, key=lambda e: (e.date, e.body))
    start = entries[0].date
    end = max(entries[-1].date, min(today, entries[-1].date + datetime.timedelta(days=365)))
    if (end - start).days < 60:
        start -= datetime.timedelta(days=30)
        end += datetime.timedelta(days=30)
    # A little room before the first adoption, so the line visibly starts at nought.
    start -= datetime.timedelta(days=max(7, (end - start).days // 40))
    span = (end - start).days or 1
    total = len(entries)
    y_step = nice_step(total)
    y_top = y_step * math.ceil(total / y_step)

    def x_of(day: datetime.date) -> float:
        return coord(chart.left + (day - start).days / span * (chart.right - chart.left))

    def y_of(count: int) -> float:
        return coord(chart.bottom - count / y_top * (chart.bottom - chart.top))

    parts = [f"M{x_of(start)} {y_of(0)}"]
    for count, entry in enumerate(entries, start=1):
        x = x_of(entry.date)
        parts.append(f"H{x} V{y_of(count)}")
        chart.points.append(TimelinePoint(x, y_of(count), entry.date, entry.body, count))
    parts.append(f"H{x_of(end)}")
    chart.path = " ".join(parts)
    chart.total = total
    chart.y_ticks = [Tick(y_of(v), value=v) for v in range(0, y_top + 1, y_step)]
    chart.by_year = span > 540
    if chart.by_year:
        years = range(start.year + 1, end.year + 1)
        every = max(1, math.ceil(len(years) / 8))
        days = [datetime.date(y, 1, 1) for y in years][::every]
    else:
        days = _month_starts(start, end, max(1, math.ceil(span / 30 / 8)))
    chart.x_ticks = [Tick(x_of(day), date=day) for day in days]
    return chart


@dataclass(frozen=True)
class Bar:
    x: float
    width: float
    colour: str


@dataclass
class CountryRow:
    name: str
    code: str
    y: float
    text_y: float
    bars: list[Bar]
    count_x: float
    adopted: int
    unverified: int
    in_progress: int


@dataclass
class CountryChart:
    width: int
    height: int
    rows: list[CountryRow] = field(default_factory=list)
    legend_y: float = 0.0

    @property
    def legend_rows(self) -> list[float]:
        return [coord(self.legend_y + i * LEGEND_ROW) for i in range(3)]


def country_chart(progress: list[CountryProgress], *, width: int = 900) -> CountryChart:
    """One bar per country: adopted (verified), reported but not verified, in progress."""
    row_height, top, label_width, count_width = 28.0, 8.0, 220.0, 60.0
    legend = 3 * LEGEND_ROW
    chart = CountryChart(width, int(top + row_height * max(len(progress), 1) + legend + 16))
    chart.legend_y = coord(top + row_height * max(len(progress), 1) + 12)
    most = max((p.total for p in progress), default=0) or 1
    scale = (width - label_width - count_width) / most
    for i, country in enumerate(progress):
        y = top + i * row_height
        x = label_width
        bars = []
        for value, colour in (
            (country.adopted, ADOPTED_COLOUR),
            (country.unverified, UNVERIFIED_COLOUR),
            (country.in_progress, IN_PROGRESS_COLOUR),
        ):
            if value:
                bars.append(Bar(coord(x), coord(value * scale), colour))
                x += value * scale
        chart.rows.append(
            CountryRow(
                name=country.name,
                code=country.code,
                y=coord(y + 4),
                text_y=coord(y + row_height / 2 + 4),
                bars=bars,
                count_x=coord(x + 6),
                adopted=country.adopted,
                unverified=country.unverified,
                in_progress=country.in_progress,
            )
        )
    return chart
