"""Small pieces every screen shares: running a use case and showing its refusal, key listings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, TypeVar

from rich.text import Text
from textual.app import App
from textual.dom import DOMNode
from textual.screen import Screen

from audit_bench.referential import ReferentialError
from audit_bench.services import UserError
from audit_bench.store.errors import StoreError

T = TypeVar("T")
REFUSALS = (UserError, StoreError, ReferentialError, OSError)
"""What a use case raises on bad input or an unusable file: shown to the user, never a crash."""


def attempt(node: DOMNode, use_case: Callable[[], T]) -> T | None:
    """Run a use case; on refusal, tell the user why (as plain text) and return None."""
    try:
        return use_case()
    except REFUSALS as exc:
        node.app.notify(describe(exc), title="Refusé", severity="error", markup=False, timeout=8)
        return None


def describe(exc: BaseException) -> str:
    if isinstance(exc, OSError) and not isinstance(exc, StoreError) and exc.strerror:
        return f"{exc.strerror} : {exc.filename or ''}"
    message = str(exc)
    return message[:1].upper() + message[1:]


@dataclass(frozen=True)
class ScreenAction:
    keys: str
    description: str
    action: str
    node: Any


def screen_actions(screen: Screen) -> list[ScreenAction]:
    """The described actions a screen (and the app) answer to, one entry per action, for the help
    screen and the command palette. Keys of the widgets inside (Tree, DataTable) are left out."""
    app = screen.app
    grouped: dict[tuple[int, str], list[str]] = {}
    described: dict[tuple[int, str], tuple[str, Any]] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not binding.description or not isinstance(active.node, (Screen, App)) or binding.id == "rate":
            continue
        slot = (id(active.node), binding.action)
        display = app.get_key_display(binding) if binding.key_display is None else binding.key_display
        grouped.setdefault(slot, [])
        if display not in grouped[slot]:
            grouped[slot].append(display)
        described.setdefault(slot, (binding.description, active.node))
    return [ScreenAction(" ".join(grouped[slot]), description, slot[1], node)
            for slot, (description, node) in described.items()]


def plain(value: object) -> Text:
    """User or referential text as a Text, so `[b]` in a note is shown, not parsed as markup."""
    return Text("" if value is None else str(value))


def percent_text(assessed: int, total: int) -> str:
    share = round(100 * assessed / total) if total else 0
    return f"{assessed}/{total} · {share}\u00a0%"
