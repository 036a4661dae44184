"""The RECAP table and the RADAR as a report section (reportlab, imported only when a report is built).

reportlab's SpiderChart scales to the largest value it is given and draws no rings: the scale is
pinned with an invisible full-scale series (100 %) and the 25/50/75/100 % rings are drawn here,
beneath the chart, as are the axis labels (long French titles wrapped on several lines).
"""

from __future__ import annotations

import math
import textwrap

from audit_bench.model import AuditSnapshot
from audit_bench.referential.tree import ReferentialTree
from audit_bench.reports import ReportSection
from audit_bench.reports import styles as report_styles
from audit_bench.reports.typography import NBSP, french_date, french_number, french_percent

from audit_bench_iae_os.recap import axis_scores, compare, recap

CURRENT = "#1f5f99"
PREVIOUS = "#9e9e9e"
RINGS = (25, 50, 75, 100)
WIDTH, HEIGHT = 450, 300
RADIUS = 95


def _fractions(tree: ReferentialTree, audit: AuditSnapshot) -> list[float]:
    return [(row.percent or 0.0) / 100.0 for row in axis_scores(tree, audit)]


def radar_drawing(tree: ReferentialTree, audit: AuditSnapshot, previous: AuditSnapshot | None = None):
    """A spider chart of the axes' percentages; the previous evaluation beneath, lighter."""
    from reportlab.graphics.charts.spider import SpiderChart
    from reportlab.graphics.shapes import Drawing, Polygon, Rect, String
    from reportlab.lib import colors

    report_styles.register_fonts()
    font, bold = report_styles.FONT, report_styles.FONT_BOLD
    axes = axis_scores(tree, audit)
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
        series.append(_fractions(tree, previous))
    series.append(_fractions(tree, audit))
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

    for i, row in enumerate(axes):
        angle = math.pi / 2 - 2 * math.pi * i / n
        x, y = point(i, 1.12)
        anchor = "middle" if abs(math.cos(angle)) < 0.2 else ("start" if math.cos(angle) > 0 else "end")
        lines = textwrap.wrap(f"{row.section}. {row.title}", 26)
        lines.append(french_percent(row.percent))
        top = y + (len(lines) * 8 if math.sin(angle) > 0.2 else (len(lines) * 4 if math.sin(angle) > -0.2 else 0)) - 6
        for k, text in enumerate(lines):
            last = k == len(lines) - 1
            drawing.add(String(x, top - 8 * k, text, fontName=bold if last else font, fontSize=7,
                               textAnchor=anchor,
                               fillColor=colors.HexColor(CURRENT) if last else colors.black))

    legend = [(CURRENT, f"Évaluation du {french_date(audit.header.date)}", False)]
    if previous is not None:
        legend.append((PREVIOUS, f"Évaluation du {french_date(previous.header.date)}", True))
    for k, (colour, label, dashed) in enumerate(legend):
        y = 12 + 12 * (len(legend) - 1 - k)
        swatch = colors.HexColor(colour)
        drawing.add(Rect(10, y - 1, 14, 7, fillColor=colors.Color(swatch.red, swatch.green, swatch.blue, alpha=0.35),
                         strokeColor=swatch, strokeDashArray=(3, 2) if dashed else None))
        drawing.add(String(30, y, label, fontName=font, fontSize=7.5))
    return drawing


def _ink(hex_colour: str):
    """Black or white text, whichever reads better on the band's colour."""
    from reportlab.lib import colors

    c = colors.HexColor(hex_colour)
    luminance = 0.2126 * c.red + 0.7152 * c.green + 0.0722 * c.blue
    return colors.black if luminance > 0.55 else colors.white


def recap_table(tree: ReferentialTree, audit: AuditSnapshot):
    """The RECAP: action, résultat, note maxi, %, and the colour band of the trend."""
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    st = report_styles.styles()
    esc = report_styles.text
    header = ["Action", "Résultat", "Note maxi", "%", "Tendance"]
    data = [[Paragraph(f"<b>{h}</b>", st["small"]) for h in header]]
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), report_styles.FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#bbbbbb")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (1, 1), (3, -1), "RIGHT"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
        ("REPEATROWS", (0, 0), (-1, 0)),
    ]

    for row in recap(tree, audit):
        found = tree.band_for(row.percent)
        if row.depth == 1:
            label = Paragraph(f"{esc(row.section)} - {esc(row.title)}", st["small"])
        elif row.depth == 0:
            label = Paragraph(f"<b>Axe {esc(row.section)} : {esc(row.title)}</b>", st["small"])
        else:
            label = Paragraph("<b>Total</b>", st["small"])
        r = len(data)
        data.append([label, french_number(row.score), french_number(row.max), french_percent(row.percent),
                     found.label if found else "—"])
        if row.depth != 1:
            commands.append(("BACKGROUND", (0, r), (3, r), colors.HexColor("#f2f2f2")))
            commands.append(("FONTNAME", (1, r), (4, r), report_styles.FONT_BOLD))
        if found is not None:
            commands.append(("BACKGROUND", (4, r), (4, r), colors.HexColor(found.colour)))
            commands.append(("TEXTCOLOR", (4, r), (4, r), _ink(found.colour)))
    table = Table(data, colWidths=[226, 56, 54, 42, 72], repeatRows=1)
    table.setStyle(TableStyle(commands))
    return table


def comparison_table(tree: ReferentialTree, older: AuditSnapshot, newer: AuditSnapshot):
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    st = report_styles.styles()
    esc = report_styles.text
    data = [[Paragraph(f"<b>{h}</b>", st["small"]) for h in
             ("Axe", french_date(older.header.date), french_date(newer.header.date), "Évolution")]]
    for item in compare(tree, older, newer):
        delta = "—" if item.delta is None else f"{'+' if item.delta > 0 else ''}{french_number(item.delta)}{NBSP}pts"
        data.append([Paragraph(f"{esc(item.axis)}. {esc(item.title)}", st["small"]),
                     french_percent(item.older), french_percent(item.newer), delta])
    table = Table(data, colWidths=[226, 72, 72, 80])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), report_styles.FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#bbbbbb")),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
    ]))
    return table


def recap_section(tree: ReferentialTree, audit: AuditSnapshot,
                  history: list[AuditSnapshot] | None = None) -> ReportSection:
    """RECAP table, RADAR and, when the structure was evaluated before, the axis-by-axis comparison."""
    from reportlab.platypus import Paragraph, Spacer

    st = report_styles.styles()
    previous = history[-1] if history else None
    rows = recap(tree, audit)
    total = rows[-1]
    structure_type = audit.header.siae_type
    excluded = len(tree.ratable) - len(tree.applicable_ratable(structure_type))
    na = sum(1 for a in audit.assessments if a.rating == "na")
    flowables = [
        Paragraph(f"Évaluation du {french_date(audit.header.date)} : {total.rated} pratiques cotées sur "
                  f"{total.applicable} applicables ; résultat {french_number(total.score)} / "
                  f"{french_number(total.max)} ({french_percent(total.percent)}).", st["body"]),
        Paragraph(
            "Les pratiques cotées N/A"
            + (f" ({na})" if na else "")
            + " et celles qui ne s'appliquent pas au type de structure"
            + (f" ({structure_type} : {excluded})" if structure_type else "")
            + " sont retirées de la note maxi, comme les pratiques non cotées.", st["muted"]),
        Paragraph("Tendance : moins de 25\u00a0% à engager ; 25\u00a0% en démarrage ; 50\u00a0% à consolider ; "
                  "75\u00a0% et plus maîtrisé.", st["muted"]),
        Spacer(1, 6),
        recap_table(tree, audit),
        Spacer(1, 10),
        Paragraph("RADAR des axes", st["h3"]),
        radar_drawing(tree, audit, previous),
    ]
    if previous is not None:
        flowables += [
            Paragraph(f"Comparaison avec l'évaluation du {french_date(previous.header.date)}", st["h3"]),
            comparison_table(tree, previous, audit),
        ]
    return ReportSection(title="RECAP et RADAR de l'offre de services", flowables=flowables)
