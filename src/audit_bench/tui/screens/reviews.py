"""Revue de direction: a structure's reviews, and one review as it is held in the meeting: the
pack section by section with the référent's text for each, the consistency check (Entrée on a
point goes to what to fix), the participants, the decisions (an action decided lands in the plan
at once), the signature that freezes it all, a new version of a signed review, the distribution
and the bilan (PDF or Word).

The area opens on the list of structures (`structures.ReviewsScreen`); every change goes through
`services.review`, and a refusal is shown in the form or told in one sentence."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from msgspec import UNSET
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from audit_bench.model.vocab import ACTION_TYPES, REVIEW_DECISIONS, REVIEW_STATES, ROLES
from audit_bench.reports.review_content import COMMENT_LABEL, value_text
from audit_bench.services import AuditSession, Workspace
from audit_bench.services.errors import REFUSALS
from audit_bench.services.review import (
    TO_COMPLETE, WRITTEN_INPUTS, ReviewRow, ReviewView, SectionView, decide, distribute, list_reviews, new_review,
    remove_participant, review_page, review_ref, set_comment, set_participant, sign, write_review_report,
)
from audit_bench.services.structures import structure_name
from audit_bench.services.validation import UserError, check_text
from audit_bench.tui.forms import ConfirmDialog, Field, FormDialog, FormSpec
from audit_bench.tui.refusals import attempt, describe
from audit_bench.tui.registry import load_registry
from audit_bench.tui.text import clean, plain
from audit_bench.tui.widgets.fixed_table import FixedTable
from audit_bench.tui.widgets.key_bar import KeyBar
from audit_bench.tui.widgets.listing import width_left
from audit_bench.tui.widgets.title_bar import TitleBar

REVIEW_COLUMNS = [("Année", 6), ("État", 14), ("Décisions", 9)]
"""After the review's id; the signature (who, when) takes the width left."""
CHECK_ROWS = 5
"""Points of the consistency check shown at once (more scroll); the pack gets the rest."""
CHECK_REGISTERS = {"complaint-not-answered": "complaints", "indicator-incomplete": "indicators",
                   "survey-without-action": "surveys"}
"""The register tab that fixes a point of the check, by its kind."""
LAST_YEAR_UNTIL_MONTH = 3
"""Until March, a new review is proposed for the year just ended (the bilan is held early in the year)."""


def proposed_year(today: date) -> int:
    return today.year - 1 if today.month <= LAST_YEAR_UNTIL_MONTH else today.year


class StructureReviewsScreen(Screen):
    """One structure's reviews, the latest first; n prepares one, Entrée opens one."""

    TITLE = "Revue de direction"

    DEFAULT_CSS = """
StructureReviewsScreen #reviews-of {
    height: 1;
    padding: 0 1;
    text-style: bold;
}

StructureReviewsScreen #reviews {
    height: 1fr;
}
"""

    BINDINGS = [
        Binding("n", "new_review", "Nouvelle revue"),
        Binding("f5", "refresh", "Actualiser", show=False),
        Binding("escape", "back", "Retour"),
    ]

    def __init__(self, workspace: Workspace, structure_id: str) -> None:
        super().__init__()
        self.workspace = workspace
        self.structure_id = structure_id

    def compose(self) -> ComposeResult:
        yield TitleBar()
        name = structure_name(self.workspace, self.structure_id, self.structure_id)
        yield Static(Text(f"{clean(name)} — Entrée : ouvrir une revue · n : en préparer une"), id="reviews-of")
        yield FixedTable(id="reviews", zebra_stripes=True)
        yield KeyBar()

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        listed = attempt(self, lambda: list_reviews(self.workspace, self.structure_id))
        rows = listed.reviews if listed is not None else []
        table = self.query_one(FixedTable)
        columns = [("Revue", 6), *REVIEW_COLUMNS]
        table.set_columns([*columns, ("Signée", width_left(self.size.width, columns))])
        damaged = listed.errors if listed is not None else []
        table.set_rows([(row.id, row) for row in rows] + [(f"damaged-{n}", row) for n, row in enumerate(damaged)],
                       lambda row: [
            plain(row.id.split("/")[-1]), plain(row.year), plain(REVIEW_STATES.get(row.state, row.state)),
            plain(row.decisions),
            plain(f"{row.held_on}, par {row.signed_by}" if row.signed_by else "—")] if isinstance(row, ReviewRow)
            else [plain(row.id or "?"), plain("—"), Text("illisible", style="bold red"), plain("—"), plain(row.error)])
        table.focus()

    def on_fixed_table_row_selected(self, event: FixedTable.RowSelected) -> None:
        row = event.table.shown[event.key]
        if isinstance(row, ReviewRow):
            self.app.push_screen(ReviewScreen(self.workspace, event.key))
        else:
            self.notify(row.error, title="Revue illisible", severity="error", markup=False)

    def action_new_review(self) -> None:
        today = self.app.today()
        year = proposed_year(today)
        why = ("de janvier à mars, l'année écoulée" if year != today.year else "l'année en cours")
        spec = FormSpec(
            "Nouvelle revue de direction", [Field("year", "Année civile revue", str(year), required=True)],
            lambda v: f"{self.structure_id}/" + new_review(self.workspace, self.structure_id, _year(v["year"]),
                                                           today=today).id,
            context=Text(f"Année proposée : {year} ({why}). Le bilan se construit à partir des registres "
                         "et des audits de cette année.", style="dim"),
            submit_label="Préparer")

        def created(ref: str | None) -> None:
            if ref:
                self.app.push_screen(ReviewScreen(self.workspace, ref))

        self.app.push_screen(FormDialog(spec), created)

    def action_back(self) -> None:
        self.app.pop_screen()


def _year(typed: str) -> int:
    if not typed.strip().isdigit():
        raise UserError(f"année attendue (AAAA), pas « {typed.strip()} »")
    return int(typed)


class ReviewScreen(Screen):
    """One review: its pack with the référent's texts and its consistency check, built now in one
    reading (a signed review's: frozen at signing). A signed review takes no more texts,
    participants or decisions: those keys are shown unavailable and say why; n makes a new
    version of it, and its distribution and its bilan remain."""

    TITLE = "Revue de direction"
    AUTO_FOCUS = ""

    DEFAULT_CSS = """
ReviewScreen #review-header {
    height: auto;
    max-height: 2;
    padding: 0 1;
}

ReviewScreen #pack {
    height: 1fr;
    padding: 0 1;
}

ReviewScreen #check-title {
    height: 1;
    padding: 0 1;
    text-style: bold;
    color: $text-muted;
}
"""

    BINDINGS = [
        Binding("n", "new_version", "Nouvelle version"),  # first: shown on a signed review only
        Binding("c", "write_text", "Texte"),
        Binding("p", "add_participant", "Participant"),
        Binding("x", "remove_participant", "Retirer"),
        Binding("d", "decide", "Décision"),
        Binding("s", "sign", "Signer"),
        Binding("t", "distribute", "Diffusion"),
        Binding("r", "report('.pdf')", "Bilan PDF"),
        Binding("w", "report('.docx')", "Bilan Word"),
        Binding("f5", "refresh", "Actualiser", show=False),
        Binding("escape", "back", "Retour"),
    ]

    CHANGES = {"write_text", "add_participant", "remove_participant", "decide", "sign"}
    """What a signed review refuses (its distribution is not part of what was signed)."""

    def __init__(self, workspace: Workspace, ref: str) -> None:
        super().__init__()
        self.workspace = workspace
        self.ref = ref
        self.structure_id = review_ref(ref)[0]
        self.name_of_structure = structure_name(workspace, self.structure_id, self.structure_id)
        self.view: ReviewView | None = None
        self.points = 0

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="review-header")
        with VerticalScroll(id="pack"):
            yield Static(id="pack-text")
        yield Static(id="check-title")
        yield FixedTable(id="check")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#pack").focus()

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        today = self.app.today()
        page = attempt(self, lambda: review_page(self.workspace, self.ref, today))
        if page is None:
            self.app.pop_screen()
            return
        self.view = view = page.view
        points = page.points
        self.query_one("#review-header", Static).update(header_text(view, self.name_of_structure))
        self.query_one("#pack-text", Static).update(pack_text(view))
        self.points = len(points)
        self.show_check_title()
        table = self.query_one("#check", FixedTable)
        table.set_columns([("À corriger", width_left(self.size.width, []))])
        table.set_rows([(f"{index}", point) for index, point in enumerate(points)],
                       lambda point: [plain(point.text)])
        table.fit(CHECK_ROWS)
        table.display = bool(points)
        self.refresh_bindings()
        self.query_one(KeyBar).show_keys()

    def show_check_title(self) -> None:
        """The check's heading, with the key that leads to it, or from it once there."""
        signed = self.view is not None and self.view.signature is not None
        title = f"{'Points restant à la signature' if signed else 'Contrôle de cohérence'} ({self.points})"
        if not self.points:
            title += " : rien à corriger"
        elif self.focused is self.query_one("#check"):
            title += " — Entrée : aller corriger · Tab : revenir au bilan"
        else:
            title += " — Tab : aller aux points"
        self.query_one("#check-title", Static).update(title)

    def on_descendant_focus(self) -> None:
        self.show_check_title()

    # A signed review is not edited ---------------------------------------------------------

    def frozen(self) -> str | None:
        """Why the review takes no more changes, or None."""
        if self.view is None or self.view.state == "draft":
            return None
        if self.view.state == "signed":
            return "Revue signée : elle ne se modifie plus. En faire une nouvelle version : touche n."
        return f"Revue remplacée par {self.view.superseded_by} : modifier celle-ci."

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.CHANGES and self.frozen() is not None:
            return None  # shown, as unavailable
        if action == "new_version":
            return self.view is not None and self.view.state == "signed"  # only a signed review has versions
        return True

    def on_key(self, event) -> None:
        """A key of an unavailable change opens nothing: it says why."""
        reason = self.frozen()
        binding = next((b for b in self.BINDINGS if b.key == event.key), None)
        if reason is not None and binding is not None and binding.action in self.CHANGES:
            event.stop()
            self.notify(reason, title="Refusé", severity="warning", markup=False)

    # Changes ---------------------------------------------------------------------------------

    def change(self, spec: FormSpec, done: str) -> None:
        """A form whose submit calls the use case; once accepted, `done` is told and the screen redrawn."""
        def changed(result: object) -> None:
            if result is not None:
                self.notify(done, markup=False)
                self.action_refresh()

        self.app.push_screen(FormDialog(spec), changed)

    def action_write_text(self) -> None:
        """Choose the input (the first one still to complete is proposed), then write its text."""
        if self.view is None:
            return
        sections = [s for s in self.view.inputs if s.input]
        if not sections:
            self.notify("Aucune donnée d'entrée : aucun référentiel de la revue n'est installé.", markup=False)
            return
        proposed = next((s for s in sections if s.reads in WRITTEN_INPUTS and not s.comment), sections[0])
        spec = FormSpec("Texte du référent qualité", [
            Field("input", "Donnée d'entrée", _input_key(proposed),
                  options=[(_input_key(s), ("✎ " if s.comment else "  ") + s.title) for s in sections]),
        ], lambda values: values["input"], submit_label="Écrire…",
            context=Text("↓ ↑ : choisir la donnée d'entrée · Entrée : écrire son texte (✎ : déjà écrit)", style="dim"))
        self.app.push_screen(FormDialog(spec), lambda key: self.edit_text(key) if key else None)

    def edit_text(self, key: str) -> None:
        """The text form of one input (`REFERENTIAL:INPUT`): multi-line, saved with ctrl+s; emptied, it is cleared."""
        section = next((s for s in self.view.inputs if _input_key(s) == key), None) if self.view else None
        if section is None:
            return

        def submit(values: dict[str, str]) -> bool:
            set_comment(self.workspace, self.ref, key, values["text"])
            return True

        context = Text(clean(f"{section.citation()} — {section.title}"), style="dim")
        if section.reads in WRITTEN_INPUTS:
            context.append("\naudit-bench n'en tient pas de registre : ce texte en est le contenu.", style="dim")
        self.change(FormSpec("Texte du référent qualité", [
            Field("text", "Texte (vide : effacé)", section.comment, multiline=True),
        ], submit, context=context), "Texte enregistré.")

    def action_add_participant(self, role: str | None = None) -> None:
        def submit(values: dict[str, str]) -> bool:
            set_participant(self.workspace, self.ref, values["name"], values["role"], values["present"] == "yes")
            return True

        self.change(FormSpec("Participant à la revue", [
            Field("name", "Nom", required=True),
            Field("role", "Rôle", role or "", options=list(ROLES.items())),
            Field("present", "Présence", options=[("yes", "Présent(e)"), ("no", "Absent(e), excusé(e)")]),
        ], submit, focus="name"), "Participant inscrit.")

    def action_remove_participant(self) -> None:
        """Choose the participant (when there are several), then confirm: Entrée removes, Échap keeps."""
        if self.view is None:
            return
        people = self.view.participants
        if not people:
            self.notify("Aucun participant à retirer.", markup=False)
            return
        if len(people) == 1:
            self.confirm_removal(0)
            return
        spec = FormSpec("Retirer un participant", [
            Field("who", "Participant", options=[(str(index), f"{p.name} — {ROLES.get(p.role, p.role)}")
                                                 for index, p in enumerate(people)]),
        ], lambda values: values["who"], submit_label="Retirer…")
        self.app.push_screen(FormDialog(spec), lambda who: self.confirm_removal(int(who)) if who else None)

    def confirm_removal(self, index: int) -> None:
        person = self.view.participants[index]
        question = Text(clean(f"Retirer {person.name} ({ROLES.get(person.role, person.role)}) de la revue ?"),
                        style="bold")

        def answered(yes: bool) -> None:
            if yes and attempt(self, lambda: remove_participant(self.workspace, self.ref, person.name,
                                                                person.role)) is not None:
                self.notify("Participant retiré.", markup=False)
                self.action_refresh()

        self.app.push_screen(ConfirmDialog(question, hint="Entrée : retirer · Échap : garder"), answered)

    def action_new_version(self) -> None:
        """A signed review is changed by a new version: a draft starting from its participants,
        decisions and texts, which replaces it once signed."""
        if self.view is None or self.view.state != "signed":
            return
        review_id = self.view.id.split("/")[-1]
        question = Text(f"Préparer une nouvelle version de la revue {review_id} ?", style="bold")
        question.append("\nElle reprend ses participants, ses décisions et les textes du référent ; ses données "
                        f"d'entrée sont celles du jour. Une fois signée, elle remplace {review_id}.")

        def answered(yes: bool) -> None:
            created = attempt(self, lambda: new_review(self.workspace, self.structure_id, supersedes=review_id,
                                                       today=self.app.today())) if yes else None
            if created is not None:
                self.notify(f"Nouvelle version {created.id} en préparation.", markup=False)
                self.app.switch_screen(ReviewScreen(self.workspace, f"{self.structure_id}/{created.id}"))

        self.app.push_screen(ConfirmDialog(question, hint="Entrée : préparer · Échap : ne rien faire"), answered)

    def decision_kinds(self) -> list[tuple[str, str]]:
        """The kinds of decision the review's referentials call for, in their words (all when none says)."""
        load_registry(self.workspace)
        kinds: dict[str, str] = {}
        for referential in dict.fromkeys(section.referential for section in self.view.inputs):
            loaded = self.workspace.registry.referentials.get(referential)
            review = loaded.tree.referential.review if loaded is not None else UNSET
            for output in review.outputs if review is not UNSET else []:
                kinds.setdefault(output.kind, REVIEW_DECISIONS.get(output.kind, output.kind))
        return list(kinds.items()) or list(REVIEW_DECISIONS.items())

    def action_decide(self) -> None:
        if self.view is None:
            return
        today = self.app.today()

        def submit(values: dict[str, str]) -> str:
            action = values["kind"] == "action"
            decision = decide(self.workspace, self.ref, values["kind"], values["text"], values["owner"] or None,
                              (values["due"] or None) if action else None, values["type"], today=today)
            return decision.id + (f" → action {decision.action} au plan d'amélioration" if decision.action else "")

        spec = FormSpec("Décision de la revue", [
            Field("kind", "Nature de la décision", options=self.decision_kinds()),
            Field("text", "La décision", required=True, multiline=True),
            Field("owner", "Responsable (obligatoire pour une action)"),
            Field("due", "Échéance (obligatoire pour une action)", placeholder="JJ/MM/AAAA"),
            Field("type", "Type d'action", "corrective", options=list(ACTION_TYPES.items())),
        ], submit, context=Text("Une action décidée entre au plan d'amélioration dès l'enregistrement "
                                "(écart de source « revue »), avec son responsable et son échéance.", style="dim"),
            focus="text")  # typed at once, the decision lands in its text; its nature is one shift+tab up

        def decided(result: str | None) -> None:
            if result:
                self.notify(f"Décision {result}.", markup=False)
                self.action_refresh()

        self.app.push_screen(FormDialog(spec), decided)

    def action_sign(self) -> None:
        if self.view is None:
            return
        today = self.app.today()

        def submit(values: dict[str, str]) -> dict[str, str]:
            check_text(values["by"], "le signataire")
            return values

        spec = FormSpec("Signer la revue", [
            Field("by", "Signataire", required=True),
            Field("held_on", "Date de la réunion", f"{today:%d/%m/%Y}", placeholder="JJ/MM/AAAA", required=True),
        ], submit, submit_label="Signer…")

        def confirm(values: dict[str, str] | None) -> None:
            if not values:
                return
            question = Text("Signer la revue ?", style="bold")
            question.append("\nLa signature fige le bilan : les données d'entrée telles qu'elles sont aujourd'hui, "
                            "les participants, les décisions et les textes du référent. La revue ne se modifiera "
                            "plus ; seule sa diffusion pourra encore être notée.")
            self.app.push_screen(ConfirmDialog(question, hint="Entrée : signer · Échap : ne pas signer"),
                                 lambda yes: self.sign(values) if yes else None)

        self.app.push_screen(FormDialog(spec), confirm)

    def sign(self, values: dict[str, str]) -> None:
        signed = attempt(self, lambda: sign(self.workspace, self.ref, values["by"], values["held_on"],
                                            today=self.app.today()))
        if signed is not None:
            self.notify(f"Revue signée ; empreinte {signed.signature.sha256[:16]}…", markup=False)
            self.action_refresh()

    def action_distribute(self) -> None:
        today = self.app.today()

        def submit(values: dict[str, str]) -> bool:
            distribute(self.workspace, self.ref, values["person"], values["sent_on"])
            return True

        self.change(FormSpec("Diffusion du bilan", [
            Field("person", "Destinataire (personne ou groupe)", required=True),
            Field("sent_on", "Envoyé le", f"{today:%d/%m/%Y}", placeholder="JJ/MM/AAAA", required=True),
        ], submit), "Envoi noté.")

    # The bilan -------------------------------------------------------------------------------

    def action_report(self, suffix: str) -> None:
        """Ask where to write the bilan (proposed: rapports/bilan-<structure>-<year>), then write it."""
        from audit_bench.services.walk import report_path
        from audit_bench.tui.report_place import ask_place

        if self.view is None:
            return
        proposed = report_path(self.workspace.path, f"bilan-{self.structure_id}-{self.view.year}", suffix)
        ask_place(self, "Bilan annuel Word (.docx)" if suffix == ".docx" else "Bilan annuel PDF", proposed,
                  lambda output, replace: self.start_report(output, replace=replace))

    def start_report(self, output: Path, *, replace: bool) -> None:
        self.notify("Génération du bilan…", timeout=3)
        self.build_report(output, replace)

    @work(thread=True, exclusive=True, group="report")
    def build_report(self, output: Path, replace: bool) -> None:
        """Write the bilan in a thread: reportlab or python-docx is imported (and runs) off the UI."""
        try:
            write_review_report(self.workspace, self.ref, output, force=replace, today=self.app.today())
        except REFUSALS as exc:
            self.app.call_from_thread(self.notify, describe(exc), title="Bilan non généré", severity="error",
                                      markup=False)
            return
        self.app.call_from_thread(self.notify, f"Bilan écrit : {clean(output)}", title="Bilan", markup=False,
                                  timeout=15)

    # Going to what to fix -----------------------------------------------------------------------

    def on_fixed_table_row_selected(self, event: FixedTable.RowSelected) -> None:
        self.fix(event.table.shown[event.key])

    def fix(self, point) -> None:
        """Open what fixes a point: the walk at an audit's écart, the plan for the structure's own,
        the register of a complaint, indicator or survey, the participant form, a new internal audit."""
        if point.kind == "input-to-complete":
            if self.frozen() is None:
                self.edit_text(point.ref.rsplit("/", 1)[1])
            else:
                self.notify(self.frozen(), title="Refusé", severity="warning", markup=False)
        elif point.kind == "missing-participant":
            role = next((key for key, label in ROLES.items() if label in point.text), None)
            if self.frozen() is None:
                self.action_add_participant(role)
            else:
                self.notify(self.frozen(), title="Refusé", severity="warning", markup=False)
        elif point.kind in CHECK_REGISTERS:
            self.app.open_registers(self.structure_id, CHECK_REGISTERS[point.kind], at=point.ref.rsplit("/", 1)[-1])
        elif point.kind == "no-internal-audit":
            self.new_internal_audit(point.ref)
        elif point.kind == "previous-decision-not-followed":
            self.open_plan(source="revue")
        else:
            holder, item = point.ref.rsplit("/", 1)
            requirement = attempt(self, lambda: self.requirement_of(holder, item))
            if requirement:
                self.app.open_audit(holder, at=requirement)
            elif requirement is not None:
                self.open_plan()

    def requirement_of(self, holder: str, item: str) -> str:
        """The requirement of an audit's écart (E…) or action (A…); empty for a structure's own."""
        from audit_bench.services.plan import open_holder

        with open_holder(self.workspace, holder, write=False) as session:
            if not isinstance(session, AuditSession):
                return ""
            snapshot = session.snapshot()
            finding = next((a.finding for a in snapshot.actions if a.id == item), item)
            return next((f.requirement for f in snapshot.findings if f.id == finding), "")

    def open_plan(self, source: str | None = None) -> None:
        from audit_bench.services.plan import PlanFilter
        from audit_bench.tui.screens.plan import PlanScreen

        self.app.push_screen(PlanScreen(self.workspace, PlanFilter(structure=self.structure_id, source=source)))

    def new_internal_audit(self, referential: str) -> None:
        from audit_bench.tui.screens.new_audit import AuditPreset, NewAuditScreen

        preset = AuditPreset(referential=referential, structure=self.structure_id, kind="internal")
        self.app.push_screen(NewAuditScreen(self.workspace, preset),
                             lambda audit_id: self.app.open_audit(audit_id) if audit_id else None)

    def action_back(self) -> None:
        self.app.pop_screen()


def header_text(view: ReviewView, name: str) -> Text:
    text = Text(clean(f"{name} — revue {view.id.split('/')[-1]} ({view.year})"), style="bold")
    state = REVIEW_STATES.get(view.state, view.state)
    text.append(f"  {state}", style="bold green" if view.state == "signed" else "bold yellow")
    if view.signature is not None:
        signed = f"par {view.signature.by}, réunion du {view.held_on}"
        text.append(clean(f" {signed}" if view.state == "signed" else f" (signée {signed})"))
        if view.signature_valid is False:
            text.append("  EMPREINTE NE CORRESPOND PLUS", style="bold red")
    if view.supersedes and view.state == "draft":
        text.append(f", nouvelle version de {view.supersedes} (la remplace une fois signée)", style="dim")
    return text


MARKER_WIDTH = 3
"""The column of a line's marker (a decision's id, a bullet): the lines wrap beside it, not under it."""


def pack_text(view: ReviewView) -> Group:
    """The review as the meeting reads it: who takes part, what was decided, to whom it was sent,
    then each input of the pack (its figures as « label : value », its lines, or why it is empty)."""
    blocks: list[tuple[Text, list[tuple[str, Text]]]] = []
    people = [("", Text.assemble(clean(f"{ROLES.get(p.role, p.role)} : {p.name}"),
                                 ("" if p.present else " (absent·e, excusé·e)", "dim"))) for p in view.participants]
    blocks.append((heading("Participants", "" if people else "aucun (p : inscrire)"), people))
    decisions = [(d.id, Text.assemble(clean(f"{REVIEW_DECISIONS.get(d.kind, d.kind)} : {d.text}"),
                                      (clean(f" → action {d.action} au plan ({d.owner}, échéance {d.due})")
                                       if d.action else "", "cyan"))) for d in view.decisions]
    blocks.append((heading("Décisions", "" if decisions else "aucune (d : décider)"), decisions))
    sent = [("", plain(f"{s.person}, le {s.sent_on}")) for s in view.distribution]
    blocks.append((heading("Diffusion", "" if sent else "aucune (t : noter un envoi)"), sent))
    for section in view.inputs:
        title = Text(clean(section.title), style="bold underline")
        title.append(clean(f"  [{section.citation()}]"), style="dim")
        lines = [("", Text(clean(section.no_data), style="italic"))] if section.no_data else []
        if section.no_data == TO_COMPLETE and view.state == "draft":
            lines[0][1].append(" (c : écrire son texte)", style="dim")
        for figure in section.figures:
            line = Text.assemble(clean(f"{figure.label} : "), (clean(value_text(figure.value, figure.unit)), "bold"))
            if figure.previous is not None:
                line.append(clean(f" (précédent : {value_text(figure.previous, figure.unit)})"), style="dim")
            lines.append(("", line))
        lines += [("•", plain(detail)) for detail in section.details]
        if section.comment:
            lines.append(("✎", Text(COMMENT_LABEL + " :", style="bold")))
            lines += [("", plain(line)) for line in section.comment.split("\n") if line.strip()]
        blocks.append((title, lines))
    parts: list = []
    for title, lines in blocks:
        parts.append(title)
        if lines:
            grid = Table.grid(expand=True, padding=(0, 1, 0, 0))
            grid.add_column(width=MARKER_WIDTH, no_wrap=True, justify="right")
            grid.add_column(ratio=1)
            for marker, line in lines:
                grid.add_row(Text(marker, style="bold"), line)
            parts.append(grid)
        parts.append(Text())
    return Group(*parts[:-1])


def heading(title: str, empty: str) -> Text:
    """A block's heading, with what it says when the block is empty."""
    text = Text(title, style="bold underline")
    if empty:
        text.append(f" : {empty}", style="dim")
    return text


def _input_key(section: SectionView) -> str:
    """How an input of the pack is named to the services: `REFERENTIAL:INPUT`."""
    return f"{section.referential}:{section.input}"
