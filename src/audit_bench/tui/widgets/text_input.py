"""A one-line text field that never sends a pasted control character to the terminal."""

from __future__ import annotations

from typing import Any

from rich.highlighter import Highlighter
from rich.text import Text
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input

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
