"""The text fields: one line that never sends a pasted control character to the terminal, and
a multi-line box for long text."""

from __future__ import annotations

from typing import Any

from rich.highlighter import Highlighter
from rich.text import Text
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input, TextArea
from textual.widgets.text_area import Edit, EditResult

_PICTURES = {code: chr(0x2400 + code) for code in range(0x20) if code not in (0x09, 0x0A)}
_PICTURES |= {0x7F: "\u2421"} | {code: "\ufffd" for code in range(0x80, 0xA0)}
"""Each control character as one visible symbol (ESC as ␛), so the cursor stays where it was."""


class ControlPictures(Highlighter):
    """Shows the control characters of a field's value as symbols, in reverse video."""

    def highlight(self, text: Text) -> None:
        original = text.plain
        shown = original.translate(_PICTURES)
        if shown == original:
            return
        text.plain = shown
        for index, char in enumerate(original):
            if ord(char) in _PICTURES:
                text.stylize("reverse", index, index + 1)


class TextInput(Input):
    """An Input whose value keeps what was pasted (ESC ] 0 ; … included), so the service can refuse
    it and say why, while the screen shows each control character as a symbol."""

    DEFAULT_CSS = "TextInput { overflow-x: hidden; }"
    """The field follows its cursor by itself: no horizontal scrollbar (Input's is zero cells high)
    to come and go with the length of the text, each time laying the screen out again."""

    virtual_size = Reactive(Size(0, 0))
    """The scrollable width follows the text, but the field keeps its size: a new value repaints
    the field (Input's own lays the whole screen out again, at every key typed or constat shown)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, highlighter=ControlPictures(), **kwargs)


def control_pictures(text: str) -> str:
    """`text` with each control character (but tab and newline) as its visible symbol; a carriage
    return as a new line."""
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_PICTURES)


class TextBox(TextArea):
    """A multi-line field for what an auditor writes at length (a constat, an écart, an action):
    Entrée starts a new line, long lines wrap, Tab moves to the next field. A TextArea draws the
    characters it holds as they are: so a control character, stored (by hand, by an older
    version) or pasted, is held as its symbol (ESC as ␛), never sent to the terminal."""

    TAKES_TEXT = True
    """Printable keys go to the field, never to a binding (see AuditBenchApp.release_held_keys)."""

    DEFAULT_CSS = """
TextBox {
    height: 6;
}

TextBox.-textual-compact {
    height: 3;
}
"""

    def __init__(self, text: str = "", *, placeholder: str = "", id: str | None = None) -> None:
        text = control_pictures(text)
        super().__init__(text, soft_wrap=True, tab_behavior="focus", show_line_numbers=False,
                         highlight_cursor_line=False, placeholder=placeholder, id=id)
        self.initial = text

    def on_mount(self) -> None:
        self.move_cursor(self.document.end)  # writing on from the text already there

    def edit(self, edit: Edit) -> EditResult:
        """Every change (typed, pasted, undone) goes through here."""
        edit.text = control_pictures(edit.text)
        return super().edit(edit)

    @property
    def value(self) -> str:
        return self.text.strip()

    def would_lose_text(self) -> bool:
        """Whether closing now would lose text typed in this field."""
        return self.text.strip() != self.initial.strip()
