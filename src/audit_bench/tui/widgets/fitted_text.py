"""A few lines of text whose height follows the text, laid out only when that height changes."""

from __future__ import annotations

from rich.text import Text
from textual.visual import visualize
from textual.widgets import Static


class FittedText(Static):
    """A `height: auto` Static updated in place: a new text of as many lines as the one shown
    repaints this widget alone, where `Static.update` lays the whole screen out again (in the
    walk, at every key). A text that wraps to more or fewer lines is laid out as usual."""

    DEFAULT_CSS = "FittedText { height: auto; }"

    def show_text(self, text: Text) -> None:
        if text == self.content:
            return
        width = self.content_size.width
        same_height = width > 0 and visualize(self, text).get_height(self.styles, width) == self.content_size.height
        self.update(text, layout=not same_height)
