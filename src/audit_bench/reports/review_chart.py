"""The bilan's charts, reportlab Drawings for the PDF and, as pictures, for Word: `section_charts`
says which a pack section draws, in the order both documents lay them out. The grid's axes as a
radar (the latest autodiagnostic, the previous beneath), else a section's percentages as
horizontal bars each with its previous value; the complaints by delay of their first answer
against the deadline; each survey's questions against the threshold; each indicator's trend
against its target. Each chart comes with its figures in words: the Word picture's alternative
text, read aloud by a screen reader and by the tests."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from audit_bench.model import PackSection
from audit_bench.model.review import Distribution, Radar, Rates, Trend
from audit_bench.reports import styles as report_styles
from audit_bench.reports.indicator_chart import WIDTH as TREND_WIDTH
from audit_bench.reports.indicator_chart import indicator_chart
from audit_bench.reports.radar import radar_chart
from audit_bench.reports.review_content import value_text
from audit_bench.reports.typography import NBSP, french_date, french_percent, french_typography

WIDTH = 480
LABEL_WIDTH = 190
BAR_WIDTH = WIDTH - LABEL_WIDTH - 50
ROW = 26
RATE_ROW = 18
LABEL_LINES = 2
"""A survey question's label on at most two lines beside its bar."""
DISTRIBUTION_HEIGHT = 170
CURRENT = colors.HexColor("#1f5f99")
PREVIOUS = colors.HexColor("#b7c4d1")
PAST = colors.HexColor("#c0392b")
"""Past the deadline, under the threshold: the indicator chart's colour for its target."""
APART = colors.HexColor("#9e9e9e")
GRID = colors.HexColor("#dddddd")
MUTED = colors.HexColor("#777777")
TONES = {"within": CURRENT, "past": PAST, "apart": APART}
LIMIT_NAMES = {"within": "dans le délai", "past": "hors délai"}
"""The legend of a distribution with a limit; a bucket set apart is named under its bar."""


@dataclass(frozen=True)
class Chart:
    drawing: Drawing
    text: str
    """The chart's figures in words (« 0–1 : 2 ; 2 : 1 … »)."""


def section_charts(section: PackSection) -> list[Chart]:
    """The charts of a section, in the order the PDF and the Word bilan print them."""
    charts = []
    if section.radar is not None:
        charts.append(Chart(radar(section.radar), radar_text(section.radar)))
    elif charted(section):
        charts.append(Chart(comparison_chart(section), " ; ".join(
            f"{f.label} : {value_text(f.value, '%')} (précédent : {value_text(f.previous, '%')})"
            for f in section.figures)))
    charts += [Chart(distribution_chart(d), distribution_text(d)) for d in section.distributions]
    charts += [Chart(rates_chart(r), rates_text(r)) for r in section.rates]
    charts += [Chart(trend_chart(t), trend_text(t)) for t in section.trends]
    return charts


def _label(value: str) -> str:
    return french_typography(report_styles.printable(value))


def _fit(value: str, size: float, width: float, font: str = report_styles.FONT) -> str:
    """`value` cut with « … » to fit `width` points in `font` (the body font unless said)."""
    if stringWidth(value, font, size) <= width:
        return value
    low, high = 0, len(value)  # the longest cut that fits, by halving: a label may be very long
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if stringWidth(value[:middle] + "…", font, size) <= width else (low, middle - 1)
    return value[:low].rstrip() + "…"


def _wrap(value: str, size: float, width: float, lines: int = LABEL_LINES) -> list[str]:
    """`value` on at most `lines` lines of `width` points, the last cut with « … » if need be."""
    words, out = value.split(" "), []
    while words and len(out) < lines - 1:
        line = words.pop(0)
        while words and stringWidth(f"{line} {words[0]}", report_styles.FONT, size) <= width:
            line += " " + words.pop(0)
        out.append(line)
    rest = " ".join(words)
    return [_fit(line, size, width) for line in out] + ([_fit(rest, size, width)] if rest else [])


def charted(section: PackSection) -> bool:
    """Percentages compared with earlier ones: what the comparison chart draws."""
    return bool(section.figures) and all(f.unit == "%" for f in section.figures) and any(
        f.previous is not None for f in section.figures)


def comparison_chart(section: PackSection) -> Drawing:
    report_styles.register_fonts()
    font = report_styles.FONT
    height = ROW * len(section.figures) + 28
    drawing = Drawing(WIDTH, height)
    _percent_scale(drawing, 20, height - 4)
    for n, figure in enumerate(section.figures):
        top = height - 4 - ROW * n
        drawing.add(String(LABEL_WIDTH - 6, top - 13, _fit(_label(figure.label), 7, LABEL_WIDTH - 10),
                           fontName=font, fontSize=7, textAnchor="end"))
        for value, colour, y in ((figure.value, CURRENT, top - 11), (figure.previous, PREVIOUS, top - 19)):
            if isinstance(value, (int, float)):
                drawing.add(Rect(LABEL_WIDTH, y, BAR_WIDTH * max(0.0, min(value, 100)) / 100, 7,
                                 fillColor=colour, strokeColor=None))
        drawing.add(String(LABEL_WIDTH + BAR_WIDTH + 4, top - 10, value_text(figure.value, "%"), fontName=font,
                           fontSize=7))
    _legend(drawing, LABEL_WIDTH, [(CURRENT, "dernier"), (PREVIOUS, "précédent")])
    return drawing


def _percent_scale(drawing: Drawing, bottom: float, top: float) -> None:
    for tick in (0, 25, 50, 75, 100):
        x = LABEL_WIDTH + BAR_WIDTH * tick / 100
        drawing.add(Line(x, bottom, x, top, strokeColor=GRID, strokeWidth=0.5))
        drawing.add(String(x, bottom - 10, f"{tick}{NBSP}%", fontName=report_styles.FONT, fontSize=6,
                           textAnchor="middle", fillColor=MUTED))


def _legend(drawing: Drawing, x: float, entries: list[tuple[colors.Color, str]]) -> None:
    font = report_styles.FONT
    for colour, name in entries:
        drawing.add(Rect(x, 1, 8, 5, fillColor=colour, strokeColor=None))
        drawing.add(String(x + 11, 1, name, fontName=font, fontSize=6))
        x += 11 + stringWidth(name, font, 6) + 12


def radar(chart: Radar) -> Drawing:
    """The grid's axes as the audit report draws its RADAR."""
    return radar_chart(chart.axes, chart.values, f"Autodiagnostic du {french_date(chart.on)}", chart.previous,
                       f"Autodiagnostic du {french_date(chart.previous_on)}" if chart.previous_on else "")


def radar_text(chart: Radar) -> str:
    before = chart.previous or [None] * len(chart.axes)
    return f"Radar de l'autodiagnostic du {french_date(chart.on)} : " + " ; ".join(
        f"{axis} {french_percent(value)}" + (f" (précédent {french_percent(old)})" if chart.previous else "")
        for axis, value, old in zip(chart.axes, chart.values, before))


def distribution_chart(chart: Distribution) -> Drawing:
    """Vertical bars, a count over each; the limit a dashed line between the last bucket within it
    and the first past it; the buckets off the scale set apart, grey."""
    report_styles.register_fonts()
    font, bold = report_styles.FONT, report_styles.FONT_BOLD
    drawing = Drawing(WIDTH, DISTRIBUTION_HEIGHT)
    drawing.add(String(0, DISTRIBUTION_HEIGHT - 12, _fit(_label(chart.title), 9, WIDTH, bold), fontName=bold,
                       fontSize=9))
    left, bottom, top = 36, 34, DISTRIBUTION_HEIGHT - 40
    gap = 14 if "apart" in chart.tones else 0
    slot = (WIDTH - left - 10 - gap) / max(len(chart.counts), 1)
    highest = max(chart.counts, default=0)
    step = max(1, -(-highest // 4))
    scale_top = max(step * -(-highest // step), 1)
    for tick in range(0, scale_top + 1, step):
        y = bottom + (top - bottom) * tick / scale_top
        drawing.add(Line(left, y, WIDTH - 10, y, strokeColor=GRID, strokeWidth=0.5))
        drawing.add(String(left - 4, y - 2, str(tick), fontName=font, fontSize=6, textAnchor="end", fillColor=MUTED))
    x, line_at, before = left, None, ""
    for bucket, count, tone in zip(chart.buckets, chart.counts, chart.tones):
        if tone == "apart" and before != "apart":
            x += gap
        if tone == "past" and before == "within" and chart.limit:
            line_at = x
        before = tone
        height = (top - bottom) * count / scale_top
        if count:
            drawing.add(Rect(x + slot * 0.15, bottom, slot * 0.7, height, fillColor=TONES.get(tone, CURRENT),
                             strokeColor=None))
        drawing.add(String(x + slot / 2, bottom + height + 3, str(count), fontName=bold, fontSize=7,
                           textAnchor="middle"))
        drawing.add(String(x + slot / 2, bottom - 10, _label(bucket), fontName=font, fontSize=7, textAnchor="middle"))
        x += slot
    if line_at is not None:
        drawing.add(Line(line_at, bottom - 2, line_at, top + 22, strokeColor=PAST, strokeWidth=1,
                         strokeDashArray=[4, 3]))
        drawing.add(String(line_at - 3, top + 16, _label(chart.limit), fontName=font, fontSize=7, textAnchor="end",
                           fillColor=PAST))
    if chart.limit:
        _legend(drawing, left, [(TONES[tone], name) for tone, name in LIMIT_NAMES.items()])
    return drawing


def distribution_text(chart: Distribution) -> str:
    return (f"{chart.title} : " + " ; ".join(f"{bucket} : {count}" for bucket, count in zip(chart.buckets, chart.counts))
            + (f" ({chart.limit})" if chart.limit else ""))




def rates_chart(chart: Rates) -> Drawing:
    """A horizontal bar per question, its rate at the end; the threshold a dashed line across,
    the bars under it in the colour of what is off target."""
    report_styles.register_fonts()
    font, bold = report_styles.FONT, report_styles.FONT_BOLD
    height = RATE_ROW * len(chart.values) + 54
    drawing = Drawing(WIDTH, height)
    drawing.add(String(0, height - 12, _fit(_label(chart.title), 9, WIDTH, bold), fontName=bold, fontSize=9))
    top = height - 32
    _percent_scale(drawing, 20, top)
    for n, (label, value) in enumerate(zip(chart.labels, chart.values)):
        row_top = top - RATE_ROW * n
        lines = _wrap(_label(label), 7, LABEL_WIDTH - 10)
        for k, line in enumerate(lines):
            drawing.add(String(LABEL_WIDTH - 6, row_top - 11 + 4 * (len(lines) - 1) - 8 * k, line, fontName=font,
                               fontSize=7, textAnchor="end"))
        under = value is not None and chart.threshold is not None and value < chart.threshold
        if value is not None:
            drawing.add(Rect(LABEL_WIDTH, row_top - 12, BAR_WIDTH * max(0.0, min(value, 100)) / 100, 9,
                             fillColor=PAST if under else CURRENT, strokeColor=None))
        drawing.add(String(LABEL_WIDTH + BAR_WIDTH + 4, row_top - 10, french_percent(value),
                           fontName=bold if under else font, fontSize=7, fillColor=PAST if under else colors.black))
    if chart.threshold is not None:
        x = LABEL_WIDTH + BAR_WIDTH * max(0.0, min(chart.threshold, 100)) / 100
        drawing.add(Line(x, 20, x, top + 10, strokeColor=PAST, strokeWidth=1, strokeDashArray=[4, 3]))
        drawing.add(String(x - 3, top + 4, f"seuil{NBSP}: {french_percent(chart.threshold)}", fontName=font,
                           fontSize=7, textAnchor="end", fillColor=PAST))
        _legend(drawing, LABEL_WIDTH, [(CURRENT, "au seuil ou au-dessus"), (PAST, "sous le seuil")])
    return drawing


def rates_text(chart: Rates) -> str:
    return (f"{chart.title} : " + " ; ".join(f"{label} : {french_percent(value)}"
                                            for label, value in zip(chart.labels, chart.values))
            + (f" (seuil : {french_percent(chart.threshold)})" if chart.threshold is not None else ""))


def trend_text(trend: Trend) -> str:
    return (f"{trend.title} : " + " ; ".join(f"{period} : {value_text(value, trend.unit)}"
                                            for period, value in zip(trend.periods, trend.values))
            + (f" (cible : {value_text(trend.target, trend.unit)})" if trend.target is not None else ""))


def trend_chart(trend: Trend) -> Drawing:
    """An indicator's trend in the bilan: the same line chart as anywhere an indicator is drawn."""
    title = _fit(_label(trend.title), 9, TREND_WIDTH, report_styles.FONT_BOLD)  # the indicator's name may be long
    return indicator_chart(title, trend.periods, trend.values, trend.target, trend.unit)
