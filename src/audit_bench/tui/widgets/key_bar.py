"""The key line at the bottom of every screen."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from audit_bench.tui.keys import ScreenAction, screen_actions

MORE = "toutes les touches"


class KeyBar(Static):
    """One line listing the screen's keys, as Textual's Footer would, in a single widget (the
    Footer mounts one widget per key, which weighs on the start-up budget). Keys a screen leaves
    out (`show=False`) are only in the help; those that do not fit are too, and the line then
    ends with « ? toutes les touches ». An unavailable key is shown struck through."""

    DEFAULT_CSS = "KeyBar { height: 1; background: $panel; color: $text-muted; padding: 0 1; }"

    def on_mount(self) -> None:
        self.call_after_refresh(self.show_keys)

    def on_resize(self) -> None:
        self.show_keys()

    def show_keys(self) -> None:
        actions = [action for action in screen_actions(self.screen)
                   if action.shown and (action.node is not self.app or action.action == "help")]
        keys = [action for action in actions if action.action != "help"]
        help_key = next((action for action in actions if action.action == "help"), None)
        width = self.content_size.width or self.app.size.width - 2
        text = Text()
        for index, action in enumerate(keys):
            entry = _entry(action)
            tail = _tail(help_key, MORE if index + 1 < len(keys) else None)
            if text.cell_len + entry.cell_len + tail.cell_len > width:
                text.append_text(_tail(help_key, MORE))
                break
            text.append_text(entry)
        else:
            text.append_text(_tail(help_key, None))
        self.update(text, layout=False)  # one line, always


def _entry(action: ScreenAction, description: str | None = None) -> Text:
    style = "" if action.enabled else "strike dim"
    text = Text()
    text.append(action.keys.split(" ")[0], style=f"bold {style}".strip())
    text.append(f" {description or action.description}", style=style)
    text.append("  ")
    return text


def _tail(help_key: ScreenAction | None, more: str | None) -> Text:
    """The end of the line: the help key (« toutes les touches » when some were left out), the palette."""
    text = Text()
    if help_key is not None:
        text.append_text(_entry(help_key, more))
    text.append("ctrl+p", style="bold")
    text.append(" palette")
    return text
