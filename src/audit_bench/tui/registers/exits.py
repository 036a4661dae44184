"""The Sorties tab of the Registres area: the taux de sortie dynamique of a year, every variant
side by side at every horizon with its counts and formula; `a` records counts, `y` changes the
year, `e` proposes the écart when the rate is off its target."""

from __future__ import annotations


from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from audit_bench.model.vocab import EXIT_CLASSES
from audit_bench.services.exits import ExitRateView, HorizonRates, VariantRate, exit_rate, exit_rate_tree, record_exits
from audit_bench.services.indicators import propose_ecart
from audit_bench.services.validation import UserError
from audit_bench.services.workspace import Workspace
from audit_bench.tui.forms import Field, FormDialog, FormSpec
from audit_bench.tui.refusals import attempt
from audit_bench.tui.registers import RegisterTab
from audit_bench.tui.registers.indicators import confirm_ecart
from audit_bench.tui.text import clean, plain
from audit_bench.tui.widgets.fixed_table import FixedTable

TAB_TITLE = "Sorties"
COLUMNS = [("Horizon", 12), ("Variante", 14), ("Taux", 9), ("Compté / base", 14), ("Sorties", 8)]


def horizon_label(months: int) -> str:
    return "à la sortie" if months == 0 else f"à {months} mois"


def rate_text(rate: float | None) -> str:
    return "sans base" if rate is None else f"{rate:.1f} %".replace(".", ",")


class ExitsTab(RegisterTab):
    """One structure's exits register and rates, for one year at a time."""

    MAIN = "#exit-table"

    DEFAULT_CSS = """
ExitsTab #exit-table { height: auto; max-height: 70%; }
ExitsTab #exit-detail { height: auto; }
"""

    BINDINGS = [
        Binding("a", "record", "Saisir des sorties"),
        Binding("y", "year", "Année"),
        Binding("e", "ecart", "Écart"),
    ]

    def __init__(self, workspace: Workspace, structure_id: str, year: int | None = None) -> None:
        super().__init__(workspace, structure_id)
        self.year = year
        """The year shown; by default the last full year (exits are counted once a year is over),
        set when mounted, from the app's day."""
        self.rows: dict[str, tuple[HorizonRates, VariantRate]] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="exit-title")
        yield FixedTable(id="exit-table", zebra_stripes=True)
        yield Static(id="exit-detail")

    def on_mount(self) -> None:
        if self.year is None:
            self.year = self.today().year - 1
        self.query_one("#exit-table", FixedTable).set_columns(COLUMNS)
        self.refresh_rows()

    def refresh_rows(self) -> None:
        view: ExitRateView | None = attempt(self, lambda: exit_rate(self.workspace, self.structure_id, self.year))
        if view is None:
            return
        self.rows = {f"{h.months}/{v.id}": (h, v) for h in view.horizons for v in h.variants}
        self.query_one("#exit-title", Static).update(
            Text(f"Taux de sortie dynamique {view.year} — variantes côte à côte (y : changer d'année)", style="bold"))
        self.query_one("#exit-table", FixedTable).set_rows(list(self.rows.items()), self.cells)
        self.show_selected()

    def cells(self, row: tuple[HorizonRates, VariantRate]) -> list[Text]:
        horizon, variant = row
        return [plain(horizon_label(horizon.months)), plain(variant.label),
                Text(rate_text(variant.rate), style="bold" if variant.rate is not None else "dim"),
                plain(f"{variant.numerator} / {variant.denominator}"), plain(str(horizon.total))]

    def on_fixed_table_row_highlighted(self, event: FixedTable.RowHighlighted) -> None:
        self.show_selected()

    def show_selected(self) -> None:
        table = self.query_one("#exit-table", FixedTable)
        keys = list(self.rows)
        detail = self.query_one("#exit-detail", Static)
        if not 0 <= table.cursor_row < len(keys):
            detail.update("")
            return
        horizon, variant = self.rows[keys[table.cursor_row]]
        text = Text(clean(variant.formula))
        breakdown = ", ".join(f"{EXIT_CLASSES[c]} {n}" for c, n in horizon.by_class.items() if n)
        text.append(f"\n{horizon_label(horizon.months)} : {horizon.total} sortie(s)"
                    + (f" ({breakdown})" if breakdown else ""), style="dim")
        detail.update(text)

    def action_year(self) -> None:
        def submit(values: dict[str, str]) -> int:
            text = values["year"].strip()
            if not (text.isdigit() and 1900 <= int(text) <= 2200):
                raise UserError(f"année invalide « {text} » : attendu AAAA")
            return int(text)

        def chosen(year: int | None) -> None:
            if year is not None:
                self.year = year
                self.refresh_rows()

        self.app.push_screen(FormDialog(FormSpec("Année des sorties", [Field("year", "Année", str(self.year),
                                                                               required=True)], submit)), chosen)

    def action_record(self) -> None:
        rate = attempt(self, lambda: exit_rate_tree(self.workspace).referential.exit_rate)
        if rate is None:
            return
        fields = [Field("months", "Horizon", "0", options=[(str(m), horizon_label(m)) for m in rate.horizons])]
        fields += [Field(s.id, f"{s.label} ({EXIT_CLASSES[s.class_]})", placeholder="nombre de sorties")
                   for s in rate.situations]

        def submit(values: dict[str, str]):
            counts = {}
            for situation in rate.situations:
                text = values[situation.id].strip()
                if not text:
                    continue
                if not text.isdigit():
                    raise UserError(f"{situation.label} : « {text} » n'est pas un nombre de sorties")
                counts[situation.id] = int(text)
            return record_exits(self.workspace, self.structure_id, self.year, int(values["months"]), counts)

        self.app.push_screen(FormDialog(FormSpec(f"Sorties {self.year}", fields, submit)),
                             lambda result: result is not None and self.refresh_rows())

    def action_ecart(self) -> None:
        rate = attempt(self, lambda: exit_rate_tree(self.workspace).referential.exit_rate)
        if rate is None:
            return
        indicator = rate.indicator.id
        proposal = attempt(self, lambda: propose_ecart(self.workspace, self.structure_id, indicator, str(self.year)))
        if proposal is None:
            return
        if proposal.existing is not None:
            self.app.notify(f"Écart déjà ouvert : {proposal.existing}.", markup=False)
            return
        confirm_ecart(self, self.workspace, self.structure_id, indicator, str(self.year), proposal.text)
