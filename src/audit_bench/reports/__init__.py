"""PDF reports (reportlab); never imports Textual."""

from audit_bench.reports.sections import ReportSection

__all__ = ["ReportSection"]
