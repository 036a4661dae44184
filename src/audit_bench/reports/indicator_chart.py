"""The trend of one indicator as a reportlab line chart: its values per period against its target.

Plain figures in, a `Drawing` out (a flowable for a PDF, a picture for Word through
`reports.raster`), so the bilan annuel and any report lay it out the same way. A period without a
value is a gap in the line, never a zero.
"""

from __future__ import annotations

from typing import Sequence

from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors

from audit_bench.reports.styles import FONT, FONT_BOLD, register_fonts

WIDTH = 440
HEIGHT = 190
VALUE_COLOUR = colors.HexColor("#1f5f8b")
TARGET_COLOUR = colors.HexColor("#c0392b")


def _number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def indicator_chart(title: str, periods: Sequence[str], values: Sequence[float | None], target: float | None,
                    unit: str = "", width: float = WIDTH, height: float = HEIGHT) -> Drawing:
    """A line of `values` (one per period, None for a missing one) and a dashed line at `target`,
    the periods as labels under the axis, a legend with the target's value."""
    register_fonts()
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 12, title, fontName=FONT_BOLD, fontSize=9))
    plot = LinePlot()
    angled = len(periods) > 6  # many periods: their labels are slanted, and take more room under the axis
    plot.x, plot.y = 36, 50 if angled else 34
    plot.width, plot.height = width - 50, height - 36 - plot.y
    known = [v for v in values if v is not None] + ([target] if target is not None else [])
    top = max(known, default=1.0)
    plot.yValueAxis.valueMin = min(0.0, min(known, default=0.0))
    plot.yValueAxis.valueMax = top * 1.1 if top > 0 else 1.0
    plot.yValueAxis.labels.fontName = FONT
    plot.yValueAxis.labels.fontSize = 7
    plot.yValueAxis.labelTextFormat = lambda v: _number(round(v, 2))
    count = max(len(periods), 1)
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = -0.5, count - 0.5
    plot.xValueAxis.valueSteps = list(range(len(periods)))
    plot.xValueAxis.labelTextFormat = lambda i: periods[int(round(i))] if 0 <= int(round(i)) < len(periods) else ""
    plot.xValueAxis.labels.fontName = FONT
    plot.xValueAxis.labels.fontSize = 7
    plot.xValueAxis.labels.angle = 30 if angled else 0
    plot.xValueAxis.labels.boxAnchor = "ne" if angled else "n"
    series = _segments(values)
    lines = list(series)
    if target is not None:
        lines.append([(-0.5, target), (count - 0.5, target)])
    if not lines:
        lines = [[(0, 0)]]
    plot.data = lines
    for index in range(len(series)):
        plot.lines[index].strokeColor = VALUE_COLOUR
        plot.lines[index].strokeWidth = 1.5
        plot.lines[index].symbol = makeMarker("FilledCircle", size=3, fillColor=VALUE_COLOUR)
    if target is not None:
        plot.lines[len(series)].strokeColor = TARGET_COLOUR
        plot.lines[len(series)].strokeDashArray = [4, 3]
    drawing.add(plot)
    legend = f"— valeur{f' ({unit})' if unit else ''}"
    if target is not None:
        legend += f"     - - cible : {_number(target)}{f' {unit}' if unit else ''}"
    drawing.add(String(plot.x, 4, legend, fontName=FONT, fontSize=7))
    return drawing


def _segments(values: Sequence[float | None]) -> list[list[tuple[float, float]]]:
    """The values as runs of consecutive known points: a missing period breaks the line."""
    runs: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    for index, value in enumerate(values):
        if value is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append((index, value))
    if current:
        runs.append(current)
    return runs
