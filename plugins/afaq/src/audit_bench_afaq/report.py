"""The "Synthèse par engagement de service" report section (reportlab, imported lazily)."""

from __future__ import annotations

from audit_bench.model import AuditSnapshot
from audit_bench.referential.schema import NA
from audit_bench.referential.tree import ReferentialTree
from audit_bench.reports import ReportSection

from audit_bench_afaq.summary import engagement_summary


def engagement_section(tree: ReferentialTree, audit: AuditSnapshot) -> ReportSection:
    from reportlab.lib import colors
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    from audit_bench.reports.styles import FONT_BOLD, styles, text

    st = styles()
    scale = tree.referential.scale
    header = ["N°", "Engagement de service", "Cotés", "Cotations", "Conclusion"]
    data = [[Paragraph(text(h), st["small"]) for h in header]]
    rows = engagement_summary(tree, audit)
    for row in rows:
        counted = [f"{level.label} : {row.counts[level.value]}" for level in scale if row.counts.get(level.value)]
        if row.counts.get(NA):
            counted.append(f"N/A : {row.counts[NA]}")
        data.append([
            Paragraph(text(row.id), st["small"]),
            Paragraph(text(row.title), st["small"]),
            Paragraph(f"{row.rated}/{row.total}", st["small"]),
            Paragraph(text("\n".join(counted) or "—"), st["small"]),
            Paragraph(text(row.verdict), st["small"]),
        ])
    widths = [1.0 * cm, 7.2 * cm, 1.3 * cm, 3.4 * cm, 3.0 * cm]  # 15.9 cm: A4 within 2.5 cm margins
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef4")),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#999999")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    flowables = [
        Paragraph(text("Chaque engagement de service est conclu d'après la cotation la plus sévère "
                       "de ses engagements détaillés (chapitre IV du référentiel REF-209)."), st["body"]),
        Spacer(1, 0.2 * cm),
        table,
        Spacer(1, 0.4 * cm),
        Paragraph(text("Indicateurs de performance à suivre (§ 6.6) — un objectif cible est défini "
                       "par la structure pour chaque indicateur"), st["h3"]),
    ]
    indicators = [[Paragraph(text(h), st["small"]) for h in ("N°", "Indicateur", "Unité")]]
    for row in rows:
        for indicator in row.indicators:
            indicators.append([Paragraph(text(row.id), st["small"]), Paragraph(text(indicator.name), st["small"]),
                               Paragraph(text(indicator.unit), st["small"])])
    ind_table = Table(indicators, colWidths=[1.2 * cm, 11.3 * cm, 3.4 * cm], repeatRows=1)
    ind_table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef4")),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#999999")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    flowables.append(ind_table)
    return ReportSection(title="Synthèse par engagement de service", flowables=flowables)
