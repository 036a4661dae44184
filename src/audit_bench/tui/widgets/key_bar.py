"""The key line at the bottom of every screen."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from audit_bench.tui.keys import ScreenAction, screen_actions

GAP = "  "


class KeyBar(Static):
    """One line listing the screen's keys, as Textual's Footer would, in a single widget (the
    Footer mounts one widget per key, which weighs on the start-up budget). The screen's keys in
    its order, as many as fit, then « ? Aide » (which lists them all), then the palette if it
    fits; keys a screen leaves out (`show=False`) are only in the help. An unavailable key is
    shown struck through."""

    DEFAULT_CSS = "KeyBar { height: 1; background: $panel; color: $text-muted; padding: 0 1; }"

    def on_mount(self) -> None:
        self.call_after_refresh(self.show_keys)

    def on_resize(self) -> None:
        self.show_keys()

    def show_keys(self) -> None:
        actions = [action for action in screen_actions(self.screen) if action.shown]
        help_key = next((action for action in actions if action.node is self.app and action.action == "help"), None)
        width = self.content_size.width or self.app.size.width - 2
        help_entry = _entry(help_key) if help_key is not None else Text()
        text = Text()
        for action in actions:
            if action.node is self.app:
                continue
            entry = _entry(action)
            if text.cell_len + entry.cell_len + len(GAP) + help_entry.cell_len > width:
                break
            text.append_text(entry)
            text.append(GAP)
        text.append_text(help_entry)
        palette = Text.assemble(GAP if help_key is not None else "", ("ctrl+p", "bold"), " palette")
        if text.cell_len + palette.cell_len <= width:
            text.append_text(palette)
        self.update(text, layout=False)  # one line, always


def _entry(action: ScreenAction) -> Text:
    style = "" if action.enabled else "strike dim"
    text = Text()
    text.append(action.keys.split(" ")[0], style=f"bold {style}".strip())
    text.append(f" {action.description}", style=style)
    return text
