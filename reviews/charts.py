"""Small SVG charts laid out on the server.

This module computes the geometry (pure functions over a few numbers); the dashboard template
draws it with autoescaping, so no chart library, script or CDN reaches the browser and no label
is ever marked safe. Coordinates are in the SVG's viewBox units; the SVG scales to its box.
"""

import datetime
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

# Colours come from the database (admins edit the rating scale); only a plain hex colour is
# written into a style or fill attribute.
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_COLOUR = "#4b5563"
BAR_COLOUR = "#1d4ed8"


def safe_colour(value: str | None, default: str = DEFAULT_COLOUR) -> str:
    return value if value and _HEX.match(value) else default


def nice_ticks(top: int, *, most: int = 5) -> list[int]:
    """Axis ticks from 0 to at least ``top`` in steps of 1, 2 or 5 times a power of ten."""
    if top <= 0:
        return [0, 1]
    magnitude = 10 ** max(0, math.floor(math.log10(top)) - 1)
    step = next(
        s * m
        for m in (magnitude, magnitude * 10, magnitude * 100)
        for s in (1, 2, 5)
        if math.ceil(top / (s * m)) <= most
    )
    return list(range(0, math.ceil(top / step) * step + 1, step))


def _r(value: float) -> float:
    return round(value, 1)


# --- Horizontal bars: one row per category ----------------------------------------------------


@dataclass(frozen=True)
class HBar:
    label: str
    value: int
    y: float
    width: float
    value_x: float
    text_y: float
    colour: str
    href: str = ""
    marker_x: float | None = None  # a reference line, e.g. a reviewer's cap
    marker_label: str = ""


@dataclass(frozen=True)
class HBarChart:
    width: int
    height: int
    label_width: int
    bar_height: int
    bars: list[HBar]

    @property
    def label_x(self) -> int:
        return self.label_width - 8


@dataclass(frozen=True)
class HBarRow:
    label: str
    value: int
    colour: str = BAR_COLOUR
    href: str = ""
    marker: int | None = None
    marker_label: str = ""


def hbar_chart(rows: Sequence[HBarRow], *, width: int = 400, label_width: int = 124, row: int = 28) -> HBarChart:
    """Bars proportional to the largest value (or marker); room on the right for the value."""
    plot = width - label_width - 48
    top = max([r.value for r in rows] + [r.marker or 0 for r in rows] + [1])
    bar_height = row - 8
    bars = [
        HBar(
            label=r.label,
            value=r.value,
            y=i * row + 4,
            width=_r(plot * r.value / top),
            value_x=_r(label_width + plot * r.value / top + 6),
            text_y=i * row + row - 9,
            colour=safe_colour(r.colour),
            href=r.href,
            marker_x=_r(label_width + plot * r.marker / top) if r.marker is not None else None,
            marker_label=r.marker_label,
        )
        for i, r in enumerate(rows)
    ]
    return HBarChart(
        width=width, height=max(row, row * len(rows)), label_width=label_width, bar_height=bar_height, bars=bars
    )


# --- Columns over weeks, stacked by series -----------------------------------------------------


@dataclass(frozen=True)
class Segment:
    y: float
    height: float
    colour: str
    title: str


@dataclass(frozen=True)
class Column:
    x: float
    label_x: float  # the column's centre
    label: str
    show_label: bool
    total: int
    segments: list[Segment]


@dataclass(frozen=True)
class Gridline:
    y: float
    value: int


@dataclass(frozen=True)
class LegendItem:
    name: str
    colour: str
    total: int


@dataclass(frozen=True)
class WeekChart:
    width: int
    height: int
    left: int
    bottom: float
    column_width: float
    columns: list[Column]
    gridlines: list[Gridline]
    legend: list[LegendItem]

    @property
    def right(self) -> int:
        return self.width - 4

    @property
    def label_y(self) -> float:
        return self.bottom + 16


@dataclass(frozen=True)
class Series:
    name: str
    colour: str
    values: Sequence[int]


def week_label(week: datetime.date) -> str:
    return f"{week.day} {week:%b}"


def week_chart(
    weeks: Sequence[datetime.date], series: Sequence[Series], *, width: int = 400, height: int = 200
) -> WeekChart:
    """One column per week, the series stacked bottom-up in the order given. With many weeks
    only every other week is labelled so that labels never overlap on a phone."""
    left, top_pad, bottom_pad = 32, 8, 24
    bottom = height - bottom_pad
    plot_height = bottom - top_pad
    totals = [sum(s.values[i] for s in series) for i in range(len(weeks))]
    ticks = nice_ticks(max(totals, default=0))
    scale = plot_height / ticks[-1]
    slot = (width - left - 4) / max(1, len(weeks))
    column_width = _r(slot * 0.7)
    columns = []
    for i, week in enumerate(weeks):
        y = bottom
        segments = []
        for s in series:
            value = s.values[i]
            if value:
                h = value * scale
                y -= h
                segments.append(Segment(_r(y), _r(h), safe_colour(s.colour, BAR_COLOUR), f"{s.name}: {value}"))
        columns.append(
            Column(
                x=_r(left + i * slot + (slot - column_width) / 2),
                label_x=_r(left + i * slot + slot / 2),
                label=week_label(week),
                show_label=len(weeks) <= 8 or (len(weeks) - 1 - i) % 2 == 0,
                total=totals[i],
                segments=segments,
            )
        )
    return WeekChart(
        width=width,
        height=height,
        left=left,
        bottom=bottom,
        column_width=column_width,
        columns=columns,
        gridlines=[Gridline(_r(bottom - t * scale), t) for t in ticks],
        legend=[LegendItem(s.name, safe_colour(s.colour, BAR_COLOUR), sum(s.values)) for s in series],
    )
