"""The key line at the bottom of every screen."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from audit_bench.tui.keys import screen_actions


class KeyBar(Static):
    """One line listing the screen's keys, as Textual's Footer would, in a single widget (the
    Footer mounts one widget per key, which weighs on the start-up budget)."""

    DEFAULT_CSS = "KeyBar { height: 1; background: $panel; color: $text-muted; padding: 0 1; }"

    def on_mount(self) -> None:
        self.call_after_refresh(self.show_keys)

    def show_keys(self) -> None:
        text = Text()
        for action in screen_actions(self.screen):
            if action.node is self.app and action.action != "help":
                continue
            text.append(action.keys.split(" ")[0], style="bold")
            text.append(f" {action.description}  ")
        text.append("ctrl+p", style="bold")
        text.append(" palette")
        self.update(text, layout=False)  # one line, always
