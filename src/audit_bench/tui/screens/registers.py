"""Registres: the structure's registers of the quality year, one tab per register (réclamations,
enquêtes, indicateurs, contrôles, sorties). The area opens on the list of structures
(`structures.RegistersScreen`); Entrée opens one structure's registers, whose tabs are reached by
their digit.

Each tab is a widget of `tui/registers/` built with the workspace and the structure's id; it reads
and writes through its register's service and shows its own flags and keys."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static, TabbedContent, TabPane

from audit_bench.services import Workspace
from audit_bench.services.structures import structure_name
from audit_bench.tui.registers import RegisterTab, checks, complaints, exits, indicators, surveys
from audit_bench.tui.text import clean
from audit_bench.tui.widgets.key_bar import KeyBar
from audit_bench.tui.widgets.title_bar import TitleBar

REGISTER_TABS: dict[str, tuple[str, type[RegisterTab]]] = {
    "complaints": (complaints.TAB_TITLE, complaints.ComplaintsTab),
    "surveys": (surveys.TAB_TITLE, surveys.SurveysTab),
    "indicators": (indicators.TAB_TITLE, indicators.IndicatorsTab),
    "checks": (checks.TAB_TITLE, checks.ChecksTab),
    "exits": (exits.TAB_TITLE, exits.ExitsTab),
}
"""Each register's tab title and class, in the order of their digit keys."""


class StructureRegistersScreen(Screen):
    """One structure's registers; 1 to 5 go to a tab, Échap goes back. A tab's keys (add, raise an
    écart) are listed in the key bar with the screen's: its class sets `SCREEN_KEYS`."""

    TITLE = "Registres"

    DEFAULT_CSS = """
StructureRegistersScreen #registers-of {
    height: 1;
    padding: 0 1;
    text-style: bold;
}

StructureRegistersScreen TabbedContent {
    height: 1fr;
}

StructureRegistersScreen TabPane {
    padding: 0;
}
"""

    BINDINGS = [
        *(Binding(str(number), f"tab({number})", title, show=False)
          for number, (title, _) in enumerate(REGISTER_TABS.values(), start=1)),
        Binding("escape", "back", "Retour"),
    ]

    def __init__(self, workspace: Workspace, structure_id: str, register: str = "complaints",
                 at: str | None = None) -> None:
        """`register`: the tab shown first (a key of `REGISTER_TABS`); `at`: the record selected in it."""
        super().__init__()
        self.workspace = workspace
        self.structure_id = structure_id
        self.register = register
        self.at = at

    def compose(self) -> ComposeResult:
        yield TitleBar()
        name = structure_name(self.workspace, self.structure_id, self.structure_id)
        yield Static(f"{clean(name)} — 1 à {len(REGISTER_TABS)} : changer de registre", id="registers-of")
        with TabbedContent(initial=f"register-{list(REGISTER_TABS).index(self.register) + 1}"):
            for number, (title, tab) in enumerate(REGISTER_TABS.values(), start=1):
                with TabPane(f"{number} {title}", id=f"register-{number}"):
                    yield tab(self.workspace, self.structure_id)
        yield KeyBar()

    def on_mount(self) -> None:
        self.focus_tab()
        if self.at is not None:
            self.query_one(f"#register-{list(REGISTER_TABS).index(self.register) + 1}").query_one(RegisterTab).select(
                self.at)

    def action_tab(self, number: int) -> None:
        self.query_one(TabbedContent).active = f"register-{number}"
        self.call_after_refresh(self.focus_tab)

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.call_after_refresh(self.focus_tab)

    def focus_tab(self) -> None:
        """The active tab's list takes the keys, not the tab bar."""
        pane = self.query_one(TabbedContent).active_pane
        if pane is not None:
            pane.query_one(RegisterTab).focus_main()

    def on_descendant_focus(self) -> None:
        """The key bar shows the keys of the tab that holds the focus, once the focus has moved."""
        self.call_after_refresh(self.query_one(KeyBar).show_keys)

    def action_back(self) -> None:
        self.app.pop_screen()
