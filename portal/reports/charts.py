"""Charts as SVG drawn on the server: the geometry here, the drawing in
``templates/reports/_chart.html``.

Why not a chart library (pygal, matplotlib): the page's CSP allows no inline script or style,
which pygal's SVG needs for its tooltips and colours; neither mirrors for right-to-left pages;
their labels bypass our catalogues and number formats. A bar chart is a few rectangles and
words: here every label is the page's own translated text and number format, colours are CSS
classes from the portal's stylesheet (so print and high-contrast styles apply), and on an
Arabic page the chart is mirrored (bars grow from the right, the first month is on the right).

Every chart has a title and a description; the table below it holds the same numbers and is
what a screen reader reads (the SVG is ``role="img"`` with ``aria-labelledby``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

#: Drawing units (the SVG scales to its box: on a 390 px phone one unit is about a pixel, so
#: the 12-unit text stays readable there; on a desk the box is at most 36rem wide).
WIDTH = 420
LABEL_WIDTH = 140
BAR = 14
GAP = 10
VALUE_ROOM = 64
#: About how wide a character of the 12-unit text is (for cutting labels and placing legends).
CHAR = 6.6


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    series: int


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str
    anchor: str  # "start", "middle" or "end", in the text's direction
    kind: str = "label"


@dataclass
class Chart:
    key: str
    title: str
    description: str
    series: Sequence[str]
    width: float = WIDTH
    height: float = 0
    rects: list[Rect] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    rtl: bool = False


@dataclass(frozen=True)
class Row:
    label: str
    #: One value per series; None where the number is hidden (a small group).
    values: Sequence[float | None]
    #: The text next to each bar (the formatted number or "< 5").
    texts: Sequence[str]


def _mirror(chart: Chart) -> Chart:
    """Right to left: every x flipped. The anchors stay: the SVG is drawn with
    ``direction="rtl"``, where "start" is a text's right edge (and Arabic, numbers and "< 5"
    read the right way round)."""
    chart.rtl = True
    chart.rects = [
        Rect(chart.width - r.x - r.width, r.y, r.width, r.height, r.series) for r in chart.rects
    ]
    chart.labels = [
        Label(chart.width - lb.x, lb.y, lb.text, lb.anchor, lb.kind) for lb in chart.labels
    ]
    return chart


def _cut(text: str, room: float) -> str:
    """``text`` shortened with "…" to fit ``room`` units (the table has it whole)."""
    most = int(room / CHAR)
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def _legend(chart: Chart, y: float) -> float:
    """Swatches with the series' names along the top (on more lines when needed); the next
    free y."""
    if len(chart.series) < 2:
        return y
    x = 0.0
    for n, name in enumerate(chart.series):
        width = 18 + CHAR * len(name) + 16
        if x and x + width > chart.width:
            x, y = 0.0, y + 18
        chart.rects.append(Rect(x, y, 12, 12, n))
        chart.labels.append(Label(x + 18, y + 11, name, "start", "legend"))
        x += width
    return y + 24


def bars(
    key: str,
    title: str,
    description: str,
    series: Sequence[str],
    rows: Sequence[Row],
    *,
    rtl: bool = False,
) -> Chart:
    """Horizontal bars: a label, then one bar per series, each with its number."""
    chart = Chart(key, title, description, series)
    y = _legend(chart, 0)
    most = max((v for row in rows for v in row.values if v), default=0) or 1
    room = WIDTH - LABEL_WIDTH - VALUE_ROOM
    for row in rows:
        block = len(series) * BAR
        label = _cut(row.label, LABEL_WIDTH - 8)
        chart.labels.append(Label(LABEL_WIDTH - 8, y + block / 2 + 4, label, "end"))
        for n, (value, text) in enumerate(zip(row.values, row.texts, strict=True)):
            top = y + n * BAR
            length = 0.0 if value is None else room * value / most
            if length:
                chart.rects.append(Rect(LABEL_WIDTH, top + 1, max(length, 1), BAR - 2, n))
            chart.labels.append(
                Label(LABEL_WIDTH + length + 4, top + BAR - 3, text, "start", "value")
            )
        y += block + GAP
    chart.height = max(y, 1)
    return _mirror(chart) if rtl else chart


def columns(
    key: str,
    title: str,
    description: str,
    series: Sequence[str],
    names: Sequence[str],
    values: Sequence[Sequence[int]],
    *,
    rtl: bool = False,
) -> Chart:
    """Vertical bars per period (a month), one per series, with the names below; the highest
    value written on the axis. ``values[series][n]``."""
    chart = Chart(key, title, description, series)
    top = _legend(chart, 0) + 14
    plot = 150.0
    most = max((v for row in values for v in row), default=0) or 1
    step = (WIDTH - 30) / max(len(names), 1)
    bar = min(step / (len(series) + 0.5), 22)
    chart.labels.append(Label(0, top - 2, str(most), "start", "axis"))
    for n, name in enumerate(names):
        left = 30 + n * step
        for s, row in enumerate(values):
            height = plot * row[n] / most
            if height:
                chart.rects.append(Rect(left + s * bar, top + plot - height, bar - 2, height, s))
        chart.labels.append(
            Label(left + bar * len(series) / 2, top + plot + 16, name, "middle", "axis")
        )
    chart.rects.append(Rect(30, top + plot, WIDTH - 30, 1, -1))  # the base line
    chart.height = top + plot + 24
    return _mirror(chart) if rtl else chart
