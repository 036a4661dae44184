"""Écarts et actions: the audit's écarts with their action plans; statuses and effectiveness."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static

from audit_bench.model.vocab import ACTION_STATUSES
from audit_bench.services import AuditSession
from audit_bench.tui.action_form import action_form
from audit_bench.tui.forms import Field, FormDialog, FormSpec
from audit_bench.tui.refusals import writable
from audit_bench.tui.text import clean, plain
from audit_bench.tui.widgets.audit_header import AuditHeader
from audit_bench.tui.widgets.key_bar import KeyBar
from audit_bench.tui.widgets.title_bar import TitleBar

EFFECTIVE = [("yes", "Oui, l'action est efficace"), ("no", "Non, l'action n'est pas efficace")]


class FindingsScreen(Screen[str | None]):
    """One row per écart, its actions below it; dismisses with a requirement id to go to it."""

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
        if not self.keys:
            self.query_one("#finding-detail", Static).update(
                Text("Aucun écart pour cet audit. Dans le parcours, la touche e crée un écart "
                     "sur l'exigence sélectionnée.", style="dim"))
        elif keep is not None and keep in [f"{kind[0].upper()}:{ident}" for kind, ident in self.keys]:
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

    def action_goto(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        kind, ident = chosen
        finding_id = ident if kind == "finding" else self.session.action(ident).finding
        self.dismiss(self.session.finding(finding_id).requirement)

    def action_back(self) -> None:
        self.dismiss(None)


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
