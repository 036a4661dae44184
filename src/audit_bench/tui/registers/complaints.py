"""The « Réclamations » tab of the registers: the structure's complaints with their deadlines and
flags, a form to record one (a), its answer (r), the écart it proposes one key away (e), and the
year's bilan (b). Every change goes through services.complaints."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from audit_bench.model.complaints import ANSWER_KINDS, CHANNELS, COMPLAINANTS, COMPLAINT_STATUSES, DELAY_UNITS
from audit_bench.services import Workspace
from audit_bench.services.complaints import (
    NO_DELAY, OWN_DELAY, ComplaintBilan, ComplaintView, add_complaint, answer_complaint, complaint_bilan,
    complaint_views, raise_ecart, set_settings, settings,
)
from audit_bench.services.errors import UserError
from audit_bench.services.workdays import HOLIDAY_ZONES, METROPOLE
from audit_bench.tui.forms import Field, FormDialog, FormSpec, TextDialog
from audit_bench.tui.refusals import attempt
from audit_bench.tui.registers import RegisterTab
from audit_bench.tui.text import clean, plain
from audit_bench.tui.widgets.fixed_table import FixedTable
from audit_bench.tui.widgets.listing import WIDE, clipped, width_left

TAB_TITLE = "Réclamations"
COLUMNS = [("N°", 4), ("Reçue le", 10), ("Canal", 8), ("Due le", 10), ("Réponse", 10), ("Statut", 12),
           ("Retard", 6)]
"""Besides the subject, which takes the width left."""
COMPACT_COLUMNS = [*COLUMNS[:4], *COLUMNS[5:]]
"""Below WIDE columns, without the first answer's date (the detail shows it), so the flags still show at 80."""


def complaint_cells(view: ComplaintView, subject_width: int, compact: bool) -> list[Text]:
    """A complaint's line: its deadline, first answer (unless compact), status, and « RETARD » in
    red when late."""
    first = [] if compact else [plain(view.answers[0].on if view.answers else "—")]
    return [plain(view.id), plain(view.received), plain(view.channel),
            Text(clipped(clean(view.subject), subject_width)), plain(view.answer_due or "non fixé"), *first,
            Text(COMPLAINT_STATUSES.get(view.status, view.status), style="" if view.status == "closed" else "yellow"),
            Text("RETARD", style="bold red") if view.late else Text("")]


def detail_text(view: ComplaintView) -> Text:
    text = Text(f"{clean(view.id)} ", style="bold")
    text.append(clean(view.subject), style="bold")
    text.append(f" — {COMPLAINANTS.get(view.complainant, view.complainant)}, "
                f"{CHANNELS.get(view.channel, view.channel).lower()}")
    if view.requirement:
        text.append(f", engagement {clean(view.requirement)}")
    if view.text:
        text.append(f"\n{clean(view.text)}")
    for answer in view.answers:
        text.append(f"\n{answer.on}  {ANSWER_KINDS.get(answer.kind, answer.kind)}")
        if answer.final_due:
            text.append(f" : réponse définitive le {answer.final_due}, suivi {clean(answer.in_charge)}")
        if answer.text:
            text.append(f" — {clean(answer.text)}")
    for reason in view.late_reasons:
        text.append(f"\nEn retard : {clean(reason)}", style="bold red")
    for ecart in view.ecarts:
        text.append(f"\nÉcart {clean(ecart.id)} : {clean(ecart.text)} ({ecart.state})", style="dim")
    return text


def bilan_text(bilan: ComplaintBilan) -> Text:
    text = Text(f"Réclamations reçues : {bilan.total} ; sans réponse : {bilan.unanswered} ; "
                f"en cours : {bilan.open} ; "
                f"en retard : {bilan.late}\n")
    for title, counts in (("Par canal", bilan.by_channel), ("Par réclamant", bilan.by_complainant),
                          ("Par objet", bilan.by_subject)):
        text.append(f"\n{title}\n", style="bold")
        for count in counts:
            text.append(f"  {clean(count.label)} : {count.count}\n")
    median = "—" if bilan.median_answer_days is None else f"{bilan.median_answer_days:g}".replace(".", ",")
    share = "—" if bilan.share_on_time is None else f"{bilan.share_on_time:g}\u00a0%".replace(".", ",")
    text.append(f"\nDélai de première réponse (médiane) : {median} jour(s) ; dans le délai : {bilan.on_time} "
                f"({share})\n")
    text.append(f"Écarts soulevés : {len(bilan.ecarts)} ; actions : {bilan.actions}\n")
    for ecart in bilan.ecarts:
        text.append(f"  {clean(ecart.id)} : {clean(ecart.text)} ({ecart.state})\n")
    return text


class ComplaintsTab(RegisterTab):
    """One structure's complaints register: Entrée or ↑↓ show a complaint's detail below the list."""

    MAIN = "#complaints"

    DEFAULT_CSS = """
ComplaintsTab #complaints-rule { height: auto; padding: 0 1; color: $text-muted; }
ComplaintsTab #complaints { height: 1fr; min-height: 3; }
ComplaintsTab #complaint-detail { height: auto; max-height: 8; padding: 0 1; border-top: solid $panel; }
"""

    BINDINGS = [
        Binding("a", "add", "Nouvelle réclamation"),
        Binding("r", "answer", "Répondre"),
        Binding("e", "ecart", "Écart"),
        Binding("b", "bilan", "Bilan de l'année"),
        Binding("s", "settings", "Réglages"),
    ]

    def __init__(self, workspace: Workspace, structure_id: str) -> None:
        super().__init__(workspace, structure_id)
        self.views: list[ComplaintView] = []

    def compose(self) -> ComposeResult:
        yield Static(id="complaints-rule")
        yield FixedTable(id="complaints", zebra_stripes=True)
        yield Static(id="complaint-detail")

    def on_mount(self) -> None:
        self.refresh_register()

    def refresh_register(self) -> None:
        views = attempt(self, lambda: complaint_views(self.workspace, self.structure_id, self.today()))
        self.views = views or []
        found = attempt(self, lambda: settings(self.workspace, self.structure_id))
        delay = found[1] if found else None
        rule = f"Délai de réponse : {delay.text} — {delay.rule}" if delay else f"Délai de réponse : {NO_DELAY}"
        late = sum(1 for view in self.views if view.late)
        self.query_one("#complaints-rule", Static).update(Text(
            f"{clean(rule)}   {len(self.views)} réclamation(s), {late} en retard   "
            "a : nouvelle  r : répondre  e : écart  b : bilan  s : réglages"))
        self.show_rows()
        self.show_detail()

    def on_resize(self) -> None:
        self.show_rows()

    def show_rows(self) -> None:
        """The register under columns fitted to the tab's width, the subject taking what is left."""
        table = self.query_one("#complaints", FixedTable)
        compact = self.size.width < WIDE
        columns = COMPACT_COLUMNS if compact else COLUMNS
        subject_width = width_left(self.size.width, columns)
        table.set_columns([*columns[:3], ("Objet", subject_width), *columns[3:]])
        table.set_rows([(view.id, view) for view in self.views],
                       lambda view: complaint_cells(view, subject_width, compact))

    def current(self) -> ComplaintView | None:
        table = self.query_one("#complaints", FixedTable)
        return self.views[table.cursor_row] if self.views and table.cursor_row < len(self.views) else None

    def show_detail(self) -> None:
        view = self.current()
        self.query_one("#complaint-detail", Static).update(detail_text(view) if view else Text(
            "Aucune réclamation : a pour en enregistrer une.", style="dim"))

    def on_fixed_table_row_highlighted(self, event: FixedTable.RowHighlighted) -> None:
        self.show_detail()

    def change(self, spec: FormSpec) -> None:
        """A form whose use case, once accepted, redraws the register."""
        def done(changed: Any) -> None:
            if changed:
                self.refresh_register()

        self.app.push_screen(FormDialog(spec), done)

    def action_add(self) -> None:
        today = self.today()

        def submit(values: dict[str, str]) -> str:
            return add_complaint(self.workspace, self.structure_id, values["received"], values["channel"],
                                 values["complainant"], values["subject"], values["requirement"], values["text"],
                                 today).id

        self.change(FormSpec("Nouvelle réclamation", [
            Field("received", "Reçue le", f"{today:%d/%m/%Y}", placeholder="JJ/MM/AAAA", required=True),
            Field("channel", "Canal", options=list(CHANNELS.items())),
            Field("complainant", "Réclamant (son type, jamais son nom)", options=list(COMPLAINANTS.items())),
            Field("subject", "Objet", required=True),
            Field("requirement", "Engagement ou exigence concerné (facultatif)", placeholder="ex. E3"),
            Field("text", "Ce que dit la réclamation (facultatif, sans nom)"),
        ], submit, submit_label="Enregistrer", focus="subject"))

    def action_answer(self) -> None:
        view = self.current()
        if view is None:
            return
        today = self.today()

        def submit(values: dict[str, str]) -> bool:
            answer_complaint(self.workspace, self.structure_id, view.id, values["kind"], values["on"], values["text"],
                             values["final_due"] or None, values["in_charge"], today)
            return True

        self.change(FormSpec(f"Réponse à la réclamation {view.id}", [
            Field("kind", "Réponse", options=list(ANSWER_KINDS.items())),
            Field("on", "Envoyée le", f"{today:%d/%m/%Y}", placeholder="JJ/MM/AAAA", required=True),
            Field("text", "Solution proposée, motif du refus"),
            Field("final_due", "Accusé de réception : réponse définitive promise le", placeholder="JJ/MM/AAAA"),
            Field("in_charge", "Accusé de réception : responsable du suivi"),
        ], submit, context=Text(clean(view.subject), style="bold")))

    def action_ecart(self) -> None:
        """The écart the complaint proposes, its text prefilled: Entrée raises it in the plan."""
        view = self.current()
        if view is None:
            return
        today = self.today()

        def submit(values: dict[str, str]) -> str:
            return raise_ecart(self.workspace, self.structure_id, view.id, values["text"], today=today).id

        def done(finding_id: str | None) -> None:
            if finding_id:
                self.app.notify(f"Écart {finding_id} ouvert dans le plan d'amélioration.", markup=False)
                self.refresh_register()

        self.app.push_screen(FormDialog(FormSpec(
            f"Écart de la réclamation {view.id}", [Field("text", "Constat de l'écart", view.proposal.text,
                                                         required=True)],
            submit, context=Text("Entrée : l'ouvrir dans le plan d'amélioration (source : réclamation)"),
            submit_label="Ouvrir l'écart")), done)

    def action_bilan(self) -> None:
        view = self.current()
        year = int(view.received[:4]) if view else self.today().year
        bilan = attempt(self, lambda: complaint_bilan(self.workspace, self.structure_id, year, self.today()))
        if bilan is not None:
            self.app.push_screen(TextDialog(f"Bilan des réclamations {year}", bilan_text(bilan)))

    def action_settings(self) -> None:
        """The public holidays counted and, where no referential of the structure fixes it, the
        structure's own answer delay (empty: none)."""
        found = attempt(self, lambda: settings(self.workspace, self.structure_id))
        if found is None:
            return
        current, delay = found
        zones = [("", METROPOLE), *((code, f"{label} ({code})") for code, (_, label) in HOLIDAY_ZONES.items())]
        zone = current.holiday_zone if current is not None else None
        fields = [Field("zone", "Jours fériés comptés", zone or "", options=zones)]
        own = delay is None or delay.rule == OWN_DELAY
        if own:
            fields += [Field("days", "Délai de réponse fixé par la structure (vide : aucun)",
                             str(delay.days) if delay else "", placeholder="ex. 10"),
                       Field("unit", "Unité du délai", delay.unit if delay else "",
                             options=list(DELAY_UNITS.items()))]

        def submit(values: dict[str, str]) -> bool:
            days = values.get("days", "").strip()
            if days and not days.isdigit():
                raise UserError(f"délai de réponse invalide « {days} » : un nombre de jours")
            set_settings(self.workspace, self.structure_id, holiday_zone=values["zone"],
                         answer_days=int(days) if days else None, answer_unit=values["unit"] if days else None,
                         clear_delay=own and not days and delay is not None)
            return True

        context = None if own else Text(f"Délai de réponse : {delay.text} — {clean(delay.rule)}")
        self.change(FormSpec("Réglages du registre des réclamations", fields, submit, context=context))
