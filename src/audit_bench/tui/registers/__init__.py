"""The tabs of the Registres area, one module per register (réclamations, enquêtes, indicateurs,
contrôles, sorties)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual.containers import Vertical

from audit_bench.services.workspace import Workspace
from audit_bench.tui.widgets.fixed_table import FixedTable
from audit_bench.tui.widgets.listing import width_left


class RegisterTab(Vertical):
    """One register of one structure, as a tab of the Registres area. Its keys are the screen's
    (listed in its key bar, see `tui.keys`), and its day is the app's, so a test can set it."""

    SCREEN_KEYS = True
    MAIN: ClassVar[str]
    """The selector of the tab's list, which takes the keys when the tab is shown. A tab does not
    focus it itself: the Registres' TabbedContent would switch to the tab holding the focus."""

    def __init__(self, workspace: Workspace, structure_id: str) -> None:
        super().__init__()
        self.workspace = workspace
        self.structure_id = structure_id

    def fitted(self, columns: list[tuple[str, int]], flexible: str) -> list[tuple[str, int]]:
        """The columns, the `flexible` one (a name, a text) taking the width the others leave, so
        that the flags on the right still show at 80 columns."""
        width = width_left(self.app.size.width, [column for column in columns if column[0] != flexible])
        return [(title, width if title == flexible else size) for title, size in columns]

    def focus_main(self) -> None:
        self.query_one(self.MAIN).focus()

    def select(self, key: str) -> None:
        """Put the list's cursor on the record `key` (an id), when the list shows it."""
        table = self.query_one(self.MAIN, FixedTable)
        if key in table.keys:
            table.move_cursor(table.keys.index(key))

    def today(self) -> date:
        return self.app.today()
