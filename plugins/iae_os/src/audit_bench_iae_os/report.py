"""The RECAP table and the RADAR as a report section (reportlab, imported only when a report is built).
The radar's drawing is the one the bilan annuel draws too (`audit_bench.reports.radar`).
"""

from __future__ import annotations

from audit_bench.model import AuditSnapshot
from audit_bench.referential.tree import ReferentialTree
from audit_bench.reports import ReportSection
from audit_bench.reports import styles as report_styles
from audit_bench.reports.typography import NBSP, french_date, french_number, french_percent

from audit_bench_iae_os.recap import axis_scores, compare, recap


def radar_drawing(tree: ReferentialTree, audit: AuditSnapshot, previous: AuditSnapshot | None = None):
    """A spider chart of the axes' percentages; the previous evaluation beneath, lighter."""
    from audit_bench.reports.radar import radar_chart

    axes = axis_scores(tree, audit)
    return radar_chart([f"{row.section}. {row.title}" for row in axes], [row.percent for row in axes],
                       f"Évaluation du {french_date(audit.header.date)}",
                       None if previous is None else [row.percent for row in axis_scores(tree, previous)],
                       "" if previous is None else f"Évaluation du {french_date(previous.header.date)}")


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
