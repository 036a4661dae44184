"""Écarts et actions: the audit's écarts with their action plans, then its evidence references;
statuses and effectiveness; each écart, action or reference corrected or deleted (after confirmation)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static

from audit_bench.model.vocab import ACTION_STATUSES, ACTION_TYPES
from audit_bench.services import AuditSession
from audit_bench.tui.action_form import action_form
from audit_bench.tui.forms import ConfirmDialog, Field, FormDialog, FormSpec
from audit_bench.tui.refusals import attempt, writable
from audit_bench.tui.text import clean, plain
from audit_bench.tui.widgets.audit_header import AuditHeader
from audit_bench.tui.widgets.key_bar import KeyBar
from audit_bench.tui.widgets.title_bar import TitleBar

EFFECTIVE = [("yes", "Oui, l'action est efficace"), ("no", "Non, l'action n'est pas efficace")]
ROW_PREFIX = {"finding": "F", "action": "A", "evidence": "P"}
"""The row key of each kind of row: its prefix, then the record's id."""


class FindingsScreen(Screen[str | None]):
    """One row per écart, its actions below it, then one row per evidence reference; dismisses
    with a requirement id to go to it."""

    DEFAULT_CSS = """
FindingsScreen #findings {
    height: 1fr;
}

FindingsScreen #finding-detail {
    height: auto;
    max-height: 8;
    padding: 0 1;
    border-top: hkey $foreground 20%;
}
"""

    TITLE = "Écarts et actions"

    BINDINGS = [
        Binding("a", "add_action", "Ajouter une action"),
        Binding("t", "set_status", "Statut"),
        Binding("v", "verify", "Vérifier l'efficacité"),
        Binding("m", "edit", "Modifier"),
        Binding("delete,x", "delete", "Supprimer", key_display="suppr"),
        Binding("enter", "goto", "Aller à l'exigence", show=False),
        Binding("escape", "back", "Retour au parcours"),
    ]

    def __init__(self, session: AuditSession) -> None:
        super().__init__()
        self.session = session
        self.keys: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield AuditHeader(id="walk-header")
        table = DataTable(id="findings", cursor_type="row")
        table.add_columns("Exigence", "Écart / action", "Classe · responsable", "Échéance", "Statut", "Efficacité")
        yield table
        yield Static(id="finding-detail")
        yield KeyBar()

    def on_mount(self) -> None:
        self.refresh_rows()
        self.query_one("#findings").focus()

    def refresh_rows(self, keep: str | None = None) -> None:
        snapshot = self.session.snapshot()
        tree = self.session.tree
        self.query_one("#walk-header", AuditHeader).show(self.session)
        table = self.query_one("#findings", DataTable)
        table.clear()
        self.keys = []
        width = max(24, min(60, self.size.width - 70))
        severity = {cls.id: cls.severity for cls in tree.referential.finding_classes}
        for finding in sorted(snapshot.findings, key=lambda f: (-severity.get(f.class_, 0), f.id)):
            cls = tree.finding_classes.get(finding.class_)
            table.add_row(Text(clean(finding.requirement), style="bold"),
                          _clip(f"⚑ {finding.id} {finding.text}", width),
                          plain(cls.label if cls else finding.class_), "", "", "", key=f"F:{finding.id}")
            self.keys.append(("finding", finding.id))
            for action in snapshot.actions_of(finding.id):
                table.add_row("", _clip(f"   → {action.id} {action.text}", width), plain(action.owner),
                              plain(action.due), _status(action), _effective(action), key=f"A:{action.id}")
                self.keys.append(("action", action.id))
        order = {node.id: index for index, node in enumerate(tree.ratable)}  # the referential's order
        for evidence in sorted(snapshot.evidence, key=lambda e: (order.get(e.requirement, len(order)), e.id)):
            table.add_row(plain(evidence.requirement), _clip(f"▪ {evidence.id} {evidence.title}", width),
                          Text("preuve", style="dim"), "", "", "", key=f"P:{evidence.id}")
            self.keys.append(("evidence", evidence.id))
        if not self.keys:
            self.query_one("#finding-detail", Static).update(
                Text("Aucun écart pour cet audit. Dans le parcours, la touche e crée un écart "
                     "sur l'exigence sélectionnée.", style="dim"))
        elif keep is not None and keep in [f"{ROW_PREFIX[kind]}:{ident}" for kind, ident in self.keys]:
            table.move_cursor(row=table.get_row_index(keep))
        self.show_detail()

    def selected(self) -> tuple[str, str] | None:
        table = self.query_one("#findings", DataTable)
        if not self.keys or table.cursor_row < 0:
            return None
        return self.keys[min(table.cursor_row, len(self.keys) - 1)]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_goto()

    def show_detail(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        kind, ident = chosen
        text = Text()
        if kind == "finding":
            finding = self.session.finding(ident)
            cls = self.session.tree.finding_classes.get(finding.class_)
            text.append(clean(f"{finding.id} · exigence {finding.requirement} · "), style="bold")
            text.append(clean(cls.label if cls else finding.class_), style="bold")
            text.append("\n")
            text.append(clean(finding.text))
            if cls is not None and cls.requires_action and not self.session.snapshot().actions_of(finding.id):
                text.append("\n⚠ Cette classe d'écart demande un plan d'action : touche a.", style="bold yellow")
        elif kind == "evidence":
            evidence = self.session.evidence(ident)
            text.append(clean(f"{evidence.id} · preuve de l'exigence {evidence.requirement}"), style="bold")
            text.append("\n")
            text.append(clean(" — ".join(part for part in (evidence.title, evidence.version, evidence.location)
                                         if part)))
            if evidence.filename:
                text.append(clean(f"\nFichier joint : {evidence.filename}"), style="dim")
        else:
            action = self.session.action(ident)
            text.append(clean(f"{action.id} · écart {action.finding} · "), style="bold")
            text.append(clean(f"{action.owner} · échéance {action.due} · "))
            text.append(clean(ACTION_STATUSES.get(action.status, action.status)))
            text.append("\n")
            text.append(clean(action.text))
            if action.verified_by:
                text.append(clean(f"\nEfficacité vérifiée par {action.verified_by} le {action.verified_at[:10]} : "
                                  f"{'efficace' if action.effective else 'non efficace'}"))
        self.query_one("#finding-detail", Static).update(text)

    def finding_of_selection(self) -> str | None:
        chosen = self.selected()
        if chosen is None:
            self.notify("Aucun écart : créez-en un depuis le parcours (touche e).", severity="warning")
            return None
        kind, ident = chosen
        if kind == "evidence":
            self.notify("Choisissez un écart ou une de ses actions (une preuve n'a pas de plan d'action).",
                        severity="warning")
            return None
        return ident if kind == "finding" else self.session.action(ident).finding

    def action_of_selection(self) -> str | None:
        chosen = self.selected()
        if chosen is not None and chosen[0] == "action":
            return chosen[1]
        self.notify("Choisissez une action (ligne « → ») ; la touche a en ajoute une à l'écart.",
                    severity="warning")
        return None

    def action_add_action(self) -> None:
        finding_id = self.finding_of_selection()
        if finding_id is None or not writable(self, self.session):
            return
        spec = action_form(self.session, self.session.finding(finding_id), self.app.today())
        self.app.push_screen(FormDialog(spec), lambda action: action and self.refresh_rows(f"A:{action.id}"))

    def action_set_status(self) -> None:
        action_id = self.action_of_selection()
        if action_id is None or not writable(self, self.session):
            return
        action = self.session.action(action_id)
        spec = FormSpec(f"Statut de l'action {action.id}",
                        [Field("status", "Statut", value=action.status, options=list(ACTION_STATUSES.items()))],
                        lambda v: self.session.update_action(action.id, status=v["status"]),
                        context=plain(action.text))
        self.app.push_screen(FormDialog(spec), lambda updated: updated and self.refresh_rows(f"A:{updated.id}"))

    def action_verify(self) -> None:
        action_id = self.action_of_selection()
        if action_id is None or not writable(self, self.session):
            return
        action = self.session.action(action_id)
        auditors = self.session.snapshot().header.auditors
        spec = FormSpec(f"Vérification de l'efficacité de {action.id}",
                        [Field("verified_by", "Vérifiée par", value=action.verified_by or (auditors[0] if auditors
                                                                                         else ""), required=True),
                         Field("effective", "Résultat", value="yes" if action.effective is not False else "no",
                               options=EFFECTIVE)],
                        lambda v: self.session.update_action(action.id, verified_by=v["verified_by"],
                                                             effective=v["effective"] == "yes"),
                        context=plain(action.text))
        self.app.push_screen(FormDialog(spec), lambda updated: updated and self.refresh_rows(f"A:{updated.id}"))

    def changeable(self) -> tuple[str, str] | None:
        """The selected row if it may change: refused up front, before any dialog, when the audit
        is held elsewhere, or closed for an écart or a reference (its actions stay followed)."""
        chosen = self.selected()
        if chosen is None or not writable(self, self.session):
            return None
        if chosen[0] != "action" and self.session.snapshot().header.status == "closed":
            self.notify(f"Audit clos : {FROZEN[chosen[0]]} (rouvrir l'audit dans la synthèse pour modifier).",
                        title="Refusé", severity="error", markup=False)
            return None
        return chosen

    def action_edit(self) -> None:
        """Correct the selected écart (text, class), action (text, owner, type) or evidence reference."""
        chosen = self.changeable()
        if chosen is None:
            return
        kind, ident = chosen
        spec = {"finding": self.finding_form, "action": self.action_form, "evidence": self.evidence_form}[kind](ident)
        key = f"{ROW_PREFIX[kind]}:{ident}"
        self.app.push_screen(FormDialog(spec), lambda changed: changed and self.refresh_rows(key))

    def finding_form(self, finding_id: str) -> FormSpec:
        finding = self.session.finding(finding_id)
        classes = [(cls.id, cls.label) for cls in self.session.tree.referential.finding_classes]
        return FormSpec(f"Modifier l'écart {finding.id} (exigence {finding.requirement})",
                        [Field("text", "Constat de l'écart", finding.text, required=True),
                         Field("class_", "Classe", finding.class_, options=classes)],
                        lambda v: self.session.edit_finding(finding.id, v["text"], v["class_"]))

    def action_form(self, action_id: str) -> FormSpec:
        action = self.session.action(action_id)
        return FormSpec(f"Modifier l'action {action.id} (écart {action.finding})",
                        [Field("text", "Action", action.text, required=True),
                         Field("owner", "Responsable", action.owner, required=True),
                         Field("type", "Type d'action", action.type, options=list(ACTION_TYPES.items()))],
                        lambda v: self.session.edit_action(action.id, v["text"], v["owner"], v["type"]),
                        context=Text(f"L'échéance ({clean(action.due)}) se reporte avec un motif, dans le "
                                     "plan d'amélioration (touche d).", style="dim"))

    def evidence_form(self, evidence_id: str) -> FormSpec:
        evidence = self.session.evidence(evidence_id)
        return FormSpec(f"Modifier la preuve {evidence.id} (exigence {evidence.requirement})",
                        [Field("title", "Titre du document", evidence.title, required=True),
                         Field("version", "Version ou date", evidence.version),
                         Field("location", "Emplacement", evidence.location)],
                        lambda v: self.session.edit_evidence(evidence.id, v["title"], v["version"], v["location"]))

    def action_delete(self) -> None:
        """Delete the selected row once the auditor has read what goes with it."""
        chosen = self.changeable()
        if chosen is None:
            return
        kind, ident = chosen
        question = deletion_question(self.session, kind, ident)
        self.app.push_screen(ConfirmDialog(question), lambda yes: yes and self.delete(kind, ident))

    def delete(self, kind: str, ident: str) -> None:
        delete = {"finding": self.session.delete_finding, "action": self.session.delete_action,
                  "evidence": self.session.delete_evidence}[kind]
        if attempt(self, lambda: delete(ident) or True):
            self.notify(f"{DELETED[kind]} {ident} supprimé{'e' if kind != 'finding' else ''}.")
            self.refresh_rows()

    def action_goto(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        kind, ident = chosen
        if kind == "evidence":
            self.dismiss(self.session.evidence(ident).requirement)
            return
        finding_id = ident if kind == "finding" else self.session.action(ident).finding
        self.dismiss(self.session.finding(finding_id).requirement)

    def action_back(self) -> None:
        self.dismiss(None)


DELETED = {"finding": "Écart", "action": "Action", "evidence": "Preuve"}
FROZEN = {"finding": "ses écarts sont figés", "evidence": "ses preuves sont figées"}


def deletion_question(session: AuditSession, kind: str, ident: str) -> Text:
    """What deleting this row deletes with it: an écart's actions, never silently."""
    if kind == "finding":
        finding = session.finding(ident)
        text = Text(f"Supprimer l'écart {clean(finding.id)} (exigence {clean(finding.requirement)}) ?", style="bold")
        actions = session.snapshot().actions_of(finding.id)
        if actions:
            ids = ", ".join(clean(action.id) for action in actions)
            text.append(f"\nSes {len(actions)} actions ({ids}) seront supprimées avec lui." if len(actions) > 1
                        else f"\nSon action {ids} sera supprimée avec lui.", style="bold yellow")
    elif kind == "action":
        action = session.action(ident)
        text = Text(f"Supprimer l'action {clean(action.id)} de l'écart {clean(action.finding)} ?", style="bold")
        text.append(f"\n{clean(action.text)}")
    else:
        evidence = session.evidence(ident)
        text = Text(f"Supprimer la référence de preuve {clean(evidence.id)} ?", style="bold")
        text.append(f"\n{clean(evidence.title)}")
        if evidence.filename:
            text.append("\nLe fichier joint reste dans l'espace de travail.", style="dim")
    return text


def _clip(value: str, width: int) -> Text:
    value = clean(" ".join(value.split()))
    return Text(value if len(value) <= width else value[: width - 1] + "…")


def _status(action) -> Text:
    style = {"done": "green", "in-progress": "yellow"}.get(action.status, "")
    return Text(clean(ACTION_STATUSES.get(action.status, action.status)), style=style)


def _effective(action) -> Text:
    if not action.verified_by:
        return Text("à vérifier" if action.status == "done" else "—", style="dim")
    return Text("efficace", style="green") if action.effective else Text("non efficace", style="bold red")
