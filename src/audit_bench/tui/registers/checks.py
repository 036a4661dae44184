"""The « Contrôles » tab of the Registres area: the tableau récapitulatif (a frequency per
engagement, its current period due, its periods missed) and the contrôles made; `a` records a
contrôle, `e` one that found an écart (raised into the plan with it), `f` sets a frequency."""

from __future__ import annotations


from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from audit_bench.referential.schema import PERIOD_MONTHS
from audit_bench.services import Workspace
from audit_bench.services.agenda import every_label
from audit_bench.services.checks import CheckRow, EngagementView, add_check, list_checks, set_frequency
from audit_bench.tui.forms import Field, FormDialog, FormSpec
from audit_bench.tui.refusals import attempt
from audit_bench.tui.registers import RegisterTab
from audit_bench.tui.text import plain
from audit_bench.tui.widgets.fixed_table import FixedTable

TAB_TITLE = "Contrôles"
FREQUENCY_COLUMNS = [("Engag.", 7), ("Intitulé", 36), ("Fréquence", 16), ("Dernier", 10), ("État", 20)]
CHECK_COLUMNS = [("N°", 4), ("Date", 10), ("Engag.", 7), ("Observateur", 20), ("Résultat", 10), ("Constat", 40)]
RESULTS = [("conforme", "Conforme"), ("ecart", "Écart (levé dans le plan)")]


def state_text(row: EngagementView) -> Text:
    text = Text()
    if row.due:
        text.append("À FAIRE", style="bold yellow")
    missed = [p.label for p in row.periods if p.state == "missed"]
    if missed:
        text.append(("  " if text else "") + f"manqué : {', '.join(missed)}", style="bold red")
    if not text:
        text.append("à jour", style="green")
    return text


def frequency_cells(row: EngagementView) -> list:
    return [plain(row.engagement), plain(row.title), every_label(row.every_months), row.last or "—", state_text(row)]


def check_cells(row: CheckRow) -> list:
    result = Text("conforme", style="green") if row.conforme else Text(f"écart {row.ecart or ''}".strip(), style="red")
    return [row.id, row.date, plain(row.engagement), plain(row.observer), result, plain(row.observation)]


class ChecksTab(RegisterTab):
    """A structure's tableau récapitulatif of contrôles, and the contrôles made."""

    MAIN = "#check-list"

    DEFAULT_CSS = """
ChecksTab .section { height: 1; padding: 0 1; text-style: bold; color: $text-muted; }
ChecksTab #check-frequencies { height: auto; max-height: 10; }
ChecksTab #check-list { height: 1fr; }
"""

    BINDINGS = [
        Binding("a", "add(True)", "Nouveau contrôle"),
        Binding("e", "add(False)", "Contrôle avec écart"),
        Binding("f", "frequency", "Fréquence"),
    ]

    def __init__(self, workspace: Workspace, structure_id: str) -> None:
        super().__init__(workspace, structure_id)

    def compose(self) -> ComposeResult:
        yield Static("Tableau récapitulatif (fréquence des contrôles par engagement)", classes="section")
        yield FixedTable(id="check-frequencies", zebra_stripes=True)
        yield Static("Contrôles", classes="section")
        yield FixedTable(id="check-list", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one("#check-frequencies", FixedTable).set_columns(self.fitted(FREQUENCY_COLUMNS, "Intitulé"))
        self.query_one("#check-list", FixedTable).set_columns(self.fitted(CHECK_COLUMNS, "Constat"))
        self.refresh_checks()

    def refresh_checks(self, _: object = None) -> None:
        view = attempt(self, lambda: list_checks(self.workspace, self.structure_id, self.today()))
        if view is None:
            return
        frequencies = self.query_one("#check-frequencies", FixedTable)
        frequencies.set_rows([(row.engagement, row) for row in view.frequencies], frequency_cells)
        frequencies.fit(8)
        self.query_one("#check-list", FixedTable).set_rows([(row.id, row) for row in view.checks], check_cells)


    def _engagement(self) -> str:
        """The engagement of the row highlighted in the tableau, to start a form with."""
        table = self.query_one("#check-frequencies", FixedTable)
        return table.keys[table.cursor_row] if table.row_count else ""

    def action_add(self, conforme: bool) -> None:
        def submit(values: dict[str, str]) -> str:
            return add_check(self.workspace, self.structure_id, values["on"], values["observer"],
                             values["engagement"], values["result"] == "conforme", values["observation"],
                             self.today()).id

        today = self.today()
        fields = [Field("on", "Date de l'observation", f"{today:%d/%m/%Y}", placeholder="JJ/MM/AAAA", required=True),
                  Field("observer", "Observateur (membre du personnel)", required=True),
                  Field("engagement", "Engagement contrôlé", self._engagement(), required=True),
                  Field("result", "Résultat", "conforme" if conforme else "ecart", options=RESULTS),
                  Field("observation", "Constat (requis pour un écart)", required=not conforme)]
        title = "Nouveau contrôle" if conforme else "Contrôle avec écart"
        self.app.push_screen(FormDialog(FormSpec(title, fields, submit, focus="observer")), self.refresh_checks)

    def action_frequency(self) -> None:
        def submit(values: dict[str, str]) -> str:
            set_frequency(self.workspace, self.structure_id, values["engagement"], int(values["months"]))
            return values["engagement"]

        fields = [Field("engagement", "Engagement", self._engagement(), required=True),
                  Field("months", "Un contrôle", "3", options=[(str(m), every_label(m)) for m in PERIOD_MONTHS])]
        self.app.push_screen(FormDialog(FormSpec("Fréquence des contrôles", fields, submit)), self.refresh_checks)
