"""Plan d'amélioration: every action to follow, from every audit and every other source, by due
date; the filters, the écart and its source, and every change the CLI makes, one key away.

Overdue actions are shown in red. An écart still without action is listed under its actions'
rows (« à planifier »). Every change goes through the plan's services on the audit or structure
that holds the écart; a refusal is shown in the form, next to the fields.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from audit_bench.model.vocab import ACTION_STATUSES, ACTION_TYPES, ECART_CLASSES, SOURCES
from audit_bench.services import Workspace
from audit_bench.services.plan import (
    PlanAction, PlanFilter, PlanView, Unplanned, add_ecart, open_holder, read_plan,
)
from audit_bench.tui.forms import Field, FormDialog, FormSpec, TextDialog
from audit_bench.tui.refusals import attempt
from audit_bench.tui.text import clean, plain
from audit_bench.tui.widgets.fixed_table import FixedTable
from audit_bench.tui.widgets.key_bar import KeyBar
from audit_bench.tui.widgets.listing import WIDE, clipped, width_left
from audit_bench.tui.widgets.title_bar import TitleBar

COLUMNS = [("Échéance", 10), ("Structure", 16), ("Source", 11), ("Responsable", 14), ("Statut", 9),
           ("Efficacité", 12)]
COMPACT_COLUMNS = [("Échéance", 10), ("Responsable", 12), ("Statut", 9)]
"""Besides the action's text, which takes the width left."""
ALL = ""
EFFECTIVE = [("yes", "Oui, l'action est efficace"), ("no", "Non, l'action n'est pas efficace")]
YES_NO = [("", "non"), ("yes", "oui")]
VERIFIED = [(ALL, "toutes"), ("no", "réalisées, efficacité à vérifier"), ("yes", "efficacité vérifiée")]


class PlanScreen(Screen):
    """The plan across audits and sources; `f` filters, Entrée shows the écart, `g` goes to it."""

    TITLE = "Plan d'amélioration"
    AUTO_FOCUS = "#plan"

    DEFAULT_CSS = """
PlanScreen #plan-filter {
    height: auto;
    padding: 0 1;
}

PlanScreen #plan {
    height: 1fr;
}

PlanScreen #plan-detail {
    height: auto;
    max-height: 7;
    padding: 0 1;
    border-top: hkey $foreground 20%;
}
"""

    BINDINGS = [
        Binding("f", "filter", "Filtrer"),
        Binding("h", "history", "Historique"),
        Binding("enter", "ecart", "Écart"),
        Binding("g", "source", "Aller à la source"),
        Binding("a", "add_action", "Action"),
        Binding("t", "status", "Statut"),
        Binding("d", "postpone", "Reporter"),
        Binding("v", "verify", "Vérifier"),
        Binding("c", "analysis", "Cause"),
        Binding("n", "new_ecart", "Nouvel écart"),
        Binding("r", "refresh", "Actualiser", show=False),
        Binding("escape", "back", "Accueil"),
    ]

    def __init__(self, workspace: Workspace, criteria: PlanFilter = PlanFilter()) -> None:
        super().__init__()
        self.workspace = workspace
        self.criteria = criteria
        self.view: PlanView | None = None
        self.rows: dict[str, PlanAction | Unplanned] = {}

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="plan-filter")
        yield FixedTable(id="plan", zebra_stripes=True)
        yield Static(id="plan-detail")
        yield KeyBar()

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def on_resize(self) -> None:
        self.action_refresh()

    # Reading -------------------------------------------------------------------------------

    def action_refresh(self, keep: str | None = None) -> None:
        """Read the plan with the current filters and show it; the cursor stays on `keep` (a row
        key) or on the row it was on."""
        view = attempt(self, lambda: read_plan(self.workspace, self.criteria, self.app.today()))
        if view is None:
            return
        table = self.query_one("#plan", FixedTable)
        current = self.selected_key()
        self.view = view
        self.rows = {_key(action.holder, action.id): action for action in view.records()}
        self.rows.update((_key(item.holder, item.finding.id, "ecart"), item) for item in view.unplanned)
        compact = self.size.width < WIDE
        columns = COMPACT_COLUMNS if compact else COLUMNS
        text_width = width_left(self.size.width, columns)
        table.set_columns([columns[0], ("Action", text_width), *columns[1:]])
        table.set_rows(list(self.rows.items()), lambda row: self.cells(row, compact, text_width))
        target = keep or current
        if target in self.rows:
            table.move_cursor(list(self.rows).index(target))
        self.query_one("#plan-filter", Static).update(self.filter_text())
        self.show_detail()

    def cells(self, row: PlanAction | Unplanned, compact: bool, width: int) -> list[Text]:
        if isinstance(row, Unplanned):
            text = Text(clipped(clean(f"⚑ {row.finding.id} à planifier : {' '.join(row.finding.text.split())}"),
                                width), style="yellow")
            cells = [Text("—", style="yellow"), text, Text("—", style="dim"), Text("—", style="dim")]
            if not compact:
                cells[2:2] = [self.structure_cell(row.structure), plain(SOURCES.get(row.source.kind, row.source.kind))]
                cells.append(Text(""))
            return cells
        due = Text(row.due, style="bold red" if row.overdue else "")
        text = Text(clipped(clean(f"{row.finding.id}→{row.id} {' '.join(row.text.split())}"), width),
                    style="bold red" if row.overdue else "")
        status = Text(clean(ACTION_STATUSES.get(row.status, row.status)),
                      style={"done": "green", "in-progress": "yellow"}.get(row.status, ""))
        cells = [due, text, plain(row.owner), status]
        if not compact:
            cells[2:2] = [self.structure_cell(row.structure), plain(SOURCES.get(row.source.kind, row.source.kind))]
            cells.append(_effectiveness(row))
        return cells

    def structure_cell(self, structure: str) -> Text:
        return plain(self.view.names.get(structure, structure) if self.view else structure)

    def filter_text(self) -> Text:
        view, criteria = self.view, self.criteria
        shown = [("historique compris" if criteria.history else "à suivre")]
        shown += [f"{label} {clean(value)}" for label, value in (
            ("structure", view.names.get(criteria.structure, criteria.structure) if criteria.structure else None),
            ("responsable", criteria.owner),
            ("statut", ACTION_STATUSES.get(criteria.status or "") or None),
            ("source", SOURCES.get(criteria.source or "") or None),
            ("référentiel", criteria.referential),
            ("échéance sous", f"{criteria.due_within} j" if criteria.due_within is not None else None),
            ("vérification", dict(VERIFIED)[criteria.verified] if criteria.verified else None)) if value]
        if criteria.overdue:
            shown.append("en retard")
        counts = view.counts
        text = Text("Filtre : ", style="bold")
        text.append(" · ".join(shown))
        text.append(f"   {len(view.actions)} action(s) : {counts.todo} à faire, {counts.in_progress} en cours, "
                    f"{counts.done} réalisée(s) dont {counts.unverified} à vérifier, ")
        text.append(f"{counts.overdue} en retard", style="bold red" if counts.overdue else "")
        if view.unplanned:
            text.append(f" ; {len(view.unplanned)} écart(s) sans action", style="yellow")
        for error in view.errors:
            text.append(f"\n⚠ {clean(error.id)} : {clean(' '.join(error.error.split()))}", style="red")
        return text

    def selected_key(self) -> str | None:
        table = self.query_one("#plan", FixedTable)
        if not self.rows or table.cursor_row < 0 or table.cursor_row >= len(self.rows):
            return None
        return list(self.rows)[table.cursor_row]

    def selected(self) -> PlanAction | Unplanned | None:
        key = self.selected_key() or ""
        return self.rows.get(key) if key is not None else None

    def on_fixed_table_row_highlighted(self, event: FixedTable.RowHighlighted) -> None:
        self.show_detail()

    def on_fixed_table_row_selected(self, event: FixedTable.RowSelected) -> None:
        self.action_ecart()

    def show_detail(self) -> None:
        row = self.selected()
        detail = self.query_one("#plan-detail", Static)
        if row is None:
            detail.update(Text("Aucune action avec ce filtre : f pour filtrer, h pour l'historique, "
                               "n pour un nouvel écart.", style="dim"))
            return
        finding = row.finding
        text = Text()
        if isinstance(row, PlanAction):
            text.append(clean(f"{row.id} · {ACTION_TYPES.get(row.type, row.type)} · {row.owner} · échéance "
                              f"{row.due} · {ACTION_STATUSES.get(row.status, row.status)}"), style="bold")
            if row.overdue:
                text.append(" · EN RETARD", style="bold red")
            text.append("\n")
            text.append(clean(" ".join(row.text.split())))
            if row.postponements:
                last = row.postponements[-1]
                text.append(clean(f"\nReportée {len(row.postponements)} fois ; dernier report {last['from']} → "
                                  f"{last['to']} : {last['reason']}"))
            if row.verified_by:
                text.append(clean(f"\nEfficacité vérifiée par {row.verified_by} le {row.verified_on} : "
                                  f"{'efficace' if row.effective else 'non efficace'}"
                                  + (f" ({row.verification_comment})" if row.verification_comment else "")))
            text.append("\n")
        else:
            text.append("Aucune action : touche a pour en ajouter une.\n", style="yellow")
        text.append(clean(f"Écart {finding.id} "), style="bold")
        text.append("clos" if finding.closed else "ouvert", style="bold green" if finding.closed else "bold yellow")
        text.append(clean(f" · {self.source_text(row)} : {' '.join(finding.text.split())}"))
        detail.update(text)

    def source_text(self, row: PlanAction | Unplanned) -> str:
        name = self.view.names.get(row.structure, row.structure) if self.view else row.structure
        source = SOURCES.get(row.source.kind, row.source.kind)
        if row.source.kind == "audit":
            return f"{name} · {source} {row.source.ref} ({row.referential}, exigence {row.finding.requirement})"
        return f"{name} · {source}" + (f" « {row.source.ref} »" if row.source.ref else "")

    # Filters -------------------------------------------------------------------------------

    def action_filter(self) -> None:
        criteria = self.criteria
        names = self.view.names if self.view else {}
        spec = FormSpec("Filtrer le plan", [
            Field("structure", "Structure", criteria.structure or ALL,
                  options=[(ALL, "toutes"), *((sid, name) for sid, name in names.items())]),
            Field("owner", "Responsable (contient)", criteria.owner or ""),
            Field("status", "Statut", criteria.status or ALL, options=[(ALL, "tous"), *ACTION_STATUSES.items()]),
            Field("source", "Source", criteria.source or ALL, options=[(ALL, "toutes"), *SOURCES.items()]),
            Field("referential", "Référentiel (audits)", criteria.referential or ""),
            Field("overdue", "En retard seulement", "yes" if criteria.overdue else "", options=YES_NO),
            Field("due_within", "Échéance dans (jours, retards compris)",
                  "" if criteria.due_within is None else str(criteria.due_within), placeholder="30"),
            Field("verified", "Vérification", criteria.verified or ALL, options=VERIFIED),
            Field("history", "Actions terminées aussi (historique)", "yes" if criteria.history else "",
                  options=YES_NO),
        ], self.filtered, submit_label="Filtrer")
        self.app.push_screen(FormDialog(spec), lambda chosen: chosen and self.apply(chosen))

    def filtered(self, values: dict[str, str]) -> PlanFilter:
        """The filter the form asks for, checked by reading the plan once (a refusal stays in the form)."""
        days = values["due_within"].strip()
        if days and not days.isdigit():
            from audit_bench.services.errors import UserError

            raise UserError(f"nombre de jours invalide « {days} » : un nombre entier, ou vide")
        criteria = PlanFilter(structure=values["structure"] or None, owner=values["owner"] or None,
                              status=values["status"] or None, source=values["source"] or None,
                              referential=values["referential"] or None, overdue=values["overdue"] == "yes",
                              due_within=int(days) if days else None, verified=values["verified"] or None,
                              history=values["history"] == "yes")
        read_plan(self.workspace, criteria, self.app.today())
        return criteria

    def apply(self, criteria: PlanFilter) -> None:
        self.criteria = criteria
        self.action_refresh()

    def action_history(self) -> None:
        self.apply(dataclasses.replace(self.criteria, history=not self.criteria.history))

    # The écart and its source ---------------------------------------------------------------

    def chosen(self) -> PlanAction | Unplanned | None:
        row = self.selected()
        if row is None:
            self.notify("Aucune ligne choisie : f pour changer le filtre, n pour un nouvel écart.", severity="warning")
        return row

    def action_ecart(self) -> None:
        row = self.chosen()
        if row is None:
            return
        with_actions = attempt(self, lambda: self.on_holder(row.holder, lambda session: (
            session.finding(row.finding.id), session.snapshot().actions_of(row.finding.id)), write=False))
        if with_actions is None:
            return
        finding, actions = with_actions
        body = Text(clean(self.source_text(row)), style="bold")
        body.append(clean(f"\n{finding.id} · classe {finding.class_} · "))
        body.append("clos" if row.finding.closed else "ouvert", style="green" if row.finding.closed else "yellow")
        body.append("\n\n")
        body.append(clean(finding.text))
        body.append(clean(f"\n\nAction immédiate : {finding.immediate_action or '—'}"))
        body.append(clean(f"\nCause : {finding.root_cause or '—'}"))
        body.append("\n\nActions :", style="bold")
        for action in actions:
            body.append(clean(f"\n  {action.id} · {ACTION_TYPES.get(action.type, action.type)} · {action.owner} · "
                              f"échéance {action.due} · {ACTION_STATUSES.get(action.status, action.status)}"))
            if action.effective is not None:
                body.append(" · efficace" if action.effective else " · non efficace",
                            style="green" if action.effective else "red")
            body.append(clean(f"\n    {' '.join(action.text.split())}"))
            for postponement in action.postponements:
                body.append(clean(f"\n    report {postponement.from_} → {postponement.to} : {postponement.reason}"),
                            style="dim")
        if not actions:
            body.append("\n  aucune", style="dim")
        self.app.push_screen(TextDialog(f"Écart {finding.id}", body))

    def action_source(self) -> None:
        """An audit's écart: its walk at the requirement; another source's: its structure."""
        row = self.chosen()
        if row is None:
            return
        if row.source.kind == "audit":
            self.app.open_audit(row.holder, at=row.finding.requirement)
        else:
            from audit_bench.tui.screens.structures import StructureScreen

            self.app.push_screen(StructureScreen(self.workspace, row.structure))

    # Changes -------------------------------------------------------------------------------

    def on_holder(self, holder: str, change: Callable[[Any], Any], *, write: bool = True) -> Any:
        with open_holder(self.workspace, holder, write=write) as session:
            return change(session)

    def change(self, title: str, fields: list[Field], use_case: Callable[[dict[str, str]], str],
               context: Text | None = None, done: str | None = None,
               ecart: tuple[str, str] | None = None) -> None:
        """A form whose values go to a use case, which returns the row key to keep the cursor on;
        `ecart` (holder, id): say so if the change closed it."""
        def finished(key: str | None) -> None:
            if key is None:
                return
            self.action_refresh(keep=key)
            if done:
                self.notify(done)
            if ecart is not None and key not in self.rows and self.ecart_closed(*ecart):
                self.notify(f"Écart {ecart[1]} clos : ses actions sont réalisées et jugées efficaces "
                            "(h : historique).", title="Écart clos")

        self.app.push_screen(FormDialog(FormSpec(title, fields, use_case, context=context)), finished)

    def ecart_closed(self, holder: str, finding_id: str) -> bool:
        everything = read_plan(self.workspace, dataclasses.replace(self.criteria, history=True), self.app.today())
        return any(a.holder == holder and a.finding.id == finding_id and a.finding.closed
                   for a in everything.records())

    def action_context(self, row: PlanAction | Unplanned) -> Text:
        text = Text(clean(f"{row.finding.id} "), style="bold")
        text.append(clean(" ".join(row.finding.text.split())))
        return text

    def the_action(self) -> PlanAction | None:
        row = self.chosen()
        if row is None:
            return None
        if isinstance(row, Unplanned):
            self.notify("Cet écart n'a pas encore d'action : touche a pour en ajouter une.", severity="warning")
            return None
        return row

    def action_add_action(self) -> None:
        row = self.chosen()
        if row is None:
            return
        today = self.app.today().isoformat()

        def add(values: dict[str, str]) -> str:
            action = self.on_holder(row.holder, lambda session: session.add_action(
                row.finding.id, values["text"], values["owner"], values["due"], values["type"]))
            return _key(row.holder, action.id)

        self.change("Nouvelle action", [
            Field("text", "Action à mener", required=True, multiline=True),
            Field("type", "Type", "corrective", options=list(ACTION_TYPES.items())),
            Field("owner", "Responsable", required=True),
            Field("due", "Échéance", placeholder=f"AAAA-MM-JJ (aujourd'hui : {today})", required=True),
        ], add, self.action_context(row))

    def action_status(self) -> None:
        action = self.the_action()
        if action is not None:
            self.update_action(action, f"Statut de l'action {action.id}",
                               [Field("status", "Statut", action.status, options=list(ACTION_STATUSES.items()))],
                               lambda v: {"status": v["status"]})

    def action_postpone(self) -> None:
        action = self.the_action()
        if action is not None:
            self.update_action(action, f"Reporter l'échéance de {action.id} (actuellement {action.due})", [
                Field("due", "Nouvelle échéance", placeholder="AAAA-MM-JJ", required=True),
                Field("reason", "Raison du report", required=True),
            ], lambda v: {"due": v["due"], "reason": v["reason"]}, "Report enregistré.")

    def action_verify(self) -> None:
        action = self.the_action()
        if action is not None:
            self.update_action(action, f"Vérification de l'efficacité de {action.id}", [
                Field("verified_by", "Vérifiée par", action.verified_by or "", required=True),
                Field("effective", "Résultat", "yes" if action.effective is not False else "no", options=EFFECTIVE),
                Field("comment", "Commentaire (facultatif)", action.verification_comment, multiline=True),
            ], lambda v: {"verified_by": v["verified_by"], "effective": v["effective"] == "yes",
                          "comment": v["comment"]})

    def update_action(self, action: PlanAction, title: str, fields: list[Field],
                      changes: Callable[[dict[str, str]], dict[str, Any]], done: str | None = None) -> None:
        def update(values: dict[str, str]) -> str:
            self.on_holder(action.holder, lambda session: session.update_action(action.id, **changes(values)))
            return _key(action.holder, action.id)

        context = Text(clean(f"{action.id} "), style="bold")
        context.append(clean(" ".join(action.text.split())))
        self.change(title, fields, update, context, done, ecart=(action.holder, action.finding.id))

    def action_analysis(self) -> None:
        row = self.chosen()
        if row is None:
            return
        finding = attempt(self, lambda: self.on_holder(row.holder, lambda s: s.finding(row.finding.id), write=False))
        if finding is None:
            return
        key = self.selected_key() or ""

        def analyse(values: dict[str, str]) -> str:
            self.on_holder(row.holder, lambda session: session.set_analysis(
                row.finding.id, values["immediate_action"], values["root_cause"]))
            return key

        self.change(f"Analyse de l'écart {finding.id}", [
            Field("immediate_action", "Action immédiate (curative) menée", finding.immediate_action,
                  multiline=True),
            Field("root_cause", "Cause de l'écart", finding.root_cause, multiline=True),
        ], analyse, self.action_context(row))

    def action_new_ecart(self) -> None:
        """An écart found outside an audit, for a structure of the workspace."""
        from audit_bench.services.structures import list_structures

        listed = attempt(self, lambda: list_structures(self.workspace, self.app.today()))
        if listed is None:
            return
        if not listed.structures:
            self.notify("Aucune structure : créez-en une (Accueil, touche s).", severity="warning")
            return
        chosen = self.selected()
        structure = chosen.structure if chosen is not None else self.criteria.structure

        def add(values: dict[str, str]) -> str:
            finding = add_ecart(self.workspace, values["structure"], values["source"], values["text"],
                                values["class"], values["ref"], values["immediate_action"], values["root_cause"])
            return _key(values["structure"], finding.id, "ecart")

        self.change("Nouvel écart (hors audit)", [
            Field("text", "Constat", required=True, multiline=True),
            Field("structure", "Structure", structure or listed.structures[0].id,
                  options=[(row.id, row.name) for row in listed.structures]),
            Field("source", "Source", "autre", options=[(k, v) for k, v in SOURCES.items() if k != "audit"]),
            Field("class", "Classe", "ecart", options=[(k, label) for k, (label, _) in ECART_CLASSES.items()]),
            Field("ref", "Référence dans la source (facultatif)",
                  placeholder="n° de réclamation, date du contrôle…"),
            Field("immediate_action", "Action immédiate (facultatif)"),
            Field("root_cause", "Cause (facultatif)"),
        ], add)

    def action_back(self) -> None:
        self.app.pop_screen()


def _key(holder: str, ident: str, kind: str = "action") -> str:
    return f"{holder}\0{ident}\0{kind}"


def _effectiveness(action: PlanAction) -> Text:
    if action.effective is None:
        return Text("à vérifier" if action.status == "done" else "—", style="yellow" if action.status == "done"
                    else "dim")
    return Text("efficace", style="green") if action.effective else Text("non efficace", style="bold red")
