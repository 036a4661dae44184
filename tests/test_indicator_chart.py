"""The indicator chart for the bilan's PDF: a reportlab drawing whose text a PDF reader extracts."""

from __future__ import annotations

from pypdf import PdfReader
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.platypus import SimpleDocTemplate

from audit_bench.reports.indicator_chart import indicator_chart


def test_the_chart_in_a_pdf_shows_title_periods_and_target(tmp_path):
    periods = ["2026-T1", "2026-T2", "2026-T3", "2026-T4"]
    drawing = indicator_chart("IND2 — Invitations sous 30 jours", periods, [70.0, None, 85.5, 90.0], 80.0, "%")
    path = tmp_path / "chart.pdf"
    SimpleDocTemplate(str(path)).build([drawing])
    text = " ".join(PdfReader(path).pages[0].extract_text().split())
    assert "IND2 — Invitations sous 30 jours" in text
    for period in periods:
        assert period in text
    assert "cible : 80 %" in text
    (plot,) = [shape for shape in drawing.contents if isinstance(shape, LinePlot)]
    assert plot.data[:-1] == [[(0, 70.0)], [(2, 85.5), (3, 90.0)]]  # the gap is no zero
    assert plot.data[-1] == [(-0.5, 80.0), (3.5, 80.0)]


def test_a_chart_without_target_or_values_still_draws(tmp_path):
    drawing = indicator_chart("Sans valeur", ["2026"], [None], None)
    path = tmp_path / "empty.pdf"
    SimpleDocTemplate(str(path)).build([drawing])
    assert "Sans valeur" in PdfReader(path).pages[0].extract_text()
