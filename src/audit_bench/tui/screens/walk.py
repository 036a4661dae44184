"""Parcours: the referential tree on the left, the selected requirement on the right, one key per rating."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen

from audit_bench.referential import NA
from audit_bench.referential.schema import Node, ScaleLevel
from audit_bench.services import AuditSession
from audit_bench.services import walk as walk_service
from audit_bench.services.errors import read_only_message
from audit_bench.services.followup import Previous, carry_evidence, previous_of
from audit_bench.services.text import fold
from audit_bench.tui.action_form import action_form
from audit_bench.tui.forms import CarryDialog, ConfirmDialog, Field, FormDialog, FormSpec, SearchDialog, TextDialog
from audit_bench.tui.previous import evidence_label, follow_up_text
from audit_bench.tui.refusals import attempt, writable
from audit_bench.tui.text import clean, sentence
from audit_bench.tui.widgets.audit_header import AuditHeader
from audit_bench.tui.widgets.key_bar import KeyBar
from audit_bench.tui.widgets.note_pane import NotePane
from audit_bench.tui.widgets.rating_legend import RatingLegend
from audit_bench.tui.widgets.requirement_detail import RequirementDetail, finding_owed
from audit_bench.tui.widgets.requirement_tree import NA_KEY, RequirementTree
from audit_bench.tui.widgets.title_bar import TitleBar


class WalkScreen(Screen):
    """Walk the referential: rate, note, evidence, écarts; every change saved at once."""

    DEFAULT_CSS = """
WalkScreen #walk {
    height: 1fr;
}

WalkScreen #detail-pane {
    width: 1fr;
}
"""

    TITLE = "Parcours"

    BINDINGS = [
        *(Binding(str(digit), f"rate('{digit}')", f"Coter {digit}", show=False, id="rate") for digit in range(10)),
        Binding(NA_KEY, "not_applicable", "N/A", show=False),  # on the scale line
        Binding("n", "edit_note", "Constat"),
        Binding("p", "add_evidence", "Preuve"),
        Binding("e", "add_finding", "Écart"),
        Binding("u", "next_unrated", "À coter"),
        Binding("f", "cycle_filter", "Filtre", show=False),  # on the scale line
        Binding("slash", "search", "Chercher"),
        Binding("g", "glossary", "Glossaire", show=False),
        Binding("delete", "clear_rating", "Effacer la cotation", show=False),
        Binding("a", "findings", "Écarts et actions"),
        Binding("v", "previous", "Audit précédent", show=False),
        Binding("r", "carry_evidence", "Reprendre les preuves", show=False),
        Binding("R", "carry_all", "Reprendre toutes les preuves", show=False),
        Binding("s", "summary", "Synthèse"),
        Binding("escape", "back", "Accueil"),
        Binding("ctrl+z", "undo", "Annuler"),
    ]

    CHANGES = {"rate", "not_applicable", "edit_note", "add_evidence", "add_finding", "clear_rating",
               "carry_evidence", "carry_all"}
    """The actions that change the audit: unavailable, and shown so, while it is closed or held."""

    def __init__(self, session: AuditSession) -> None:
        super().__init__()
        self.session = session
        self.ref = session.tree
        self.filter = "all"
        self.current: str | None = None
        self.requirement_tree = RequirementTree(session, id="tree")
        self.previous: Previous | None = None
        self.saved_on: str | None = None
        """The requirement whose constat was just saved: the Échap typed next stays on it."""

    # Layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield AuditHeader(id="walk-header")
        with Horizontal(id="walk"):
            yield self.requirement_tree
            with Vertical(id="detail-pane"):
                yield RequirementDetail(self.session, id="detail")
                yield NotePane(id="note")
        yield RatingLegend(id="legend")
        yield KeyBar()

    def on_mount(self) -> None:
        if self.session.snapshot().header.from_audit is not None:
            self.previous = attempt(self, lambda: previous_of(self.app.workspace, self.session))
            self.query_one("#detail", RequirementDetail).previous = self.previous
        self.query_one("#note", NotePane).border_title = "Constat (n)"
        # The detail follows the cursor in the same turn as the key that moved it, so both are
        # painted in one frame (the tree's NodeHighlighted message arrives after a first frame).
        self.watch(self.requirement_tree, "cursor_line", self.cursor_moved, init=False)
        self.requirement_tree.build(self.filter)
        self.refresh_header()
        first = walk_service.next_unrated(self.ref, self.session.snapshot(), None)
        # Selected now, not after the first paint: the rating keys typed while the audit opens need it.
        self.select(first.id if first else self.requirement_tree.first_shown())
        self.call_after_refresh(self.requirement_tree.scroll_to_cursor)
        self.requirement_tree.focus()

    def on_unmount(self) -> None:
        self.session.close()

    def refresh_header(self) -> None:
        self.query_one("#walk-header", AuditHeader).show(self.session)
        self.query_one("#legend", RatingLegend).show(self.ref, self.filter)

    def rebuild(self) -> None:
        """The tree again, for a new filter or after changes made on another screen."""
        self.requirement_tree.build(self.filter)
        self.refresh_header()

    def rating_help(self) -> list[tuple[str, str]]:
        """The rating keys, for the help screen (they are left out of the key bar)."""
        return [(key, f"Coter « {clean(level.label)} » puis passer à la suivante non cotée")
                for key, level in walk_service.rating_legend(self.ref)]

    # The requirement ------------------------------------------------------------------------

    def select(self, node_id: str | None) -> None:
        if not self.requirement_tree.go_to(node_id):
            self.show(None)
        elif node_id != self.current:  # the cursor was there already
            self.show(node_id)

    def cursor_moved(self) -> None:
        node = self.requirement_tree.cursor_node
        if node is not None and node.data is not None and node.data != self.current:
            self.show(node.data)

    def show(self, node_id: str | None) -> None:
        if node_id != self.saved_on:
            self.saved_on = None
        self.current = node_id
        self.query_one("#detail", RequirementDetail).show(self.ref.node(node_id) if node_id else None)
        assessment = self.session.snapshot().assessment_map().get(node_id) if node_id else None
        ratable = node_id is not None and self.ref.node(node_id).ratable
        self.query_one("#note", NotePane).show_note((assessment.note if assessment else "") if ratable else None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "rate" and str(parameters[0]) not in self.ref.rating_keys:
            return False
        if action in ("previous", "carry_evidence", "carry_all") and self.previous is None:
            return False
        if action in self.CHANGES and self.frozen() is not None:
            return None  # shown, as unavailable
        return True

    def frozen(self) -> str | None:
        """Why the audit cannot be changed here (closed, or held by another writer), or None."""
        if self.session.read_only:
            return sentence(read_only_message(self.session.locked_by))
        if self.session.snapshot().header.status == "closed":
            return "Audit clos : rien n'y change (Synthèse, touche c, pour le rouvrir)."
        return None

    def on_key(self, event) -> None:
        """A key of an unavailable change opens nothing: it says why in place, and the text typed
        after it is swallowed there instead of being read as keys."""
        reason = self.frozen()
        if reason is not None and self.action_of(event.key) in self.CHANGES:
            event.stop()
            self.query_one("#note", NotePane).refuse(reason)

    def action_of(self, key: str) -> str | None:
        binding = next((b for b in self.BINDINGS if b.key == key), None)
        return binding.action.split("(")[0] if binding else None

    def requirement(self) -> Node | None:
        """The selected requirement, or None when a section is selected: then the key says so in
        place, and the text typed after it is never read as keys."""
        if self.current is None or not self.ref.node(self.current).ratable:
            self.query_one("#note", NotePane).refuse(
                "Une section n'a pas de constat : choisissez une de ses exigences.")
            return None
        return self.ref.node(self.current)

    def editable(self) -> Node | None:
        """The selected requirement if the audit may be changed; else None, and the user is told why."""
        node = self.requirement()
        return node if node is not None and writable(self, self.session) else None

    def changed(self, node_id: str) -> None:
        self.marked(node_id)
        if node_id == self.current:
            self.show(node_id)

    def marked(self, node_id: str) -> None:
        """What a change to `node_id` alters besides its detail: its line in the tree, the header."""
        self.requirement_tree.relabel(node_id)
        self.refresh_header()

    # Rating ---------------------------------------------------------------------------------

    def action_rate(self, key: str) -> None:
        node = self.editable()
        level = self.ref.rating_keys.get(key)
        if node is None or level is None:
            return
        current = self.session.snapshot().assessment_map().get(node.id)
        note = current.note if current else ""
        if attempt(self, lambda: self.session.rate(node.id, level.value, note)) is None:
            return
        self.after_rating(node, lambda: self.offer_finding(node, level))

    def after_rating(self, node: Node, then: Callable[[], None]) -> None:
        """Ask what to do with the open écarts the new rating contradicts, if any; then `then`."""
        from audit_bench.tui.screens.confirm_contradiction import DELETE, RESOLVE, ContradictionDialog

        contradicted = self.session.contradicted_findings(node.id)
        if not contradicted:
            then()
            return
        self.changed(node.id)
        snapshot = self.session.snapshot()
        actions = {f.id: [a.id for a in snapshot.actions_of(f.id)] for f in contradicted}
        rating = snapshot.assessment_map()[node.id].rating

        def settle(choice: str | None) -> None:
            """One service call per écart: close it as resolved, or delete it with its actions."""
            for finding in contradicted:
                if choice == RESOLVE and attempt(self, lambda: self.session.resolve_finding(finding.id)):
                    self.notify(f"Écart {finding.id} clos comme résolu.", timeout=4)
                elif choice == DELETE:
                    deleted = attempt(self, lambda: self.session.delete_finding(finding.id))
                    if deleted is not None:
                        with_actions = f", avec ses actions {', '.join(deleted)}" if deleted else ""
                        self.notify(f"Écart {finding.id} supprimé{with_actions}.", timeout=4)
            self.changed(node.id)
            then()

        self.app.push_screen(ContradictionDialog(self.ref, node.id, rating, contradicted, actions), settle)

    def offer_finding(self, node: Node, level: ScaleLevel) -> None:
        """After a rating: offer to write the écart it calls for, else go on to the next requirement."""
        owed = finding_owed(self.session, node.id)
        if owed:
            self.changed(node.id)
            self.app.push_screen(ConfirmDialog(Text(f"{owed}. Le rédiger maintenant ?")),
                                 lambda yes: self.add_finding(node, self.ref.finding_class_for(level),
                                                              then_advance=True) if yes else self.advance(node.id))
        else:
            self.marked(node.id)  # the detail shows the next requirement, or this one again
            self.advance(node.id)

    def advance(self, after: str | None) -> None:
        """Go to the next applicable unrated requirement (visible under the current filter)."""
        target = walk_service.next_unrated(self.ref, self.session.snapshot(), after)
        if target is None:
            self.show(self.current)
            self.notify("Toutes les exigences applicables sont cotées.", title="Parcours terminé")
            return
        if target.id not in self.requirement_tree.by_id:
            self.requirement_tree.build(self.filter)
            self.call_after_refresh(self.select, target.id)
            return
        self.select(target.id)

    def action_not_applicable(self) -> None:
        node = self.editable()
        if node is None:
            return
        current = self.session.snapshot().assessment_map().get(node.id)
        spec = FormSpec(
            f"Non applicable : {node.id}",
            [Field("reason", "Justification du N/A", value=current.note if current else "",
                   required=self.ref.referential.na_requires_reason,
                   placeholder="pourquoi cette exigence ne s'applique pas ici")],
            lambda values: self.session.rate(node.id, NA, values["reason"]),
            submit_label="Coter N/A")

        def done(result) -> None:
            if result is not None:
                self.changed(node.id)
                self.after_rating(node, lambda: self.advance(node.id))

        self.app.push_screen(FormDialog(spec), done)

    def action_clear_rating(self) -> None:
        """Remove the rating, after one key of confirmation; the constat stays, ctrl+z puts it back."""
        node = self.editable()
        if node is None:
            return
        current = self.session.snapshot().assessment_map().get(node.id)
        if current is None or not current.rated:
            self.notify(f"{node.id} n'est pas cotée : rien à effacer.", severity="warning")
            return

        def clear(yes: bool | None) -> None:
            if yes and attempt(self, lambda: self.session.clear_rating(node.id) or True):
                self.changed(node.id)
                self.notify(f"Cotation de {node.id} effacée (ctrl+z pour annuler).", timeout=3)

        kept = " Le constat est gardé." if current.note else ""
        self.app.push_screen(ConfirmDialog(Text(f"Effacer la cotation de {node.id} ?{kept}")), clear)

    def action_undo(self) -> None:
        """Undo the last change of the session (each ctrl+z the one before), saved at once."""
        step = attempt(self, self.session.undo)
        if step is None:
            return
        self.rebuild()
        target = (step.requirements() or [self.current])[0]
        if target in self.requirement_tree.by_id and target != self.current:
            self.select(target)
        else:
            self.show(self.current)
        self.notify(f"Annulé : {step.what}.", timeout=3)

    def action_next_unrated(self) -> None:
        self.advance(self.current)

    # Note -----------------------------------------------------------------------------------

    def action_edit_note(self) -> None:
        """The constat in a multi-line editor: ctrl+s saves it, Échap leaves it (asking first if
        text would be lost)."""
        node = self.editable()
        if node is None:
            return
        current = self.session.snapshot().assessment_map().get(node.id)

        def done(saved) -> None:
            if saved is not None:
                self.changed(node.id)
                self.notify("Constat enregistré.", timeout=2)

        spec = FormSpec(f"Constat : {node.id}",
                        [Field("note", "Constat", value=current.note if current else "", multiline=True,
                               placeholder="ce qui a été vu, entendu, lu")],
                        self.remembered(node.id, lambda v: self.session.set_note(node.id, v["note"])),
                        context=self.context(node))
        self.app.push_screen(FormDialog(spec), done)

    def remembered(self, node_id: str, save: Callable[[dict[str, str]], Any]) -> Callable[[dict[str, str]], Any]:
        """`save` (a form's), which once it has saved makes the Échap typed right after it close
        nothing more (`action_back`): set as it saves, since that Échap may come before the form's
        callback."""
        def saving(values: dict[str, str]) -> Any:
            saved = save(values)
            self.saved_on = node_id
            return saved
        return saving

    # Evidence, écarts, actions --------------------------------------------------------------

    def context(self, node: Node) -> Text:
        text = Text(f"{clean(node.id)} ", style="bold")
        text.append(clean(" ".join(self.ref.text_for(node, self.session.siae_type).split())[:200]))
        return text

    def action_add_evidence(self) -> None:
        node = self.editable()
        if node is None:
            return
        spec = FormSpec(
            "Ajouter une preuve",
            [Field("title", "Titre du document", required=True, placeholder="ex. Livret d'accueil"),
             Field("version", "Version ou date", placeholder="ex. v3 du 2026-01-15"),
             Field("location", "Emplacement", placeholder="ex. classeur RH, serveur /Qualité"),
             Field("file", "Fichier à joindre (chemin, facultatif)", placeholder="ex. ~/scans/livret.pdf")],
            self.remembered(node.id, lambda v: self.session.add_evidence(node.id, v["title"], v["version"],
                                                                         v["location"], v["file"] or None)),
            context=self.context(node))
        self.app.push_screen(FormDialog(spec), lambda result: self._added(node.id, result, "Preuve ajoutée."))

    def _added(self, node_id: str, result, message: str) -> None:
        if result is not None:
            self.changed(node_id)
            self.notify(message, timeout=3)

    def action_add_finding(self) -> None:
        node = self.editable()
        if node is None:
            return
        assessment = self.session.snapshot().assessment_map().get(node.id)
        level = self.ref.scale_by_value.get(assessment.rating) if assessment else None
        self.add_finding(node, self.ref.finding_class_for(level) if level else None)

    def add_finding(self, node: Node, class_id: str | None, then_advance: bool = False) -> None:
        classes = [(cls.id, cls.label) for cls in self.ref.referential.finding_classes]
        note = self.session.snapshot().assessment_map().get(node.id)
        spec = FormSpec(
            "Nouvel écart",
            [Field("class_", "Classe", value=class_id or "", options=classes, required=True),
             Field("text", "Constat de l'écart", value=note.note if note else "", required=True,
                   multiline=True)],
            self.remembered(node.id, lambda v: self.session.add_finding(node.id, v["class_"], v["text"])),
            context=self.context(node), submit_label="Créer l'écart", focus="text" if class_id else None)

        def done(finding) -> None:
            if finding is not None:
                self.changed(node.id)
                cls = self.ref.finding_classes.get(finding.class_)
                if cls is not None and cls.requires_action:
                    self.add_action(finding, node, then_advance)
                    return
            if then_advance:
                self.advance(node.id)

        self.app.push_screen(FormDialog(spec), done)

    def add_action(self, finding, node: Node, then_advance: bool = False) -> None:
        """The action plan of a new écart, right after it (Échap leaves it for later)."""
        spec = action_form(self.session, finding, self.app.today())
        spec = replace(spec, submit=self.remembered(node.id, spec.submit))

        def done(result) -> None:
            if result is not None:
                self.changed(node.id)
                self.notify("Action enregistrée.", timeout=3)
            else:
                self.saved_on = None  # left for later: the écart's save is not what Échap closed
            if then_advance:
                self.advance(node.id)

        self.app.push_screen(FormDialog(spec), done)

    # The previous audit ---------------------------------------------------------------------

    def action_previous(self) -> None:
        def now_rating(requirement: str) -> str:
            assessment = self.session.snapshot().assessment_map().get(requirement)
            level = self.ref.scale_by_value.get(assessment.rating) if assessment else None
            if assessment is None or not assessment.rated:
                return "non cotée"
            return level.label if level else assessment.rating

        self.app.push_screen(TextDialog(f"Suivi de l'audit précédent — {self.previous.header.date}",
                                        follow_up_text(self.previous, now_rating)))

    def carry(self, evidence_ids: list[str] | None) -> bool:
        """Carry over evidence of the previous audit (None: all), marked « revue » today."""
        carried = attempt(self, lambda: carry_evidence(self.app.workspace, self.session, evidence_ids,
                                                       self.app.today()))
        if carried:
            self.rebuild()
            if self.current is not None:
                self.show(self.current)
            self.notify(f"{len(carried)} preuve(s) reprise(s), revue(s) le {self.app.today():%d/%m/%Y}.", timeout=3)
        return carried is not None

    def action_carry_evidence(self) -> None:
        node = self.editable()
        if node is None:
            return
        reference = self.previous.reference(node.id)
        if reference is None or not reference.evidence:
            self.notify("Aucune preuve de l'audit précédent pour cette exigence.", severity="warning")
            return
        prefix = f"{self.previous.header.id}/"

        def carried() -> set[str]:
            return {e.carried_from.removeprefix(prefix) for e in self.session.snapshot().evidence
                    if e.carried_from and e.carried_from.startswith(prefix)}

        items = [(evidence.id, evidence_label(evidence)) for evidence in reference.evidence]
        self.app.push_screen(CarryDialog(f"Preuves de l'audit précédent — {node.id}", items, carried, self.carry))

    def action_carry_all(self) -> None:
        if not writable(self, self.session):
            return
        self.app.push_screen(ConfirmDialog(Text("Reprendre toutes les preuves de l'audit précédent pas encore "
                                                "reprises, marquées « revues » aujourd'hui ?")),
                             lambda yes: self.carry(None) if yes else None)

    # Navigation -----------------------------------------------------------------------------

    def action_cycle_filter(self) -> None:
        names = list(walk_service.FILTERS)
        self.filter = names[(names.index(self.filter) + 1) % len(names)]
        keep = self.current
        self.rebuild()
        count = len(walk_service.filtered_items(self.ref, self.session.snapshot(), self.filter, self.app.today()))
        self.notify(f"Filtre : {walk_service.FILTERS[self.filter]} ({count} exigence{'s' if count > 1 else ''})",
                    timeout=3)
        tree = self.requirement_tree
        self.call_after_refresh(self.select, keep if keep in tree.by_id else tree.first_shown())

    def action_search(self) -> None:
        def go(node_id: str | None) -> None:
            if node_id is None:
                return
            if node_id not in self.requirement_tree.by_id:
                self.filter = "all"
                self.rebuild()
                self.call_after_refresh(self.select, node_id)
            else:
                self.select(node_id)
            self.requirement_tree.focus()

        self.app.push_screen(SearchDialog(lambda q: walk_service.search(self.ref, self.session.snapshot(), q)), go)

    def action_glossary(self) -> None:
        referential = self.ref.referential
        self.app.push_screen(TextDialog(f"Glossaire — {referential.id}", glossary_text(referential, ""),
                                        lambda typed: glossary_text(referential, typed)))

    def action_findings(self) -> None:
        from audit_bench.tui.screens.findings import FindingsScreen

        self.app.push_screen(FindingsScreen(self.session), self.after_overlay)

    def action_summary(self) -> None:
        from audit_bench.tui.screens.summary import SummaryScreen

        self.app.push_screen(SummaryScreen(self.session), self.after_overlay)

    def after_overlay(self, goto: str | None) -> None:
        """Back from Écarts or Synthèse: labels may have changed (and the audit closed or
        reopened: the keys available too); go to a requirement if asked."""
        self.rebuild()
        self.query_one(KeyBar).show_keys()
        self.call_after_refresh(self.select, goto or self.current)

    def action_back(self) -> None:
        """Échap goes back to the Accueil, but not the Échap that follows saving a form of the walk
        (a constat, a preuve, an écart, an action): the auditor is closing what was just saved (the
        form is closed already), not leaving."""
        if self.saved_on is not None:
            self.saved_on = None
            return
        self.dismiss()


def glossary_text(referential, typed: str) -> Text:
    """The glossary's terms whose term or definition hold every word typed (without accents or case)."""
    words = fold(typed).split()
    terms = [term for term in sorted(referential.glossary, key=lambda t: fold(t.term))
             if all(word in fold(f"{term.term} {term.definition}") for word in words)]
    body = Text()
    for term in terms:
        body.append(clean(term.term), style="bold")
        body.append("\n  ")
        body.append(clean(term.definition))
        body.append("\n\n")
    if not referential.glossary:
        body.append("Ce référentiel ne définit pas de glossaire.", style="dim")
    elif not terms:
        body.append("Aucun terme ne correspond.", style="dim")
    return body
