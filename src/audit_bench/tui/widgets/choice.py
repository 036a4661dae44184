"""A field holding one of a few values, changed in place with the keys that type it.

Textual's Select opens an overlay on Entrée and takes the arrows only once that overlay has the
focus; keys typed faster than it opens landed elsewhere (a form saved without its role, a screen
opened twice). Here every key acts at once on the field that has the focus: ↓ ↑ (or → ←) step
through the values, letters jump to the first label that starts with them, and Entrée is left to
the form, which moves to the next field as from a text field."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from audit_bench.services.text import fold
from audit_bench.tui.text import clean


class Choice(Widget, can_focus=True):
    """`value` is one of the options' values, or None while a `prompt` asks for a choice."""

    DEFAULT_CSS = """
Choice {
    background: $surface;
    color: $foreground;
    border: tall $border-blurred;
    padding: 0 2;
    width: 100%;
    height: 3;
}

Choice:focus {
    border: tall $border;
    background-tint: $foreground 5%;
}

Choice.-textual-compact {
    border: none;
    height: 1;
    padding: 0;
}

Choice:disabled {
    color: $text-disabled;
}
"""

    BINDINGS = [
        Binding("down,right,space", "step(1)", "Suivant", show=False),
        Binding("up,left", "step(-1)", "Précédent", show=False),
        Binding("home", "jump(0)", show=False),
        Binding("end", "jump(-1)", show=False),
    ]

    value: reactive[str | None] = reactive(None, layout=False)

    class Changed(Message):
        """The value changed (by a key, a click or the screen)."""

        def __init__(self, choice: Choice, value: str | None) -> None:
            super().__init__()
            self.choice = choice
            self.value = value

        @property
        def control(self) -> Choice:
            return self.choice

    def __init__(self, options: list[tuple[str | Text, str]], value: str | None = None, *, prompt: str | None = None,
                 id: str | None = None) -> None:
        """`options` are (label, value) pairs; without a prompt the first is chosen by default."""
        super().__init__(id=id)
        self.prompt = prompt
        self.options: list[tuple[str, str]] = []
        self.typed = ""
        """The letters typed since the last step, matched against the start of the labels."""
        self.set_options(options, value)

    def set_options(self, options: list[tuple[str | Text, str]], value: str | None = None) -> None:
        """Replace the values offered; keep `value` (or the current one) when it is still among them."""
        self.options = [(label.plain if isinstance(label, Text) else label, option_value)
                        for label, option_value in options]
        values = [option_value for _, option_value in self.options]
        keep = value if value is not None else self.value
        if keep in values:
            chosen = keep
        elif self.prompt is None and values:
            chosen = values[0]
        else:
            chosen = None
        self.set_reactive(Choice.value, chosen)
        self.typed = ""
        self.refresh()

    def validate_value(self, value: str | None) -> str | None:
        values = [option_value for _, option_value in self.options]
        if value in values or (value is None and self.prompt is not None):
            return value
        return self.value

    def watch_value(self, value: str | None) -> None:
        self.post_message(self.Changed(self, value))

    def index(self) -> int | None:
        values = [option_value for _, option_value in self.options]
        return values.index(self.value) if self.value in values else None

    def render(self) -> Text:
        index = self.index()
        if index is None:
            return Text(clean(self.prompt or ""), style="dim")
        text = Text(clean(self.options[index][0]))
        if len(self.options) > 1:
            text.append(f"   ↑↓ {index + 1}/{len(self.options)}", style="dim")
        return text

    def action_step(self, step: int) -> None:
        if not self.options:
            return
        index = self.index()
        start = (-1 if step > 0 else 0) if index is None else index
        self.value = self.options[(start + step) % len(self.options)][1]
        self.typed = ""

    def action_jump(self, index: int) -> None:
        if self.options:
            self.value = self.options[index][1]
            self.typed = ""

    def on_key(self, event) -> None:
        """A letter or digit jumps to the first label starting with the letters typed so far;
        one that extends no label starts the match over, from the next label with that letter."""
        if event.character is None or not event.is_printable or event.character == " ":
            return
        event.stop()
        event.prevent_default()
        labels = [fold(label) for label, _ in self.options]
        typed = fold(self.typed + event.character)
        matches = [index for index, label in enumerate(labels) if label.startswith(typed)]
        if not matches:
            typed = fold(event.character)
            current = self.index() or 0
            order = list(range(current + 1, len(labels))) + list(range(current + 1))
            matches = [index for index in order if labels[index].startswith(typed)]
        if matches:
            self.typed = typed
            self.value = self.options[matches[0]][1]
        else:
            self.typed = ""
            self.app.bell()

    def on_click(self) -> None:
        self.action_step(1)
