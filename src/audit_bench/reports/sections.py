"""What a plugin hands the report through the `report_sections` hook."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ReportSection:
    """A titled block of reportlab flowables placed after the report's summary.

    `flowables` are reportlab objects (Paragraph, Table, Drawing…); use
    `audit_bench.reports.styles` for fonts and paragraph styles so the section matches the report.
    """

    title: str
    flowables: list[Any] = field(default_factory=list)
