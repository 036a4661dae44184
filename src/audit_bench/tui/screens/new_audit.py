"""Nouvel audit: a form whose input the service checks; its refusal is shown in place, next to the field.
The structure is picked as it is typed among those of the workspace, or created from a new name; the
structure's last audit on the referential is offered as the starting point; an internal audit's
auditors are checked against what the referential asks of them as they are typed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from rich.text import Text
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from audit_bench.model.vocab import KINDS
from audit_bench.referential.schema import default_kind, kinds_offered
from audit_bench.services import Workspace
from audit_bench.services.audits import create_audit
from audit_bench.services.cycle import auditor_warnings
from audit_bench.services.errors import REFUSALS, UserError
from audit_bench.services.listing import StructureRow, list_audits, list_structures
from audit_bench.services.text import fold
from audit_bench.services.validation import check_date
from audit_bench.tui.forms import EnterMovesOn
from audit_bench.tui.refusals import attempt, describe
from audit_bench.tui.registry import load_registry
from audit_bench.tui.text import clean, plain
from audit_bench.tui.widgets.button_row import ButtonRow
from audit_bench.tui.widgets.choice import Choice
from audit_bench.tui.widgets.error_line import ErrorLine
from audit_bench.tui.widgets.key_bar import KeyBar
from audit_bench.tui.widgets.text_input import TextInput
from audit_bench.tui.widgets.title_bar import TitleBar

REFUSAL_FIELDS = [("date de fin", "end_date"), ("date", "date"), ("type de structure", "siae_type"),
                  ("nom de la structure", "org"), ("auditeur", "auditors")]
"""The field a refusal of create_audit points at, by the words the refusal names it with (first
match wins); a refusal naming none of them is shown without pointing."""
SUGGESTIONS = 6
"""Structures offered at most while the name is typed."""
NO_PREVIOUS = "Non : partir de zéro"


@dataclass(frozen=True)
class AuditPreset:
    """What the form starts from when another screen asks for a given audit (the agenda's)."""

    referential: str | None = None
    structure: str | None = None
    kind: str | None = None
    day: date | None = None
    """The audit's first day, when not today (an audit of a period already past)."""


class NewAuditScreen(EnterMovesOn, Screen[str | None]):
    """Referential, structure and type, kind, dates, auditors; dismisses with the new audit's id."""

    DEFAULT_CSS = """
NewAuditScreen #form {
    padding: 0 2;
}

NewAuditScreen #form .title {
    text-style: bold;
    margin-bottom: 1;
}

NewAuditScreen #form Label {
    margin-top: 1;
    color: $text-muted;
}

NewAuditScreen #form .pair {
    height: auto;
}

NewAuditScreen #form .half {
    width: 1fr;
    height: auto;
}

NewAuditScreen #suggestions {
    height: auto;
    max-height: 6;
    border: none;
}

NewAuditScreen #structure-choice {
    color: $text-muted;
}

NewAuditScreen #auditor-check {
    color: $warning;
    height: auto;
}

NewAuditScreen #form .invalid {
    border: tall $error;
}
"""

    TITLE = "Nouvel audit"

    BINDINGS = [
        *EnterMovesOn.FIELD_BINDINGS,
        # Priority: the form's scroll would take ↓ ↑ from the name field first.
        Binding("down", "suggest(1)", show=False, priority=True),
        Binding("up", "suggest(-1)", show=False, priority=True),
        Binding("ctrl+s", "create", "Créer l'audit"),
        Binding("escape", "cancel", "Annuler"),
    ]

    def __init__(self, workspace: Workspace, preset: AuditPreset | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self.preset = preset or AuditPreset()
        self.trees = {}
        self.structures: list[StructureRow] = []
        self.picked: StructureRow | None = None
        """The existing structure chosen among the suggestions; None: the name typed is a new one."""
        self.kind_chosen = False
        """Whether the auditor picked the kind (else it follows the referential's default)."""

    def compose(self) -> ComposeResult:
        load_registry(self.workspace)
        self.trees = {tree.id: tree for tree in self.workspace.referentials()}
        yield TitleBar()
        with VerticalScroll(id="form"):
            yield Static("Nouvel audit", classes="title")
            yield Label("Référentiel")
            yield Choice([(plain(f"{tree.id} — {tree.referential.title} (v. {tree.version})"), tree.id)
                          for tree in self.trees.values()],
                         prompt="— choisir le référentiel (↓ ↑ ou ses premières lettres) —", id="referential",
                         value=self.preset.referential if self.preset.referential in self.trees
                         else next(iter(self.trees)) if len(self.trees) == 1 else None)
            yield Label("Structure auditée (↓ ↑ : choisir une structure existante)")
            yield TextInput(placeholder="nom de la structure", id="org")
            suggestions = OptionList(id="suggestions")
            suggestions.can_focus = False  # driven from the name field, so typing goes on
            yield suggestions
            yield Static(id="structure-choice")
            yield Label("Type de structure")
            yield Choice([], prompt="— choisir le type —", id="siae_type")
            yield Label("Type d'audit")
            yield Choice([(label, kind) for kind, label in KINDS.items()], value="internal", id="kind")
            yield Label("Partir du dernier audit (cotations, preuves et écarts ouverts en référence)", id="from-label")
            yield Choice([(NO_PREVIOUS, "")], id="from")
            with Horizontal(classes="pair"):
                with Vertical(classes="half"):
                    yield Label("Date de début (JJ/MM/AAAA)")
                    yield TextInput(f"{self.preset.day or self.app.today():%d/%m/%Y}", id="date")
                with Vertical(classes="half"):
                    yield Label("Date de fin (facultative)")
                    yield TextInput(placeholder="JJ/MM/AAAA", id="end_date")
            yield Label("Auditeurs (séparés par des virgules)")
            yield TextInput(placeholder="Prénom Nom, Prénom Nom", id="auditors")
            yield Label("Champ de l'audit : activités, sites audités (facultatif)")
            yield TextInput(placeholder="ex. Accompagnement, antenne nord", id="scope")
            yield Static(id="auditor-check")
            yield ErrorLine(id="error")
            with ButtonRow():
                yield Button("Créer l'audit (ctrl+s)", id="create", variant="primary")
                yield Button("Annuler (échap)", id="cancel")
        yield KeyBar()

    def on_mount(self) -> None:
        listed = attempt(self, lambda: list_structures(self.workspace))
        self.structures = listed.structures if listed is not None else []
        self.suggest("")
        if not self.trees:
            self.show_error("referential", "Aucun référentiel installé : installez une extension de référentiel "
                                           "(voir « audit-bench referentials »).")
        self.update_types()
        self.update_kinds()
        preset = next((row for row in self.structures if row.id == self.preset.structure), None)
        if preset is not None:
            self.query_one("#org", Input).value = preset.name  # its Changed picks the structure
        if self.preset.kind is not None:
            self.kind_chosen = True
            self.query_one("#kind", Choice).value = self.preset.kind
        start = "#date" if preset is not None else "#referential" if len(self.trees) != 1 else "#org"
        self.query_one(start).focus()

    def on_choice_changed(self, event: Choice.Changed) -> None:
        if event.choice.id == "kind" and self.focused is event.choice:
            self.kind_chosen = True  # typed by the auditor: a change of referential keeps it if it can
        if event.choice.id == "referential":
            self.update_types()
            self.update_kinds()
            self.update_previous()
        if event.choice.id in ("referential", "kind"):
            self.check_auditors()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "org":
            self.suggest(event.value)
        elif event.input.id in ("auditors", "scope", "date"):
            self.check_auditors()

    def update_previous(self) -> None:
        """Offer the picked structure's last audit on the referential as the starting point (chosen
        by default); nothing to offer for a new structure or a first audit."""
        referential = self.choice("referential")
        audits = [] if self.picked is None or referential is None else [
            row for row in list_audits(self.workspace)
            if row.error is None and row.structure == self.picked.id and row.referential == referential]
        field = self.query_one("#from", Choice)
        options = [(NO_PREVIOUS, "")]
        if audits:
            last = audits[0]  # newest first
            state = " (clos)" if last.status == "closed" else ""
            options.insert(0, (f"Oui : {KINDS.get(last.kind, last.kind).lower()} du {last.date}{state}", last.id))
        field.set_options(options, options[0][1])
        for widget in (field, self.query_one("#from-label")):
            widget.display = bool(audits)

    def check_auditors(self) -> None:
        """What an internal audit's auditors miss of what the referential asks (trained,
        independent of the scope), shown under the fields; the audit may be created all the same."""
        tree = self.trees.get(self.choice("referential"))
        try:
            day = check_date(self.value("date"))
        except UserError:
            day = None  # said when the audit is created
        found = None if tree is None else attempt(self, lambda: auditor_warnings(
            self.workspace, tree, self.choice("kind"), self.picked.id if self.picked else None,
            day, self.value("auditors").split(","), self.value("scope")))
        text = Text()
        if found is not None and found[1]:
            rule, warnings = found
            text.append(f"⚠ {clean(rule)}", style="bold")
            for warning in warnings:
                text.append(f"\n  • {clean(warning)}")
        self.query_one("#auditor-check", Static).update(text)

    def suggest(self, typed: str) -> None:
        """The structures whose name holds what is typed (without accents or case); the one of
        exactly that name is picked at once, any other only with ↓ ↑."""
        words = fold(typed).split()
        matches = [row for row in self.structures if all(word in fold(row.name) for word in words)]
        suggestions = self.query_one("#suggestions", OptionList)
        suggestions.clear_options()
        suggestions.add_options([Option(self.label(row), id=row.id) for row in matches[:SUGGESTIONS]])
        suggestions.display = bool(words) and bool(matches)
        named = [index for index, row in enumerate(matches[:SUGGESTIONS]) if fold(row.name) == fold(typed.strip())]
        kept = [index for index in named if self.picked is not None and matches[index].id == self.picked.id]
        exact = (kept or named or [None])[0]
        suggestions.highlighted = exact
        self.pick(matches[exact] if exact is not None else None)

    @staticmethod
    def label(row: StructureRow) -> Text:
        text = Text(clean(row.name), style="bold")
        text.append(f"  {clean(row.siae_type or 'sans type')} · {row.audits} audit(s)", style="dim")
        return text

    def action_suggest(self, step: int) -> None:
        """↓ ↑ in the name move through the suggestions; the one highlighted is the structure."""
        suggestions = self.query_one("#suggestions", OptionList)
        if not suggestions.display or not suggestions.option_count:
            return
        current = suggestions.highlighted
        index = (0 if step > 0 else suggestions.option_count - 1) if current is None else current + step
        if 0 <= index < suggestions.option_count:
            suggestions.highlighted = index
            chosen = suggestions.get_option_at_index(index).id
            self.pick(next(row for row in self.structures if row.id == chosen))
        else:
            suggestions.highlighted = None
            self.pick(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "suggest":
            return getattr(self.focused, "id", None) == "org"
        return super().check_action(action, parameters)

    def pick(self, row: StructureRow | None) -> None:
        """Say which structure the audit will be on; an existing one gives its type."""
        self.picked = row
        typed = self.value("org")
        if row is not None:
            choice = Text("Structure existante : ", style="bold")
            choice.append(clean(row.name))
            if row.siae_type:
                choice.append(f" ({clean(row.siae_type)})")
                tree = self.trees.get(self.choice("referential"))
                if tree is not None and any(t.id == row.siae_type for t in tree.referential.siae_types):
                    self.query_one("#siae_type", Choice).value = row.siae_type
        elif typed:
            choice = Text("Nouvelle structure : ", style="bold")
            choice.append(f"« {clean(typed)} » sera créée")
        else:
            choice = Text("")
        self.query_one("#structure-choice", Static).update(choice)
        self.update_previous()
        self.check_auditors()

    def action_next_field(self) -> None:
        """Entrée on a highlighted suggestion takes its name, then moves on."""
        if self.picked is not None and getattr(self.focused, "id", None) == "org":
            field = self.query_one("#org", Input)
            if field.value != self.picked.name:
                field.value = self.picked.name  # its Changed keeps the pick: the name is exact
                field.cursor_position = len(self.picked.name)
        super().action_next_field()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """A click on a suggestion picks it, as ↓ then Entrée would."""
        row = next(row for row in self.structures if row.id == event.option.id)
        self.pick(row)
        self.query_one("#org", Input).value = row.name

    def update_types(self) -> None:
        """Offer only the structure types the chosen referential defines."""
        tree = self.trees.get(self.choice("referential"))
        types = tree.referential.siae_types if tree else []
        field = self.query_one("#siae_type", Choice)
        field.prompt = "— choisir le type —" if types or tree is None else "sans objet pour ce référentiel"
        picked_type = self.picked.siae_type if self.picked is not None else None
        field.set_options([(plain(f"{t.id} — {t.label}"), t.id) for t in types], picked_type)
        field.disabled = not types

    def update_kinds(self) -> None:
        """Offer the kinds of audit the chosen referential is made for; keep a kind the auditor
        chose if it is among them, else propose the referential's default (an autodiagnostic for
        a self-assessment grid, an internal audit otherwise)."""
        tree = self.trees.get(self.choice("referential"))
        kinds = kinds_offered(tree.referential) if tree else list(KINDS)
        field = self.query_one("#kind", Choice)
        proposed = default_kind(tree.referential) if tree else "internal"
        kept = field.value if self.kind_chosen and field.value in kinds else proposed
        field.set_options([(KINDS[kind], kind) for kind in kinds], kept)

    def is_last_field(self, widget) -> bool:
        return widget.id == "scope"

    def submit_form(self) -> None:
        self.action_create()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "create":
            self.action_create()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def value(self, field: str) -> str:
        return self.query_one(f"#{field}", Input).value.strip()

    def choice(self, field: str) -> str | None:
        return self.query_one(f"#{field}", Choice).value

    def action_create(self) -> None:
        """The service checks every field; the form only asks for a referential to be chosen."""
        referential = self.choice("referential")
        if referential is None:
            self.show_error("referential", "Choisir le référentiel de l'audit.")
            return
        picked = self.picked
        try:
            header = create_audit(self.workspace, referential, None if picked else self.value("org"),
                                  self.choice("kind"), structure=picked.id if picked else None,
                                  siae_type=self.choice("siae_type"), audit_date=self.value("date"),
                                  end_date=self.value("end_date") or None,
                                  auditors=self.value("auditors").split(","), scope=self.value("scope"),
                                  from_audit=self.choice("from") or None)
        except REFUSALS as exc:
            message = describe(exc)
            self.show_error(next((field for words, field in REFUSAL_FIELDS if words in message.lower()), None),
                            message)
            return
        self.dismiss(header.id)

    def show_error(self, field: str | None, message: str) -> None:
        self.query_one("#error", ErrorLine).show(message)
        # Also notified: seen even at 80×24, where the error line is below the fold.
        self.notify(message, title="Audit non créé", severity="error", markup=False)
        for widget in self.query(".invalid"):
            widget.remove_class("invalid")
        if field:
            target = self.query_one(f"#{field}")
            target.add_class("invalid")
            self.set_focus(target)  # now: `focus()` waits for the keys typed after ctrl+s to go elsewhere
