"""Accueil: the top-level areas, the structures and the audits, a first-run view, and the
broken-plugin notice."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Static

from audit_bench.model.audit import Progress
from audit_bench.model.vocab import AUDIT_STATUSES, KINDS, SHORT_KINDS
from audit_bench.services.errors import REFUSALS
from audit_bench.services.listing import AuditRow, StructureRow, list_audits, list_structures, workspace_rows
from audit_bench.services.workspace import Workspace
from audit_bench.tui.areas import AREAS
from audit_bench.tui.refusals import attempt, tell_refusal
from audit_bench.tui.registry import load_registry
from audit_bench.tui.text import clean, percent_text, plain
from audit_bench.tui.widgets.fixed_table import FixedTable
from audit_bench.tui.widgets.listing import (
    COMPACT_STRUCTURE_COLUMNS, STRUCTURE_COLUMNS, WIDE, clipped, structure_cells, width_left,
)
from audit_bench.tui.widgets.key_bar import KeyBar
from audit_bench.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from audit_bench.model import DemoAudit
    from audit_bench.services.agenda import TodoSummary
    from audit_bench.services.plan import Watch

PLUGIN_CHECK_DELAY = 0.3
"""Seconds after the first screen before the plugins are loaded in a thread (see on_mount)."""
COLUMNS = [("Référentiel", 16), ("Type d'audit", 23), ("Date", 10), ("Avancement", 15), ("Écarts", 6),
           ("Statut", 8)]
COMPACT_COLUMNS = [("Réf.", 12), ("Audit", 16), ("Date", 10), ("Coté", 5), ("Écarts", 6)]
STRUCTURE_ROWS = 5
"""Structures shown at once on the Accueil (more scroll); the audits get the rest of the screen."""
FIRST_RUN = (
    "Bienvenue dans audit-bench.\n\n"
    "Cet espace de travail ne contient encore aucun audit. Créez votre premier audit, "
    "ou chargez les audits de démonstration fournis par les référentiels installés pour "
    "découvrir le parcours."
)


class HomeScreen(Screen):
    """Accueil: one key to each area, the structures, the audits; open an audit, create one, or
    load the demo."""

    TITLE = "Accueil"
    AUTO_FOCUS = ""
    """refresh_audits focuses the audits (Entrée opens one), not the first table."""

    DEFAULT_CSS = """
HomeScreen #plugin-notice {
    background: $warning 25%;
    color: $text;
    padding: 0 1;
    height: auto;
    max-height: 6;
}

HomeScreen #demo-progress {
    background: $accent 25%;
    padding: 0 1;
    height: 1;
}

HomeScreen #first-run {
    align: center middle;
    padding: 1 2;
}

HomeScreen #first-run-text {
    width: 70;
    max-width: 100%;
    margin-bottom: 1;
}

HomeScreen #first-run Button {
    width: 30;
    margin-bottom: 1;
}

HomeScreen #areas {
    height: 1;
    padding: 0 1;
}

HomeScreen #watch {
    height: 1;
    padding: 0 1;
}

HomeScreen #todo {
    height: 1;
    padding: 0 1;
    display: none;
}

HomeScreen .section {
    height: 1;
    padding: 0 1;
    text-style: bold;
    color: $text-muted;
}


HomeScreen #audits {
    height: 1fr;
}
"""

    BINDINGS = [
        *[Binding(area.key, f"area('{area.key}')", area.label, show=False) for area in AREAS],  # on the areas line
        Binding("n", "new_audit", "Nouvel audit"),
        Binding("d", "load_demo", "Charger la démo"),
        Binding("enter", "open_audit", "Ouvrir", show=False),
        Binding("f5", "refresh", "Actualiser", show=False),
        Binding("q", "app.quit", "Quitter"),
    ]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.rows: list[AuditRow] = []
        self.structures: list[StructureRow] = []
        self.compact = False
        self.watch_ready = False
        """The « À surveiller » counts were shown once: from then on each refresh counts again."""
        self.registry_ready = False
        """The plugins are loaded (after the first paint): the « À faire » can be counted."""
        self.demo_loading = False

    def compose(self) -> ComposeResult:
        yield TitleBar()
        notice = Static(id="plugin-notice")
        notice.display = False
        yield notice
        progress = Static(id="demo-progress")
        progress.display = False
        yield progress
        first_run = Vertical(id="first-run")
        first_run.display = False
        yield first_run
        yield Static(self.areas_text(), id="areas")
        watch = Static(id="watch")
        watch.display = False
        yield watch
        yield Static(id="todo")
        yield Static(id="structures-title", classes="section")
        yield FixedTable(id="structures", zebra_stripes=True)
        yield Static(id="audits-title", classes="section")
        yield FixedTable(id="audits", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        # Parsing the referentials takes the interpreter for a while: start once the first screen
        # is up, so it never delays it, and say which plugin failed a moment later. Counted from
        # the mount, a loaded machine reached the delay before the first frame.
        self.call_after_refresh(self.set_timer, PLUGIN_CHECK_DELAY, self.check_plugins)
        self.call_after_refresh(self.set_timer, PLUGIN_CHECK_DELAY, self.count_watch)

    def on_screen_resume(self) -> None:
        """Also the first showing: the list is read once, from the index, before the first paint
        (the « À surveiller » counts come after it, see on_mount)."""
        self.refresh_audits()

    @work(thread=True, exclusive=True, group="watch")
    def count_watch(self) -> None:
        """The actions to watch, the first time: in a thread, as the plan's index may be built from
        every file then."""
        from audit_bench.services.plan import to_watch  # after the first paint

        load_registry(self.workspace)  # a referential not frozen yet is the installed one
        try:
            watch = to_watch(self.workspace, self.app.today())
        except REFUSALS:
            return  # the lists say which file cannot be read
        self.app.call_from_thread(self.show_watch, watch)

    def count_watch_now(self) -> None:
        """The actions to watch again, back on the Accueil: the index has them, but for the few
        files changed meanwhile (no thread left running while the next screen is used)."""
        from audit_bench.services.plan import to_watch

        try:
            self.show_watch(to_watch(self.workspace, self.app.today()))
        except REFUSALS:
            return

    def show_watch(self, watch: Watch) -> None:
        from audit_bench.services.rules import WATCH_DAYS  # with the plan, after the first paint

        text = Text("À surveiller : ", style="bold")
        text.append(f"{watch.overdue} action(s) en retard", style="bold red" if watch.overdue else "")
        text.append(f" · {watch.due_soon} à échéance sous {WATCH_DAYS} jours")
        text.append("   p : plan d'amélioration", style="dim")
        widget = self.query_one("#watch", Static)
        widget.update(text)
        widget.display = bool(self.rows or self.structures)
        self.watch_ready = True

    def on_resize(self) -> None:
        if self.compact != (self.size.width < WIDE):
            self.refresh_audits()

    def refresh_audits(self) -> None:
        """Read the structures and the audits from the index and show them; rows already shown
        are redrawn only where they changed (coming back from a walk, one audit has)."""
        rows = attempt(self, (lambda: workspace_rows(self.workspace)))  # one read of the index for both lists
        if rows is None:
            self.rows, self.structures = [], []
        else:
            self.rows = list_audits(self.workspace, rows)
            self.structures = list_structures(self.workspace, self.app.today(), rows).structures
        self.compact = self.size.width < WIDE
        self.query_one("#areas", Static).update(self.areas_text(self.compact))
        self.show_structures()
        self.show_audits()
        empty = not self.rows and not self.structures
        first_run = self.query_one("#first-run")
        if empty and not first_run.children:  # mounted only when needed: the first paint stays light
            first_run.mount(Static(FIRST_RUN, id="first-run-text"),
                            Button("Créer un audit (n)", id="first-new", variant="primary"),
                            Button("Charger la démo (d)", id="first-demo"))
        first_run.display = empty
        for selector in ("#areas", "#audits-title", "#audits"):
            self.query_one(selector).display = not empty
        for selector in ("#structures-title", "#structures"):
            self.query_one(selector).display = bool(self.structures)
        if self.watch_ready:
            self.count_watch_now()
        if empty:
            self.call_after_refresh(lambda: self.query_one("#first-new").focus())
        elif not isinstance(self.focused, FixedTable):
            self.query_one("#audits" if self.rows else "#structures").focus()
        if self.registry_ready:
            self.refresh_todo()

    @work(thread=True, exclusive=True, group="todo")
    def refresh_todo(self) -> None:
        self.count_todo()

    def count_todo(self) -> None:
        """Count what the agenda holds (in a thread: it reads every structure's cycle) and show it."""
        from audit_bench.services.agenda import todo_summary  # after the first paint

        try:
            summary = todo_summary(self.workspace, self.app.today())
        except REFUSALS:
            return  # the agenda itself says why when opened
        self.app.call_from_thread(self.show_todo, summary)

    def show_todo(self, summary: TodoSummary) -> None:
        """« À faire » under the areas; no line when nothing is late, due soon or to set."""
        parts = [(summary.overdue, "en retard", "bold red"), (summary.due, "dans les 30 jours", "bold yellow"),
                 (summary.to_set, "à fixer", "magenta")]
        text = Text("À faire : ", style="bold")
        shown = [(count, label, style) for count, label, style in parts if count]
        for index, (count, label, style) in enumerate(shown):
            text.append(" · " if index else "")
            text.append(f"{count} {label}", style=style)
        text.append(" — ")
        text.append(" g ", style="reverse bold")
        text.append(" agenda")
        todo = self.query_one("#todo", Static)
        todo.update(text)
        todo.display = bool(shown) and self.query_one("#areas").display

    def show_audits(self) -> None:
        table = self.query_one("#audits", FixedTable)
        columns = COMPACT_COLUMNS if self.compact else COLUMNS
        org_width = width_left(self.size.width, columns)
        table.set_columns([("Structure", org_width), *columns])
        table.set_rows([(row.id, row) for row in self.rows],
                       lambda row: self._cells(row, self.compact, org_width))
        self.query_one("#audits-title", Static).update(f"Audits ({len(self.rows)})")

    def show_structures(self) -> None:
        table = self.query_one("#structures", FixedTable)
        columns = COMPACT_STRUCTURE_COLUMNS if self.compact else STRUCTURE_COLUMNS
        name_width = width_left(self.size.width, columns)
        table.set_columns([("Structure", name_width), *columns])
        today = self.app.today()
        table.set_rows([(row.id, row) for row in self.structures],
                       lambda row: structure_cells(row, self.compact, name_width, today))
        table.fit(STRUCTURE_ROWS)
        self.query_one("#structures-title", Static).update(f"Structures ({len(self.structures)})")

    @staticmethod
    def areas_text(compact: bool = False) -> Text:
        """One key per area; below WIDE columns their short names, closer together, so that all of
        them show at 80."""
        text = Text()
        for area in AREAS:
            text.append(f" {area.key} ", style="reverse bold")
            text.append(f" {area.short}  " if compact else f" {area.label}   ")
        return text

    @staticmethod
    def _cells(row: AuditRow, compact: bool, org_width: int) -> list[Text | str]:
        width = len(COMPACT_COLUMNS if compact else COLUMNS) + 1
        if row.error:
            return [Text(f"{clean(row.id)} : illisible", style="bold red"), Text(clean(row.error), style="red"),
                    *[""] * (width - 2)]
        org = clipped(clean(row.org), org_width)
        kind = SHORT_KINDS.get(row.kind, row.kind) + (" (clos)" if row.status == "closed" else "")
        share = f"{round(100 * row.assessed / row.total) if row.total else 0} %"
        findings = Text(str(row.open_findings), style="bold" if row.open_findings else "dim")
        referential = f"{row.referential} {row.siae_type}" if row.siae_type else row.referential
        if compact:
            return [Text(org), plain(referential), plain(kind), plain(row.date), share, findings]
        return [Text(org), plain(referential), plain(KINDS.get(row.kind, row.kind)), plain(row.date),
                percent_text(Progress(row.assessed, row.total, 0)), findings,
                Text(clean(AUDIT_STATUSES.get(row.status, row.status)), style="dim" if row.status == "closed" else "")]

    @work(thread=True, exclusive=True, group="plugins")
    def check_plugins(self) -> None:
        """Parse the referentials after the first paint, then say which plugin failed, if any."""
        errors = load_registry(self.workspace)
        if errors:
            self.app.call_from_thread(self.show_plugin_errors, errors)
        self.registry_ready = True
        self.count_todo()

    def show_plugin_errors(self, errors) -> None:
        notice = self.query_one("#plugin-notice", Static)
        text = Text("⚠ ", style="bold")
        text.append(f"{len(errors)} extension(s) n'ont pas pu être chargées ; les autres fonctionnent :",
                    style="bold")
        for error in errors:
            text.append(f"\n  • {clean(error.plugin)} : ", style="bold")
            text.append(clean(" ".join(error.error.split())))
        notice.update(text)
        notice.display = True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "first-new":
            self.action_new_audit()
        elif event.button.id == "first-demo":
            self.action_load_demo()

    def on_fixed_table_row_selected(self, event: FixedTable.RowSelected) -> None:
        if event.table.id == "structures":
            self.open_structure(event.key)
        else:
            self.open_audit(event.key)

    def action_open_audit(self) -> None:
        table = self.query_one("#audits", FixedTable)
        if self.rows and table.display:
            self.open_audit(self.rows[table.cursor_row].id)

    def action_area(self, key: str) -> None:
        """Go to an area: the Accueil's own audit list, or the area's screen."""
        area = next(area for area in AREAS if area.key == key)
        if area.screen is None:
            if self.rows:
                self.query_one("#audits").focus()
            return
        self.app.push_screen(area.screen_class()(self.workspace))

    def open_structure(self, structure_id: str) -> None:
        from audit_bench.tui.screens.structures import StructureScreen

        self.app.push_screen(StructureScreen(self.workspace, structure_id))

    def open_audit(self, audit_id: str) -> None:
        self.app.open_audit(audit_id)

    def action_new_audit(self) -> None:
        from audit_bench.tui.screens.new_audit import NewAuditScreen

        def created(audit_id: str | None) -> None:
            if audit_id:
                self.open_audit(audit_id)

        self.app.push_screen(NewAuditScreen(self.workspace), created)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "load_demo" and self.demo_loading:
            return None  # shown, as unavailable, until the demo is in
        return True

    def action_load_demo(self) -> None:
        """The demo is written in a thread (each write durable: seconds), its progress shown as it
        goes; the Accueil answers meanwhile."""
        self.demo_loading = True
        self.show_demo_progress("Chargement de la démo…")
        self.query_one(KeyBar).show_keys()
        self.load_demo_in_thread()

    @work(thread=True, exclusive=True, group="demo")
    def load_demo_in_thread(self) -> None:
        from audit_bench.services.demo import load_demo  # with its registers' services: not at start

        shown = -1

        def progress(done: int, total: int, demo: DemoAudit) -> None:
            nonlocal shown
            if done * 100 // total != shown:  # the screen is told at each percent, not at each write
                shown = done * 100 // total
                self.app.call_from_thread(self.show_demo_progress,
                                          f"Chargement de la démo : {shown} % — {demo.referential}, {demo.org}")

        load_registry(self.workspace)
        try:
            created: list[str] | BaseException = load_demo(self.workspace, progress=progress)
        except REFUSALS as exc:
            created = exc
        self.app.call_from_thread(self.demo_loaded, created)

    def show_demo_progress(self, message: str) -> None:
        line = self.query_one("#demo-progress", Static)
        line.update(Text(clean(message)))
        line.display = True

    def demo_loaded(self, created: list[str] | BaseException) -> None:
        """The demo is in (`created`: the audits' ids), or was refused (why)."""
        self.demo_loading = False
        self.query_one("#demo-progress").display = False
        self.query_one(KeyBar).show_keys()
        if isinstance(created, BaseException):
            tell_refusal(self, created)
            return
        self.refresh_audits()
        if created:
            self.notify(f"{len(created)} audit(s) de démonstration créé(s).", title="Démo")
        else:
            self.notify("Les audits de démonstration sont déjà là (ou aucun référentiel n'en fournit).",
                        severity="warning")

    def action_refresh(self) -> None:
        self.refresh_audits()
