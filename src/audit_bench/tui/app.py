"""The Textual application (first screen: the workspace's audits)."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header

from audit_bench.services import Workbench


class AuditBenchApp(App):
    TITLE = "audit-bench"

    def __init__(self, workbench: Workbench) -> None:
        super().__init__()
        self.workbench = workbench

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="audits")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Structure", "Référentiel", "Type d'audit", "Date", "Avancement", "Écarts ouverts")
        for row in self.workbench.list_audits():
            table.add_row(Text(row.org), row.referential, row.kind, row.date,
                          f"{row.assessed}/{row.total}", str(row.open_findings))


def run(workspace: Path) -> None:
    AuditBenchApp(Workbench(workspace)).run()
