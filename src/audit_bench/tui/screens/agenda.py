"""Agenda: what is due, overdue first, then month by month; Entrée opens what a line is about
(the audit, a new audit of the cycle, the certificate's structure, the form that records it met or
sets a frequency the referential leaves open)."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from audit_bench.model.vocab import AGENDA_STATES, AUDIT_RECORDS
from audit_bench.services import Workspace
from audit_bench.services.agenda import MONTHS, AgendaItem, AgendaView, ToSet, agenda
from audit_bench.services.cycle import obligation_of, record_met, set_frequency
from audit_bench.services.errors import UserError
from audit_bench.tui.forms import Field, FormDialog, FormSpec
from audit_bench.tui.refusals import attempt
from audit_bench.tui.registry import load_registry
from audit_bench.tui.text import clean, plain
from audit_bench.tui.widgets.fixed_table import FixedTable
from audit_bench.tui.widgets.key_bar import KeyBar
from audit_bench.tui.widgets.listing import WIDE, clipped, width_left
from audit_bench.tui.widgets.title_bar import TitleBar

HORIZONS = (365, 90, 30)
"""Days ahead, `h` cycles through them."""
COLUMNS = [("Date", 10), ("État", 9), ("Structure", 24)]
COMPACT_COLUMNS = [("Date", 10), ("État", 9), ("Structure", 14)]
STATE_STYLES = {"overdue": "bold red", "due": "bold yellow", "upcoming": "", "done": "green"}
AUDIT_KINDS_DUE = {"surveillance": "surveillance", "renewal": "renewal"}
"""The cycle's audits a line may ask for, as audit kinds (a new audit is proposed for them)."""
REGISTERS_OF = {"complaint": "complaints", "indicator": "indicators", "survey": "surveys", "check": "checks"}
"""The register a line is recorded in (by its kind, or by the record that meets its obligation):
Entrée opens the structure's registers on its tab."""


def month_title(day: str) -> str:
    year, month = int(day[:4]), int(day[5:7])
    return f"{MONTHS[month - 1].capitalize()} {year}"


def grouped(view: AgendaView) -> list[tuple[str, object]]:
    """The rows in order: « En retard » first, then each month; the frequencies to set last.
    A heading row's value is its title (a str)."""
    rows: list[tuple[str, object]] = []
    overdue = [item for item in view.items if item.state == "overdue"]
    if overdue:
        rows.append(("group:overdue", f"En retard ({len(overdue)})"))
        rows += [(f"item:{item.structure}/{item.ref}", item) for item in overdue]
    month = None
    for item in view.items:
        if item.state == "overdue":
            continue
        if item.date[:7] != month:
            month = item.date[:7]
            rows.append((f"group:{month}", month_title(item.date)))
        rows.append((f"item:{item.structure}/{item.ref}", item))
    if view.to_set:
        rows.append(("group:to-set", f"À fixer par la structure ({len(view.to_set)})"))
        rows += [(f"set:{entry.structure}/{entry.referential}/{entry.of}", entry) for entry in view.to_set]
    return rows


class AgendaScreen(Screen):
    """Every structure's agenda; Entrée opens what is due, h changes how far ahead it looks."""

    TITLE = "Agenda"
    AUTO_FOCUS = "#agenda"

    DEFAULT_CSS = """
AgendaScreen #agenda-summary {
    height: 1;
    padding: 0 1;
    color: $text-muted;
}

AgendaScreen #agenda {
    height: 1fr;
}

AgendaScreen #agenda-detail {
    height: 3;
    padding: 0 1;
    background: $boost;
    text-wrap: nowrap;
    text-overflow: ellipsis;
}
"""

    BINDINGS = [
        Binding("enter,o", "open", "Ouvrir"),
        Binding("h", "horizon", "Horizon"),
        Binding("r", "refresh", "Actualiser", show=False),
        Binding("escape", "back", "Accueil"),
    ]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.within = HORIZONS[0]
        self.rows: dict[str, object] = {}

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="agenda-summary")
        yield FixedTable(id="agenda")
        yield Static(id="agenda-detail")
        yield KeyBar()

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        load_registry(self.workspace)
        view = attempt(self, lambda: agenda(self.workspace, self.app.today(), within=self.within))
        if view is None:
            return
        compact = self.size.width < WIDE
        columns = COMPACT_COLUMNS if compact else COLUMNS
        title_width = width_left(self.size.width, columns)
        table = self.query_one("#agenda", FixedTable)
        table.set_columns([*columns, ("Échéance", title_width)])
        rows = grouped(view)
        self.rows = dict(rows)
        table.set_rows(rows, lambda value: self.cells(value, columns[2][1], title_width))
        late = sum(item.state == "overdue" for item in view.items)
        due = sum(item.state == "due" for item in view.items)
        self.query_one("#agenda-summary", Static).update(
            f"{len(view.items)} échéance(s), horizon {self.within} jours · {late} en retard · {due} dans les 30 jours")
        if isinstance(self.highlighted(), str) and len(rows) > 1:
            table.move_cursor(table.cursor_row + 1)  # on the first line under the heading
        self.show_detail()

    @staticmethod
    def cells(value: object, structure_width: int, title_width: int) -> list[Text]:
        if isinstance(value, str):  # a heading: the month, « En retard », « À fixer »
            return [Text("▸", style="bold"), Text(""), Text(""), Text(clean(value), style="bold underline")]
        if isinstance(value, ToSet):
            return [Text("—", style="dim"), Text("à fixer", style="bold magenta"),
                    Text(clipped(clean(value.structure_name), structure_width)),
                    Text(clipped(clean(f"{value.referential} : {value.what}"), title_width))]
        item: AgendaItem = value
        return [plain(item.date), Text(AGENDA_STATES[item.state], style=STATE_STYLES[item.state]),
                Text(clipped(clean(item.structure_name), structure_width)),
                Text(clipped(clean(item.title), title_width))]

    def highlighted(self) -> object | None:
        table = self.query_one("#agenda", FixedTable)
        if not table.row_count:
            return None
        return list(self.rows.values())[table.cursor_row]

    def on_fixed_table_row_highlighted(self, event: FixedTable.RowHighlighted) -> None:
        self.show_detail()

    def on_fixed_table_row_selected(self, event: FixedTable.RowSelected) -> None:
        """Entrée in the table (the table takes the key before the screen's binding)."""
        self.action_open()

    def show_detail(self) -> None:
        value = self.highlighted()
        text = Text()
        if isinstance(value, AgendaItem):
            text.append(clean(value.structure_name), style="bold")
            text.append(" — ")
            text.append(clean(value.title), style="bold")
            text.append("\n")
            text.append(clean(value.rule), style="italic")
            text.append("\n")
            text.append(clean(value.done_by or self.what_opens(value)), style="dim")
        elif isinstance(value, ToSet):
            text.append(clean(f"{value.structure_name} — {value.what}"), style="bold")
            text.append("\n")
            text.append(clean(value.rule), style="italic")
            text.append("\nEntrée : fixer la fréquence", style="dim")
        elif isinstance(value, str):
            text.append(clean(value), style="bold")
            text.append("\n↓ ↑ : les échéances ; Entrée : ouvrir ce qui est dû", style="dim")
        elif not self.rows:
            text.append("Rien à l'agenda : ni certificat, ni obligation, ni action à suivre sur cet horizon.",
                        style="dim")
        self.query_one("#agenda-detail", Static).update(text)

    def what_opens(self, item: AgendaItem) -> str:
        if item.audit is not None:
            return "Entrée : ouvrir l'audit"
        if item.kind == "certificate":
            return "Entrée : ouvrir la structure"
        if item.kind in AUDIT_KINDS_DUE or self.audit_kind(item) is not None:
            return "Entrée : créer l'audit"
        if self.register_of(item) is not None:
            return "Entrée : ouvrir le registre"
        if item.kind == "obligation":
            return "Entrée : marquer fait"
        return ""

    def register_of(self, item: AgendaItem) -> str | None:
        """The register that records the item, when one does."""
        if item.kind == "obligation" and item.referential is not None:
            obligation = attempt(self, lambda: obligation_of(self.workspace.referential(item.referential),
                                                             item.obligation))
            return REGISTERS_OF.get(obligation.met_by) if obligation is not None else None
        return REGISTERS_OF.get(item.kind)

    def audit_kind(self, item: AgendaItem) -> str | None:
        """The kind of audit that meets the item, when an audit does."""
        if item.kind in AUDIT_KINDS_DUE:
            return AUDIT_KINDS_DUE[item.kind]
        if item.kind == "obligation" and item.referential is not None:
            obligation = attempt(self, lambda: obligation_of(self.workspace.referential(item.referential),
                                                             item.obligation))
            return AUDIT_RECORDS.get(obligation.met_by) if obligation is not None else None
        return None

    # Opening what is due ----------------------------------------------------------------------

    def action_open(self) -> None:
        value = self.highlighted()
        if isinstance(value, ToSet):
            self.set_frequency(value)
        elif isinstance(value, AgendaItem):
            self.open_item(value)

    def open_item(self, item: AgendaItem) -> None:
        if item.audit is not None:
            self.app.open_audit(item.audit)
            return
        if item.kind == "certificate":
            from audit_bench.tui.screens.structures import StructureScreen

            self.app.push_screen(StructureScreen(self.workspace, item.structure))
            return
        kind, register = self.audit_kind(item), self.register_of(item)
        if kind is not None:
            self.new_audit(item, kind)
        elif register is not None:
            self.app.open_registers(item.structure, register, at=item.record_id)
        elif item.kind == "obligation":
            self.mark_done(item)

    def new_audit(self, item: AgendaItem, kind: str) -> None:
        from audit_bench.tui.screens.new_audit import AuditPreset, NewAuditScreen

        def created(audit_id: str | None) -> None:
            if audit_id:
                self.app.open_audit(audit_id)

        due = date.fromisoformat(item.date)
        preset = AuditPreset(referential=item.referential, structure=item.structure, kind=kind,
                             day=due if due < self.app.today() else None)
        self.app.push_screen(NewAuditScreen(self.workspace, preset), created)

    def mark_done(self, item: AgendaItem) -> None:
        today = self.app.today()
        spec = FormSpec(
            "Marquer fait",
            [Field("on", "Fait le", f"{min(today, date.fromisoformat(item.date)):%d/%m/%Y}", placeholder="JJ/MM/AAAA",
                   required=True),
             Field("note", "Ce qui le montre (facultatif)", placeholder="compte rendu signé, classeur Qualité…",
                   multiline=True)],
            lambda v: record_met(self.workspace, item.structure, item.referential, item.obligation, v["on"],
                                 v["note"], today, (item.starts, item.date)),
            context=Text(clean(f"{item.structure_name} — {item.title}\n{item.rule}")), submit_label="Marquer fait")
        self.app.push_screen(FormDialog(spec), lambda done: self.action_refresh() if done else None)

    def set_frequency(self, entry: ToSet) -> None:
        def submit(values: dict[str, str]) -> bool:
            months = values["months"].strip()
            if not months.isdigit():
                raise UserError(f"nombre de mois attendu, pas « {months} »")
            set_frequency(self.workspace, entry.structure, entry.referential, entry.of, int(months))
            return True

        spec = FormSpec(f"Fixer : {entry.what}",
                        [Field("months", "Tous les combien de mois", "12", required=True)], submit,
                        context=Text(clean(f"{entry.structure_name}\n{entry.rule}")))
        self.app.push_screen(FormDialog(spec), lambda done: self.action_refresh() if done else None)

    def action_horizon(self) -> None:
        self.within = HORIZONS[(HORIZONS.index(self.within) + 1) % len(HORIZONS)]
        self.action_refresh()
        self.notify(f"Horizon : {self.within} jours", timeout=2)

    def action_back(self) -> None:
        self.app.pop_screen()
