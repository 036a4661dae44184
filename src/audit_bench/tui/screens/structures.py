"""Structures: the list of the audited organisations, and one structure's record, people,
certifications and audits. Every change goes through services.structures; a refusal is shown in
the form, next to the fields."""

from __future__ import annotations

from typing import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from audit_bench.model.vocab import AUDIT_STATUSES, ROLES, SHORT_KINDS
from audit_bench.services import Workspace
from audit_bench.services.structures import (
    StructureView, create_structure, edit_structure, list_structures, remove_certification, remove_person,
    set_certification, set_person, show_structure,
)
from audit_bench.tui.forms import ConfirmDialog, Field, FormDialog, FormSpec
from audit_bench.tui.refusals import attempt
from audit_bench.tui.registry import load_registry
from audit_bench.tui.text import clean, plain
from audit_bench.tui.widgets.fixed_table import FixedTable
from audit_bench.tui.widgets.key_bar import KeyBar
from audit_bench.tui.widgets.listing import (
    COMPACT_STRUCTURE_COLUMNS, STRUCTURE_COLUMNS, WIDE, structure_cells, width_left,
)
from audit_bench.tui.widgets.title_bar import TitleBar

PEOPLE_COLUMNS = [("Rôle", 30), ("Formé(e) à l'audit le", 21)]
WIDE_PEOPLE_COLUMNS = [("Rôle", 30), ("Formé(e) à l'audit le", 21), ("Activité", 24)]
"""From WIDE columns on, the activity the person works in (an internal auditor must be independent of it)."""
CERTIFICATION_REFERENTIAL = ("Référentiel", 12)
CERTIFICATION_COLUMNS = [("Numéro", 14), ("Émis le", 10), ("Valide jusqu'au", 15)]
"""Besides the referential, whose id is short: the certifying body takes the width left."""
AUDIT_COLUMNS = [("Audit", 10), ("Date", 10), ("Coté", 9), ("Écarts", 6), ("Actions", 7), ("En retard", 9),
                 ("Statut", 8)]
COMPACT_AUDIT_COLUMNS = [("Audit", 10), ("Date", 10), ("Coté", 7), ("Éc.", 3), ("Act.", 4), ("Ret.", 4),
                         ("Statut", 8)]
"""Below WIDE columns: the same figures under shorter headings, so that the status still shows at 80."""
NO_TYPE = ""
PANEL_ROWS = 4
"""People and certifications shown at once (more scroll); the audits get the rest."""


def known_types(workspace: Workspace) -> list[tuple[str, str]]:
    """The structure types the installed referentials define (value, label), « aucun » first."""
    load_registry(workspace)
    types = {t.id: t.label for tree in workspace.referentials() for t in tree.referential.siae_types}
    return [(NO_TYPE, "— aucun type —"), *((key, f"{key} — {label}") for key, label in types.items())]


def record_fields(workspace: Workspace, name: str = "", siae_type: str | None = None, siret: str | None = None,
                  place: str = "") -> list[Field]:
    return [Field("name", "Nom de la structure", name, required=True),
            Field("siae_type", "Type de structure", siae_type or NO_TYPE, options=known_types(workspace)),
            Field("siret", "SIRET (14 chiffres, facultatif)", siret or "", placeholder="123 456 789 00012"),
            Field("place", "Adresse ou lieu (facultatif)", place)]


class StructuresScreen(Screen):
    """Every structure of the workspace; Entrée opens one, n creates one."""

    TITLE = "Structures"

    DEFAULT_CSS = "StructuresScreen #structure-list { height: 1fr; }"

    BINDINGS = [
        Binding("n", "new_structure", "Nouvelle structure"),
        Binding("r", "refresh", "Actualiser", show=False),
        Binding("escape", "back", "Accueil"),
    ]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield FixedTable(id="structure-list", zebra_stripes=True)
        yield KeyBar()

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        listed = attempt(self, lambda: list_structures(self.workspace, self.app.today()))
        rows = listed.structures if listed is not None else []
        compact = self.size.width < WIDE
        columns = COMPACT_STRUCTURE_COLUMNS if compact else STRUCTURE_COLUMNS
        name_width = width_left(self.size.width, columns)
        table = self.query_one(FixedTable)
        table.set_columns([("Structure", name_width), *columns])
        today = self.app.today()
        table.set_rows([(row.id, row) for row in rows], lambda row: structure_cells(row, compact, name_width, today))
        table.focus()

    def on_fixed_table_row_selected(self, event: FixedTable.RowSelected) -> None:
        self.open_structure(event.key)

    def open_structure(self, structure_id: str) -> None:
        self.app.push_screen(StructureScreen(self.workspace, structure_id))

    def action_new_structure(self) -> None:
        def submit(values: dict[str, str]) -> str:
            return create_structure(self.workspace, values["name"], values["siae_type"], values["siret"],
                                    values["place"]).id

        def created(structure_id: str | None) -> None:
            if structure_id:
                self.open_structure(structure_id)

        self.app.push_screen(FormDialog(FormSpec("Nouvelle structure", record_fields(self.workspace), submit,
                                                 submit_label="Créer")), created)

    def action_back(self) -> None:
        self.app.pop_screen()


class RegistersScreen(StructuresScreen):
    """The Registres area: the structures, to choose whose registers to open (Entrée); n creates a
    structure and opens its registers."""

    TITLE = "Registres — choisir une structure"

    def open_structure(self, structure_id: str) -> None:
        self.app.open_registers(structure_id)


class ReviewsScreen(StructuresScreen):
    """The Revue de direction area: the structures, to choose whose reviews to open (Entrée); n
    creates a structure and opens its reviews."""

    TITLE = "Revue de direction — choisir une structure"

    def open_structure(self, structure_id: str) -> None:
        self.app.open_reviews(structure_id)


class StructureScreen(Screen):
    """One structure: its record (e), people (p), certifications (c), audits (Entrée opens one),
    and its registers (r)."""

    TITLE = "Structure"
    AUTO_FOCUS = ""

    DEFAULT_CSS = """
StructureScreen #record {
    padding: 0 1;
    height: auto;
    margin-bottom: 1;
}

StructureScreen .section {
    height: 1;
    padding: 0 1;
    text-style: bold;
    color: $text-muted;
}

StructureScreen #structure-audits {
    height: 1fr;
    min-height: 3;
}
"""

    BINDINGS = [
        Binding("e", "edit", "Modifier la fiche"),
        Binding("p", "add_person", "Personne"),
        Binding("c", "add_certification", "Certification"),
        Binding("delete,x", "remove", "Retirer"),
        Binding("r", "registers", "Registres"),
        Binding("f5", "refresh", "Actualiser", show=False),
        Binding("escape", "back", "Retour"),
    ]

    def __init__(self, workspace: Workspace, structure_id: str) -> None:
        super().__init__()
        self.workspace = workspace
        self.structure_id = structure_id
        self.view: StructureView | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="record")
        yield Static("Personnes du système qualité (p : ajouter, x : retirer)", classes="section")
        yield FixedTable(id="people")
        yield Static("Certifications (c : ajouter, x : retirer)", classes="section")
        yield FixedTable(id="certifications")
        yield Static(id="audits-title", classes="section")
        yield FixedTable(id="structure-audits", zebra_stripes=True)
        yield KeyBar()

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        view = attempt(self, lambda: show_structure(self.workspace, self.structure_id, self.app.today()))
        if view is None:
            self.app.pop_screen()
            return
        self.view = view
        self.query_one("#record", Static).update(record_text(view))
        width = self.size.width
        people = self.query_one("#people", FixedTable)
        people_columns = WIDE_PEOPLE_COLUMNS if width >= WIDE else PEOPLE_COLUMNS
        people.set_columns([("Nom", width_left(width, people_columns)), *people_columns])
        people.set_rows([(f"{p.name}\0{p.role}", p) for p in view.people],
                        lambda p: [plain(p.name), plain(p.role_label), plain(p.trained_on or "—"),
                                   plain(p.activity or "—")][:len(people_columns) + 1])
        certifications = self.query_one("#certifications", FixedTable)
        fixed = [CERTIFICATION_REFERENTIAL, *CERTIFICATION_COLUMNS]
        certifications.set_columns([CERTIFICATION_REFERENTIAL, ("Organisme", width_left(width, fixed)),
                                    *CERTIFICATION_COLUMNS])
        certifications.set_rows([(f"{c.referential}\0{c.number}", c) for c in view.certifications],
                                lambda c: [plain(c.referential), plain(c.body), plain(c.number), plain(c.issued),
                                           plain(c.valid_until)])
        people.fit(PANEL_ROWS)
        certifications.fit(PANEL_ROWS)
        audits = self.query_one("#structure-audits", FixedTable)
        audit_columns = COMPACT_AUDIT_COLUMNS if width < WIDE else AUDIT_COLUMNS
        audits.set_columns([("Référentiel", width_left(width, audit_columns)), *audit_columns])
        audits.set_rows([(a.id, a) for a in view.audits], audit_cells)
        self.query_one("#audits-title", Static).update(f"Audits ({len(view.audits)}) — Entrée : ouvrir")
        if not isinstance(self.focused, FixedTable):
            self.query_one("#structure-audits" if view.audits else "#people").focus()

    def on_fixed_table_row_selected(self, event: FixedTable.RowSelected) -> None:
        if event.table.id == "structure-audits":
            self.app.open_audit(event.key)

    def change(self, title: str, fields: list[Field], use_case: Callable[[dict[str, str]], object]) -> None:
        """A form whose values go to a use case; the screen is redrawn once it is accepted."""
        def submit(values: dict[str, str]) -> bool:
            use_case(values)
            return True

        def done(changed: bool | None) -> None:
            if changed:
                self.action_refresh()

        context = Text(clean(self.view.name), style="bold") if self.view else None
        self.app.push_screen(FormDialog(FormSpec(title, fields, submit, context=context)), done)

    def action_edit(self) -> None:
        view = self.view
        if view is None:
            return
        self.change("Modifier la fiche de la structure",
                    record_fields(self.workspace, view.name, view.siae_type, view.siret, view.place),
                    lambda v: edit_structure(self.workspace, self.structure_id, name=v["name"],
                                             siae_type=v["siae_type"], siret=v["siret"], place=v["place"]))

    def action_add_person(self) -> None:
        self.change("Ajouter une personne (ou changer sa date de formation)", [
            Field("name", "Nom", required=True),
            Field("role", "Rôle", options=list(ROLES.items())),
            Field("trained_on", "Formé(e) à l'audit le (facultatif)", placeholder="JJ/MM/AAAA"),
            Field("activity", "Activité exercée (facultatif ; un auditeur interne en est indépendant)",
                  placeholder="ex. Accompagnement, antenne nord"),
        ], lambda v: set_person(self.workspace, self.structure_id, v["name"], v["role"], v["trained_on"] or None,
                                v["activity"]))

    def action_add_certification(self) -> None:
        load_registry(self.workspace)
        referentials = [(tree.id, f"{tree.id} — {tree.referential.title}") for tree in self.workspace.referentials()]
        if not referentials:
            self.notify("Aucun référentiel installé : installez une extension de référentiel.", severity="error")
            return
        self.change("Ajouter une certification", [
            Field("referential", "Référentiel", options=referentials),
            Field("body", "Organisme certificateur", required=True),
            Field("number", "Numéro du certificat", required=True),
            Field("issued", "Émis le", placeholder="JJ/MM/AAAA", required=True),
            Field("valid_until", "Valide jusqu'au (vide : selon la durée du référentiel)", placeholder="JJ/MM/AAAA"),
        ], lambda v: set_certification(self.workspace, self.structure_id, v["referential"], v["body"], v["number"],
                                       v["issued"], v["valid_until"] or None))

    def action_remove(self) -> None:
        """Remove the person or certificate under the cursor, once confirmed."""
        table = self.focused
        if not isinstance(table, FixedTable) or table.id not in ("people", "certifications") or not table.row_count:
            self.notify("Placez le curseur sur une personne ou une certification (Tab) pour la retirer.",
                        severity="warning")
            return
        row = list(table.shown.values())[table.cursor_row]
        if table.id == "people":
            question = f"Retirer {clean(row.name)} ({clean(row.role_label)}) ?"
            use_case = lambda: remove_person(self.workspace, self.structure_id, row.name, row.role)  # noqa: E731
        else:
            question = f"Retirer le certificat {clean(row.referential)} n° {clean(row.number)} ?"
            use_case = lambda: remove_certification(self.workspace, self.structure_id,  # noqa: E731
                                                    row.referential, row.number)

        def answered(yes: bool | None) -> None:
            if yes and attempt(self, lambda: use_case() or True):
                self.action_refresh()

        self.app.push_screen(ConfirmDialog(Text(question)), answered)

    def action_registers(self) -> None:
        self.app.open_registers(self.structure_id)

    def action_back(self) -> None:
        self.app.pop_screen()


def record_text(view: StructureView) -> Text:
    text = Text(clean(view.name), style="bold")
    text.append(f"   type : {clean(view.siae_type or 'aucun')}")
    text.append(f"   SIRET : {clean(grouped_siret(view.siret) if view.siret else '—')}")
    text.append(f"\nLieu : {clean(view.place or '—')}")
    text.append(f"   actions ouvertes : {view.open_actions}, dont en retard : ")
    text.append(str(view.overdue_actions), style="bold red" if view.overdue_actions else "")
    text.append("   e : modifier la fiche", style="dim")
    return text


def audit_cells(audit) -> list[Text]:
    return [plain(audit.referential), plain(SHORT_KINDS.get(audit.kind, audit.kind)), plain(audit.date),
            plain(f"{audit.assessed}/{audit.total}"), plain(str(audit.open_findings)),
            plain(str(audit.open_actions)),
            Text(str(audit.overdue_actions), style="bold red" if audit.overdue_actions else ""),
            plain(AUDIT_STATUSES.get(audit.status, audit.status))]


def grouped_siret(siret: str) -> str:
    """« 732 829 320 00074 »: the SIREN's three groups, then the establishment's five digits."""
    return f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}" if len(siret) == 14 else siret
