"""The bilan's charts, reportlab Drawings for the PDF and, as pictures, for Word: a section's
percentages as horizontal bars, each with the previous value beneath (the RECAP of the latest
autodiagnostic against the one before), and each indicator's trend against its target."""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors

from audit_bench.model import PackSection
from audit_bench.model.review import Trend
from audit_bench.reports import styles as report_styles
from audit_bench.reports.indicator_chart import indicator_chart
from audit_bench.reports.review_content import value_text

WIDTH = 480
LABEL_WIDTH = 190
BAR_WIDTH = WIDTH - LABEL_WIDTH - 50
ROW = 26
CURRENT = colors.HexColor("#1f5f99")
PREVIOUS = colors.HexColor("#b7c4d1")


def charted(section: PackSection) -> bool:
    """Percentages compared with earlier ones: what this chart draws."""
    return bool(section.figures) and all(f.unit == "%" for f in section.figures) and any(
        f.previous is not None for f in section.figures)


def comparison_chart(section: PackSection) -> Drawing:
    report_styles.register_fonts()
    font = report_styles.FONT
    height = ROW * len(section.figures) + 28
    drawing = Drawing(WIDTH, height)
    for tick in (0, 25, 50, 75, 100):
        x = LABEL_WIDTH + BAR_WIDTH * tick / 100
        drawing.add(Line(x, 20, x, height - 4, strokeColor=colors.HexColor("#dddddd"), strokeWidth=0.5))
        drawing.add(String(x, 10, f"{tick}\u00a0%", fontName=font, fontSize=6, textAnchor="middle",
                           fillColor=colors.HexColor("#777777")))
    for n, figure in enumerate(section.figures):
        top = height - 4 - ROW * n
        label = figure.label if len(figure.label) <= 42 else figure.label[:41] + "…"
        drawing.add(String(LABEL_WIDTH - 6, top - 13, label, fontName=font, fontSize=7, textAnchor="end"))
        for value, colour, y in ((figure.value, CURRENT, top - 11), (figure.previous, PREVIOUS, top - 19)):
            if isinstance(value, (int, float)):
                drawing.add(Rect(LABEL_WIDTH, y, BAR_WIDTH * max(0.0, min(value, 100)) / 100, 7,
                                 fillColor=colour, strokeColor=None))
        drawing.add(String(LABEL_WIDTH + BAR_WIDTH + 4, top - 10, value_text(figure.value, "%"), fontName=font,
                           fontSize=7))
    drawing.add(Rect(LABEL_WIDTH, 1, 8, 5, fillColor=CURRENT, strokeColor=None))
    drawing.add(String(LABEL_WIDTH + 11, 1, "dernier", fontName=font, fontSize=6))
    drawing.add(Rect(LABEL_WIDTH + 50, 1, 8, 5, fillColor=PREVIOUS, strokeColor=None))
    drawing.add(String(LABEL_WIDTH + 61, 1, "précédent", fontName=font, fontSize=6))
    return drawing


def trend_chart(trend: Trend) -> Drawing:
    """An indicator's trend in the bilan: the same line chart as anywhere an indicator is drawn."""
    return indicator_chart(trend.title, trend.periods, trend.values, trend.target, trend.unit)
