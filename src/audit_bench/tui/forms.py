"""The form machinery: fields that Entrée moves through, modal forms that submit through a use
case and show its refusal in place, and the small dialogs (confirm, search, a page of text, items
carried over)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from audit_bench.services.errors import REFUSALS
from audit_bench.tui.refusals import describe
from audit_bench.tui.text import clean, plain
from audit_bench.tui.widgets.button_row import ButtonRow
from audit_bench.tui.widgets.choice import Choice
from audit_bench.tui.widgets.error_line import ErrorLine
from audit_bench.tui.widgets.text_input import TextBox, TextInput


class EnterMovesOn:
    """Mixin for forms: Entrée in a text field moves to the next field at once, so the keys typed
    right after it land in that field; from the last field it saves, once the keys typed before it
    are in. (A plain Input.Submitted handler runs later, and a fast typist's next word would land
    in the previous field.)"""

    ENTER_BINDING = Binding("enter", "next_field", show=False, priority=True)
    FIELD_BINDINGS = [
        ENTER_BINDING,
        # Tab too must act before the keys typed after it reach the field (a plain, bubbling Tab
        # arrives late and a fast typist's next field lands in this one).
        Binding("tab", "app.focus_next", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", show=False, priority=True),
    ]

    def is_last_field(self, widget) -> bool:
        raise NotImplementedError

    def submit_form(self) -> None:
        raise NotImplementedError

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_field":
            return isinstance(self.focused, (Input, Choice))
        return True

    def action_next_field(self) -> None:
        field = self.focused
        if self.is_last_field(field):
            field.call_later(self.submit_form)
        else:
            self.focus_next()


@dataclass
class Field:
    """One field of a form: a text field, or a Choice among `options` ((value, label) pairs) when
    given; `multiline` for text written at length (a constat, an écart, an action)."""

    id: str
    label: str
    value: str = ""
    placeholder: str = ""
    options: list[tuple[str, str]] | None = None
    required: bool = False
    multiline: bool = False


@dataclass
class FormSpec:
    title: str
    fields: list[Field]
    submit: Callable[[dict[str, str]], Any]
    """Called with the values; returns the dialog's result, or raises a refusal shown in place."""
    context: Text | None = None
    submit_label: str = "Enregistrer"
    focus: str | None = None
    """The field to start in (default: the first)."""


class Dialog(ModalScreen[Any]):
    """Base of the dialogs: their look, loaded with the first dialog rather than at start."""

    DEFAULT_CSS = """
Dialog {
    align: center middle;
}

.dialog {
    width: 76;
    max-width: 96%;
    height: auto;
    max-height: 96%;
    border: thick $accent;
    background: $surface;
    padding: 0 1;
}

.dialog-title {
    margin-bottom: 1;
}

.dialog-context {
    color: $text-muted;
    max-height: 4;
    margin-bottom: 1;
}

.dialog-fields {
    height: auto;
    max-height: 20;
}

.dialog Label {
    color: $text-muted;
}

.dialog.search {
    height: 80%;
}

.dialog.search #results {
    height: 1fr;
}

.dialog.page {
    height: 80%;
}

.dialog.page #page-body {
    height: 1fr;
}

.dialog.confirm {
    width: 60;
    padding: 1 2;
}
"""


COMPACT_BELOW = 34
"""Terminal rows under which form fields are drawn without borders (one line each, not three)."""
MAX_FIELD_ROWS = 20
DIALOG_CHROME_ROWS = 11
"""Rows around the fields: borders and the screen's margin, title, error line, buttons."""


MULTILINE_HINT = "  Entrée : à la ligne · ctrl+s : enregistrer"


class FormDialog(EnterMovesOn, Dialog):
    """Enter moves to the next field and saves from the last (in a multi-line field it starts a
    new line); ctrl+s saves; Échap cancels, asking first if long text typed would be lost."""

    BINDINGS = [
        *EnterMovesOn.FIELD_BINDINGS,
        # ↓ ↑ from a text field move between fields, as in a spreadsheet; a Choice keeps them for its values.
        Binding("down", "field(1)", show=False, priority=True),
        Binding("up", "field(-1)", show=False, priority=True),
        Binding("escape", "cancel", "Annuler"),
        # Not a priority binding: the key then waits behind the text typed before it, so a fast
        # typist's ctrl+s never saves half a sentence.
        Binding("ctrl+s", "submit", "Enregistrer"),
    ]

    def __init__(self, spec: FormSpec) -> None:
        super().__init__()
        self.spec = spec

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(clean(self.spec.title), style="bold"), classes="dialog-title")
            if self.spec.context is not None:
                yield Static(self.spec.context, classes="dialog-context")
            with VerticalScroll(classes="dialog-fields"):
                for spec in self.spec.fields:
                    label = Text(spec.label + (" *" if spec.required else ""))
                    if spec.multiline:
                        label.append(MULTILINE_HINT, style="dim")
                    yield Label(label)
                    if spec.multiline:
                        yield TextBox(spec.value, placeholder=spec.placeholder, id=spec.id)
                    elif spec.options is not None:
                        yield Choice([(plain(label), value) for value, label in spec.options],
                                     value=spec.value or spec.options[0][0], id=spec.id)
                    else:
                        yield TextInput(spec.value, placeholder=spec.placeholder, id=spec.id)
            yield ErrorLine(id="dialog-error")
            with ButtonRow():
                yield Button(f"{self.spec.submit_label} (ctrl+s)", id="submit", variant="primary")
                yield Button("Annuler (échap)", id="cancel")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "field":
            return isinstance(self.focused, Input)
        return super().check_action(action, parameters)

    def action_field(self, step: int) -> None:
        self.focus_next() if step > 0 else self.focus_previous()

    def on_mount(self) -> None:
        self.fit_height()
        self.query_one(f"#{self.spec.focus or self.spec.fields[0].id}").focus()

    def on_resize(self) -> None:
        self.fit_height()

    def fit_height(self) -> None:
        """Keep the error line and the buttons on screen: on a short terminal the fields lose
        their borders, and scroll when even that is too high."""
        height = self.app.size.height
        compact = height < COMPACT_BELOW
        for spec in self.spec.fields:
            field = self.query_one(f"#{spec.id}")
            if isinstance(field, (Input, TextArea)):
                field.compact = compact
            else:
                field.set_class(compact, "-textual-compact")
        context = 2 if self.spec.context is not None else 0
        fields = self.query_one(".dialog-fields")
        fields.styles.max_height = max(3, min(MAX_FIELD_ROWS, height - DIALOG_CHROME_ROWS - context))

    def values(self) -> dict[str, str]:
        values = {}
        for spec in self.spec.fields:
            widget = self.query_one(f"#{spec.id}")
            values[spec.id] = str(widget.value).strip() if isinstance(widget, Input) else widget.value
        return values

    def is_last_field(self, widget) -> bool:
        return widget.id == self.spec.fields[-1].id

    def submit_form(self) -> None:
        self.action_submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "submit":
            self.action_submit()
        else:
            self.action_cancel()

    def action_submit(self) -> None:
        try:
            result = self.spec.submit(self.values())
        except REFUSALS as exc:
            self.query_one("#dialog-error", ErrorLine).show(describe(exc))
            return
        self.dismiss(result)

    def would_lose_text(self) -> bool:
        return any(box.would_lose_text() for box in self.query(TextBox))

    def action_cancel(self) -> None:
        if not self.would_lose_text():
            self.dismiss(None)
            return
        question = Text("Abandonner le texte saisi ? Il n'est pas enregistré.")
        self.app.push_screen(ConfirmDialog(question, hint="Entrée : abandonner · Échap : reprendre la saisie"),
                             lambda yes: self.dismiss(None) if yes else None)

    def flush_pending_edits(self) -> None:
        """On quit, save the long text typed (quitting loses nothing), if the form accepts it."""
        if self.would_lose_text():
            try:
                self.spec.submit(self.values())
            except REFUSALS:
                pass


class ConfirmDialog(Dialog):
    """A yes/no question answered with one key: Entrée for yes, Échap for no. No letter answers
    it: the text an auditor was typing when it opened (a constat after a rating) is swallowed
    here, never taken as an answer, nor as keys of the screen behind."""

    BINDINGS = [
        Binding("enter", "answer(True)", "Oui", priority=True),
        Binding("escape", "answer(False)", "Non"),
    ]

    def __init__(self, question: Text, hint: str = "Entrée : oui · Échap : plus tard") -> None:
        super().__init__()
        self.question = question
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog confirm"):
            yield Static(self.question)
            yield Static(Text(self.hint, style="dim"))

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class SearchDialog(Dialog):
    """`/`: search the requirements' texts as you type; Entrée goes to the highlighted result."""

    BINDINGS = [
        Binding("escape", "cancel", "Fermer"),
        Binding("down", "focus_results", show=False),
    ]

    def __init__(self, search: Callable[[str], list], query: str = "") -> None:
        super().__init__()
        self.search = search
        self.query_text = query

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog search"):
            yield Static(Text("Rechercher dans les exigences et ce qui en est écrit", style="bold"), classes="dialog-title")
            yield TextInput(self.query_text, placeholder="mots à chercher (sans accents ni majuscules)", id="query")
            yield Static(id="search-count")
            yield OptionList(id="results")

    def on_mount(self) -> None:
        self.query_one("#query").focus()
        self.update_results(self.query_text)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.update_results(event.value)

    def update_results(self, query: str) -> None:
        hits = self.search(query)
        results = self.query_one("#results", OptionList)
        results.clear_options()
        for hit in hits:
            label = Text(f"{clean(hit.node.id)}  ", style="bold")
            label.append(clean(hit.excerpt))
            results.add_option(Option(label, id=hit.node.id))
        if hits:
            results.highlighted = 0
        found = {0: "Aucun résultat", 1: "1 résultat"}.get(len(hits), f"{len(hits)} résultats")
        count = f"{found} (exigences, constats, preuves, écarts)" if query.strip() else "Tapez un ou plusieurs mots."
        self.query_one("#search-count", Static).update(count)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        results = self.query_one("#results", OptionList)
        if results.highlighted is not None:
            self.dismiss(results.get_option_at_index(results.highlighted).id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_focus_results(self) -> None:
        self.query_one("#results").focus()

    def action_cancel(self) -> None:
        self.dismiss(None)


class TextDialog(Dialog):
    """A scrollable page of reference text (the glossary, the help), closed with Échap; with
    `narrow`, a field above it keeps only what matches the words typed."""

    BINDINGS = [Binding("escape,q", "close", "Fermer")]

    def __init__(self, title: str, body: Text, narrow: Callable[[str], Text] | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.body = body
        self.narrow = narrow

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog page"):
            yield Static(Text(clean(self.title_text), style="bold"), classes="dialog-title")
            if self.narrow is not None:
                yield TextInput(placeholder="filtrer : mots à chercher (sans accents ni majuscules)", id="narrow")
            with VerticalScroll(id="page-body"):
                yield Static(self.body, id="page-text")
            yield Static(Text("Échap : fermer", style="dim"))

    def on_mount(self) -> None:
        self.query_one("#narrow" if self.narrow is not None else "#page-body").focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.narrow is not None:
            self.query_one("#page-text", Static).update(self.narrow(event.value))

    def action_close(self) -> None:
        self.dismiss(None)


class CarryDialog(Dialog):
    """Items to carry over (the previous audit's evidence of a requirement): Entrée carries the
    highlighted one, t all the others; each carried is marked; Échap closes."""

    BINDINGS = [
        Binding("t", "carry_all", "Toutes"),
        Binding("escape", "close", "Fermer"),
    ]

    def __init__(self, title: str, items: list[tuple[str, str]], carried: Callable[[], set[str]],
                 carry: Callable[[list[str]], bool]) -> None:
        """`items`: (id, label); `carried()`: the ids carried already; `carry(ids)`: carry those,
        False when refused (the refusal is told)."""
        super().__init__()
        self.title_text = title
        self.items = items
        self.carried = carried
        self.carry = carry

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog search"):
            yield Static(Text(clean(self.title_text), style="bold"), classes="dialog-title")
            yield OptionList(id="results")
            yield Static(Text("Entrée : reprendre · t : toutes · Échap : fermer", style="dim"))

    def on_mount(self) -> None:
        self.show_items()
        self.query_one("#results").focus()

    def show_items(self) -> None:
        done = self.carried()
        results = self.query_one("#results", OptionList)
        highlighted = results.highlighted
        results.clear_options()
        for item_id, label in self.items:
            line = Text(f"{clean(item_id)}  ", style="bold")
            line.append(clean(label))
            if item_id in done:
                line.append("  ✓ reprise", style="green")
            results.add_option(Option(line, id=item_id))
        results.highlighted = highlighted if highlighted is not None else 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if self.carry([event.option.id]):
            self.show_items()

    def action_carry_all(self) -> None:
        done = self.carried()
        left = [item_id for item_id, _ in self.items if item_id not in done]
        if left and self.carry(left):
            self.show_items()

    def action_close(self) -> None:
        self.dismiss(None)
