"""The keys a screen answers to, described in French: for the key bar, the help and the palette."""

from __future__ import annotations

from typing import Any

import msgspec
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen


class ScreenAction(msgspec.Struct, frozen=True):
    """A Struct, not a dataclass: a frozen dataclass costs ~0.6 ms of the TUI's start."""

    keys: str
    description: str
    action: str
    node: Any
    enabled: bool = True
    """False: shown as unavailable (a change to a closed audit)."""
    shown: bool = True
    """False: left out of the key bar (too many for one line), still in the help and the palette."""


def screen_actions(screen: Screen) -> list[ScreenAction]:
    """The described actions a screen (and the app) answer to, one entry per action, for the help
    screen and the command palette. Keys of the widgets inside (Tree, DataTable) are left out,
    except a panel's that declares `SCREEN_KEYS` (a register's tab: its keys are the screen's)."""
    app = screen.app
    grouped: dict[tuple[int, str], list[str]] = {}
    described: dict[tuple[int, str], tuple[str, Any, bool, bool]] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not binding.description or not _speaks_for_screen(active.node) or binding.id == "rate":
            continue
        if binding.action not in _own_actions(type(active.node)):
            continue  # Textual's built-in keys (focus next, copy text) are not the app's actions
        slot = (id(active.node), binding.action)
        display = app.get_key_display(binding) if binding.key_display is None else binding.key_display
        grouped.setdefault(slot, [])
        if display not in grouped[slot]:
            grouped[slot].append(display)
        described.setdefault(slot, (binding.description, active.node, active.enabled, binding.show))
    return [ScreenAction(" ".join(grouped[slot]), description, slot[1], node, enabled, shown)
            for slot, (description, node, enabled, shown) in described.items()]


def _own_actions(node_class: type) -> set[str]:
    """Actions bound by audit-bench's own classes (not Textual's Screen and App)."""
    actions = set()
    for klass in node_class.__mro__:
        if klass.__module__.startswith("audit_bench."):
            actions.update(b.action for b in klass.__dict__.get("BINDINGS", []) if isinstance(b, Binding))
    return actions


def _speaks_for_screen(node: Any) -> bool:
    return isinstance(node, (Screen, App)) or getattr(node, "SCREEN_KEYS", False)
