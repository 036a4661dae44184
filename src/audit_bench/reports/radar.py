"""A radar of a grid's axes (the IAE OS RADAR): the percentages of one evaluation, the previous one
beneath, lighter and dashed. One drawing for the audit report and the bilan annuel.

reportlab's SpiderChart scales to the largest value it is given and draws no rings: the scale is
pinned with an invisible full-scale series (100 %) and the 25/50/75/100 % rings are drawn here,
beneath the chart, as are the axis labels (long French titles wrapped on several lines).
"""

from __future__ import annotations

import math
import textwrap
from typing import Sequence

from reportlab.graphics.charts.spider import SpiderChart
from reportlab.graphics.shapes import Drawing, Polygon, Rect, String
from reportlab.lib import colors

from audit_bench.reports import styles as report_styles
from audit_bench.reports.typography import french_percent

CURRENT = "#1f5f99"
PREVIOUS = "#9e9e9e"
RINGS = (25, 50, 75, 100)
WIDTH, HEIGHT = 450, 300
RADIUS = 95


def radar_chart(axes: Sequence[str], values: Sequence[float | None], legend: str,
                previous: Sequence[float | None] | None = None, previous_legend: str = "") -> Drawing:
    """A spider chart of `values` (in %, one per axis, None drawn at the centre), each axis labelled
    with its value; `previous` (the same axes) beneath. `legend` names what is drawn."""
    report_styles.register_fonts()
    font, bold = report_styles.FONT, report_styles.FONT_BOLD
    n = len(axes)
    cx, cy = WIDTH / 2, HEIGHT / 2 + 12
    drawing = Drawing(WIDTH, HEIGHT)

    def point(i: int, fraction: float) -> tuple[float, float]:
        # SpiderChart's geometry: start at 90° (top), clockwise.
        angle = math.pi / 2 - 2 * math.pi * i / n
        return cx + math.cos(angle) * RADIUS * fraction, cy + math.sin(angle) * RADIUS * fraction

    for ring in RINGS:
        points = [c for i in range(n) for c in point(i, ring / 100)]
        drawing.add(Polygon(points, fillColor=None, strokeColor=colors.HexColor("#c8c8c8"),
                            strokeWidth=0.5 if ring < 100 else 0.8))
        x, y = point(0, ring / 100)
        drawing.add(String(x + 3, y - 3, f"{ring}\u00a0%", fontName=font, fontSize=6,
                           fillColor=colors.HexColor("#777777")))

    chart = SpiderChart()
    chart.x, chart.y = cx - RADIUS, cy - RADIUS
    chart.width = chart.height = 2 * RADIUS
    series = [[1.0] * n]
    if previous is not None:
        series.append(_fractions(previous))
    series.append(_fractions(values))
    chart.data = series
    chart.labels = [""] * n
    chart.spokes.strokeColor = colors.HexColor("#c8c8c8")
    chart.spokes.strokeWidth = 0.5
    chart.strands[0].strokeColor = None
    chart.strands[0].fillColor = None
    chart.strands[0].strokeWidth = 0
    index = 1
    if previous is not None:
        prev = colors.HexColor(PREVIOUS)
        chart.strands[index].strokeColor = prev
        chart.strands[index].fillColor = colors.Color(prev.red, prev.green, prev.blue, alpha=0.25)
        chart.strands[index].strokeWidth = 1
        chart.strands[index].strokeDashArray = (3, 2)
        index += 1
    current = colors.HexColor(CURRENT)
    chart.strands[index].strokeColor = current
    chart.strands[index].fillColor = colors.Color(current.red, current.green, current.blue, alpha=0.25)
    chart.strands[index].strokeWidth = 1.6
    drawing.add(chart)

    for i, (axis, value) in enumerate(zip(axes, values)):
        angle = math.pi / 2 - 2 * math.pi * i / n
        x, y = point(i, 1.12)
        anchor = "middle" if abs(math.cos(angle)) < 0.2 else ("start" if math.cos(angle) > 0 else "end")
        lines = textwrap.wrap(axis, 26)
        lines.append(french_percent(value))
        top = y + (len(lines) * 8 if math.sin(angle) > 0.2 else (len(lines) * 4 if math.sin(angle) > -0.2 else 0)) - 6
        for k, text in enumerate(lines):
            last = k == len(lines) - 1
            drawing.add(String(x, top - 8 * k, text, fontName=bold if last else font, fontSize=7,
                               textAnchor=anchor,
                               fillColor=colors.HexColor(CURRENT) if last else colors.black))

    legends = [(CURRENT, legend, False)]
    if previous is not None:
        legends.append((PREVIOUS, previous_legend, True))
    for k, (colour, label, dashed) in enumerate(legends):
        y = 12 + 12 * (len(legends) - 1 - k)
        swatch = colors.HexColor(colour)
        drawing.add(Rect(10, y - 1, 14, 7, fillColor=colors.Color(swatch.red, swatch.green, swatch.blue, alpha=0.35),
                         strokeColor=swatch, strokeDashArray=(3, 2) if dashed else None))
        drawing.add(String(30, y, label, fontName=font, fontSize=7.5))
    return drawing


def _fractions(percents: Sequence[float | None]) -> list[float]:
    return [(percent or 0.0) / 100.0 for percent in percents]
