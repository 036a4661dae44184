"""The tabs of the Registres area, one module per register (réclamations, enquêtes, indicateurs,
contrôles, sorties)."""

from __future__ import annotations

from datetime import date

from textual.containers import Vertical

from audit_bench.services.workspace import Workspace


class RegisterTab(Vertical):
    """One register of one structure, as a tab of the Registres area. Its keys are the screen's
    (listed in its key bar, see `tui.keys`), and its day is the app's, so a test can set it."""

    SCREEN_KEYS = True

    def __init__(self, workspace: Workspace, structure_id: str) -> None:
        super().__init__()
        self.workspace = workspace
        self.structure_id = structure_id

    def today(self) -> date:
        return self.app.today()
