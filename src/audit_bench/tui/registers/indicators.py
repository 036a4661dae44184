"""The Indicateurs tab of the Registres area: the indicators a structure follows, their values
against target (off target and missing flagged), the trend of the selected one as a chart; `a`
records a value, `c` sets a target, `e` proposes the écart of an off-target value."""

from __future__ import annotations

import math

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Static
from textual_plotext import PlotextPlot

from audit_bench.model.vocab import INDICATOR_DIRECTIONS, INDICATOR_PERIODS
from audit_bench.reports.typography import french_number
from audit_bench.services.indicators import (
    IndicatorRow, IndicatorsView, list_indicators, propose_ecart, raise_ecart, record_value, set_target,
)
from audit_bench.services.validation import UserError
from audit_bench.services.workspace import Workspace
from audit_bench.tui.forms import ConfirmDialog, Field, FormDialog, FormSpec
from audit_bench.tui.refusals import attempt
from audit_bench.tui.registers import RegisterTab
from audit_bench.tui.text import clean, plain
from audit_bench.tui.widgets.fixed_table import FixedTable

TAB_TITLE = "Indicateurs"
COLUMNS = [("Ind.", 6), ("Nom", 40), ("Cible", 10), ("Dernière valeur", 16), ("État", 20)]


def number(value: float | None, unit: str = "") -> str:
    if value is None:
        return "—"
    return f"{value:g}".replace(".", ",") + (f" {unit}" if unit else "")


VALUE_COLOUR, TARGET_COLOUR = "blue+", "green+"
"""plotext's first two colours, set so that every run of values is drawn as one line."""


def value_ticks(values: list[float], count: int) -> tuple[list[float], list[str]]:
    """`count` ticks spread from the lowest value drawn to the highest, as plotext spreads its
    own, but written as the reports write numbers: plotext prints « 52.0 » beside a text saying « 49,41 »."""
    low, high = min(values), max(values)
    if low == high or count < 2:
        return [low], [french_number(low, 3)]
    step = (high - low) / (count - 1)
    decimals = max(0, min(3, 1 - math.floor(math.log10(step))))
    ticks = [low + index * step for index in range(count)]
    return ticks, [french_number(tick, decimals) for tick in ticks]


def recorded_runs(values: list[float | None]) -> list[list[tuple[int, float]]]:
    """The values period by period, cut where a period has none: the chart leaves a gap there
    (as the bilan's PDF does) instead of joining across a missing value."""
    runs: list[list[tuple[int, float]]] = []
    for index, value in enumerate(values):
        if value is None:
            continue
        if runs and runs[-1][-1][0] == index - 1:
            runs[-1].append((index, value))
        else:
            runs.append([(index, value)])
    return runs


def parse_number(text: str, what: str) -> float | None:
    """A number typed in a form (« 72,5 »), None when the field is left empty."""
    if not text.strip():
        return None
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        raise UserError(f"{what} : « {text} » n'est pas un nombre") from None


def confirm_ecart(node: Widget, workspace: Workspace, structure_id: str, indicator_id: str, period: str,
                  text: str) -> None:
    """Show the écart an off-target value proposes; Entrée adds it to the plan, Échap leaves it."""
    question = Text("Écart proposé (source indicateur) :\n", style="bold")
    question.append(clean(text))
    question.append("\nL'ajouter au plan d'amélioration ?")

    def answered(yes: bool | None) -> None:
        if yes:
            finding = attempt(node, lambda: raise_ecart(workspace, structure_id, indicator_id, period))
            if finding is not None:
                node.app.notify(f"Écart {finding} ajouté au plan.", markup=False)

    node.app.push_screen(ConfirmDialog(question), answered)


class IndicatorsTab(RegisterTab):
    """One structure's indicators; keyboard first."""

    MAIN = "#indicator-table"

    DEFAULT_CSS = """
IndicatorsTab #indicator-table { height: auto; max-height: 50%; }
IndicatorsTab #indicator-chart { height: 1fr; min-height: 10; }
IndicatorsTab #indicator-detail { height: auto; }
"""

    BINDINGS = [
        Binding("a", "record", "Saisir une valeur"),
        Binding("c", "target", "Cible"),
        Binding("e", "ecart", "Écart"),
    ]

    def __init__(self, workspace: Workspace, structure_id: str) -> None:
        super().__init__(workspace, structure_id)
        self.rows: dict[str, IndicatorRow] = {}

    def compose(self) -> ComposeResult:
        yield FixedTable(id="indicator-table", zebra_stripes=True)
        yield Static(id="indicator-detail")
        yield PlotextPlot(id="indicator-chart")

    def on_mount(self) -> None:
        self.query_one("#indicator-table", FixedTable).set_columns(self.fitted(COLUMNS, "Nom"))
        self.refresh_rows()

    def on_resize(self) -> None:
        self.show_selected()  # as many value ticks as the chart's height holds

    def refresh_rows(self) -> None:
        view: IndicatorsView | None = attempt(self, lambda: list_indicators(self.workspace, self.structure_id))
        if view is None:
            return
        self.rows = {row.definition.id: row for row in view.indicators}
        self.query_one("#indicator-table", FixedTable).set_rows(list(self.rows.items()), self.cells)
        self.show_selected()

    def cells(self, row: IndicatorRow) -> list[Text]:
        definition = row.definition
        recorded = [v for v in row.values if not v.missing]
        last = recorded[-1] if recorded else None
        flags = []
        if row.off_target:
            flags.append((f"{len(row.off_target)} hors cible", "bold red"))
        if row.missing:
            flags.append((f"{len(row.missing)} manquante(s)", "yellow"))
        if row.target is None:
            flags.append(("cible à fixer", "dim"))
        state = Text()
        for index, (label, style) in enumerate(flags):
            state.append((" · " if index else "") + label, style=style)
        return [plain(definition.id), plain(definition.name),
                plain(number(row.target, definition.unit) if row.target is not None else "—"),
                plain(f"{last.period} {number(last.value, definition.unit)}" if last else "—"), state]

    def selected(self) -> IndicatorRow | None:
        table = self.query_one("#indicator-table", FixedTable)
        keys = list(self.rows)
        return self.rows[keys[table.cursor_row]] if 0 <= table.cursor_row < len(keys) else None

    def on_fixed_table_row_highlighted(self, event: FixedTable.RowHighlighted) -> None:
        self.show_selected()

    def show_selected(self) -> None:
        row = self.selected()
        detail = self.query_one("#indicator-detail", Static)
        chart = self.query_one("#indicator-chart", PlotextPlot)
        plt = chart.plt
        plt.clear_data()
        plt.clear_figure()
        if row is None:
            detail.update(Text("Aucun indicateur suivi : c pour fixer une cible.", style="dim"))
            chart.refresh()
            return
        definition = row.definition
        text = Text(clean(definition.name), style="bold")
        direction = INDICATOR_DIRECTIONS.get(definition.direction or "", "sens à fixer")
        period = INDICATOR_PERIODS.get(definition.period or "", "rythme à fixer")
        text.append(clean(f"\n{direction}, par {period}"))
        if definition.ratio:
            text.append(clean(f" · {definition.numerator} / {definition.denominator}"))
        for year in row.years:
            text.append(clean(f"\nAnnée {year.period} : {number(year.value, definition.unit)}"),
                        style="bold red" if year.on_target is False else "")
        detail.update(text)
        periods = [v.period for v in row.values]
        for number_, run in enumerate(recorded_runs([v.value for v in row.values])):
            plt.plot([i for i, _ in run], [v for _, v in run], marker="dot", color=VALUE_COLOUR,
                     label="" if number_ else "valeur")
        if row.target is not None and periods:
            plt.plot([0, len(periods) - 1], [row.target, row.target], color=TARGET_COLOUR, label="cible")
        if periods:
            plt.xticks(list(range(len(periods))), periods)
        drawn = [v.value for v in row.values if v.value is not None] + ([row.target] if row.target is not None else [])
        if drawn:
            plot_rows = chart.size.height - 4 if chart.size.height else 6  # less its title, frame and x labels
            plt.yticks(*value_ticks(drawn, max(2, min(5, (plot_rows + 1) // 2))))
        plt.title(clean(f"{definition.id} — tendance" if periods else f"{definition.id} — aucune valeur saisie (a)"))
        chart.refresh()

    # Changes -----------------------------------------------------------------------------

    def action_record(self) -> None:
        row = self.selected()
        if row is None:
            return
        definition = row.definition
        fields = [Field("period", "Période", placeholder={"month": "2026-03", "quarter": "2026-T1"}.get(
            definition.period or "", "2026"), required=True)]
        if definition.ratio:
            fields += [Field("numerator", f"Numérateur : {definition.numerator}", required=True),
                       Field("denominator", f"Dénominateur : {definition.denominator}", required=True)]
        else:
            fields.append(Field("value", "Valeur", required=True))

        def submit(values: dict[str, str]):
            return record_value(self.workspace, self.structure_id, definition.id, values["period"],
                                parse_number(values.get("value", ""), "valeur"),
                                parse_number(values.get("numerator", ""), "numérateur"),
                                parse_number(values.get("denominator", ""), "dénominateur"))

        def recorded(result) -> None:
            if result is None:
                return
            self.refresh_rows()
            if result.proposal is not None and result.proposal.existing is None:
                confirm_ecart(self, self.workspace, self.structure_id, definition.id, result.value.period,
                              result.proposal.text)

        self.app.push_screen(FormDialog(FormSpec(f"Valeur de {definition.id}", fields, submit)), recorded)

    def action_target(self) -> None:
        row = self.selected()
        if row is None:
            return
        definition = row.definition
        fields = [Field("target", "Cible", value=number(row.target) if row.target is not None else "", required=True)]
        fields.append(Field("direction", "Sens", value=definition.direction or "higher",
                            options=list(INDICATOR_DIRECTIONS.items())))
        fields.append(Field("period", "Rythme", value=definition.period or "month",
                            options=list(INDICATOR_PERIODS.items())))

        def submit(values: dict[str, str]):
            target = parse_number(values["target"], "cible")
            if target is None:
                raise UserError("cible vide : donner un nombre")
            current = {"direction": definition.direction, "period": definition.period}
            changed = {key: values[key] for key in current if values[key] != current[key]}
            return set_target(self.workspace, self.structure_id, definition.id, target, **changed)

        self.app.push_screen(FormDialog(FormSpec(f"Cible de {definition.id}", fields, submit)),
                             lambda result: result is not None and self.refresh_rows())

    def action_ecart(self) -> None:
        row = self.selected()
        if row is None:
            return
        if not row.off_target:
            self.app.notify("Aucune valeur hors cible pour cet indicateur.", markup=False)
            return
        value = row.off_target[-1]
        proposal = attempt(self, lambda: propose_ecart(self.workspace, self.structure_id, row.definition.id,
                                                       value.period))
        if proposal is None:
            return
        if proposal.existing is not None:
            self.app.notify(f"Écart déjà ouvert : {proposal.existing}.", markup=False)
            return
        confirm_ecart(self, self.workspace, self.structure_id, row.definition.id, value.period, proposal.text)
