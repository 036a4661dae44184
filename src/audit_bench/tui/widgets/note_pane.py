"""The walk's constat line: the note of the requirement shown, or why an editing key opened nothing."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Static

from audit_bench.tui.text import clean

PLACEHOLDER = "Constat : n pour l'écrire"


class NotePane(Static):
    """Shows the constat on one line (the whole text is in its editor, key n). When a key that
    opens an editor cannot open it here (a section selected, the audit closed), the pane says so
    in place and takes the focus: the text typed next is swallowed by it, never read as keys,
    until ↑ ↓ (back to the tree, moving), Entrée or Échap (back to the tree)."""

    TAKES_TEXT = True
    """While it has the focus, printable keys come here, not to the screen's bindings."""

    DEFAULT_CSS = """
NotePane {
    height: 3;
    border: tall $border-blurred;
    padding: 0 1;
    text-wrap: nowrap;
    text-overflow: ellipsis;
}

NotePane:focus {
    border: tall $warning;
    height: auto;
    max-height: 6;
    text-wrap: wrap;
}
"""

    BINDINGS = [
        Binding("escape,enter", "leave", "Revenir à l'arborescence", show=False),
        Binding("up", "leave('cursor_up')", show=False),
        Binding("down", "leave('cursor_down')", show=False),
    ]

    can_focus = False

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.note: str | None = ""
        self.refusal: str | None = None

    def show_note(self, note: str | None) -> None:
        """The constat shown, or None: a section is selected (it has none)."""
        self.note = note
        text = self.note_text()
        if self.refusal is None and text != self.content:  # most requirements show the same placeholder
            self.update(text, layout=False)

    def note_text(self) -> Text:
        if self.note is None:
            return Text("Une section : les constats s'écrivent sur ses exigences.", style="dim")
        if not self.note:
            return Text(PLACEHOLDER, style="dim")
        return Text(clean(" ⏎ ".join(line.strip() for line in self.note.strip().splitlines())))

    def refuse(self, message: str) -> None:
        """Say in place why the key opened nothing, and swallow what is typed after it."""
        self.refusal = message
        text = Text(clean(message), style="bold")
        text.append("\n↑ ↓ : choisir une exigence · Échap : revenir. Ce qui est tapé ici est ignoré.",
                    style="dim")
        self.update(text)  # on two lines, while it has the focus
        self.can_focus = True
        self.screen.set_focus(self)  # now, not after the keys already typed (as `focus()` would)

    def on_key(self, event) -> None:
        if event.is_printable:
            event.stop()
            event.prevent_default()

    def on_blur(self) -> None:
        self.refusal = None
        self.can_focus = False
        self.update(self.note_text())

    def action_leave(self, move: str | None = None) -> None:
        tree = self.screen.query_one("#tree")
        self.screen.set_focus(tree)
        if move is not None:
            getattr(tree, f"action_{move}")()
