"""The Textual application: a thin face over the services.

Only the Accueil is imported at start; the other screens (and reportlab, behind the report
service) are imported when first opened, to keep the cold start close to a bare Textual app.
"""

from __future__ import annotations

import asyncio
import gc
from collections import deque
from datetime import date
from pathlib import Path
from typing import Callable, Iterable

from textual import events
from textual._styles_cache import StylesCache
from textual.app import App, SystemCommand
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.screen import Screen

from textual.widgets import Input

from audit_bench.services import Workspace
from audit_bench.tui.keys import screen_actions
from audit_bench.tui.screens.home import HomeScreen
from audit_bench.tui.widgets.choice import Choice

TEXT_ENTRY = (Input, Choice)
"""Widgets that take printable keys as text: those keys go to them, not to the screen's bindings."""


def takes_text(widget) -> bool:
    """Whether printable keys go to `widget` as text: a TEXT_ENTRY, or a widget that says so with
    `TAKES_TEXT` (the multi-line TextBox, loaded with the first form rather than at start)."""
    return isinstance(widget, TEXT_ENTRY) or getattr(widget, "TAKES_TEXT", False)
SETTLE_TURNS = 4
"""Turns of the event loop given after each key: enough for a key to reach its widget and for a
message it sends (a row chosen, a form saved) to reach the screen that handles it."""
OPENING_POLL_SECONDS = 0.005


class AuditBenchApp(App):
    """audit-bench: the workspace's audits, the walk, écarts and actions, the synthesis."""

    TITLE = "audit-bench"
    ENABLE_COMMAND_PALETTE = True
    COMMAND_PALETTE_BINDING = "ctrl+p"
    BINDINGS = [
        Binding("question_mark,f1", "help", "Aide"),
        Binding("ctrl+q", "quit", "Quitter", show=False, priority=True),
    ]

    def __init__(self, workspace: Workspace, today: Callable[[], date] = date.today) -> None:
        self.collector_paused = gc.isenabled()
        """The cyclic collector waits until the first screen is painted: a full collection walked the
        ~38,000 objects of the imported modules (15–20 ms) just before the first frame. It is only
        postponed: nothing is frozen, and what became garbage meanwhile is collected once it resumes."""
        gc.disable()
        super().__init__()
        self.workspace = workspace
        self.today = today
        self.sub_title = str(workspace.path)
        self.held_keys: deque[events.Key] = deque()
        self.settled_screen: Screen | None = None
        """The screen known to be mounted with its focus set; keys wait until the current one is."""

    async def on_event(self, event: events.Event) -> None:
        """Keys typed by the terminal go through `release_held_keys`, one at a time, in order."""
        if isinstance(event, events.Key) and not event.is_forwarded:
            self.held_keys.append(event)
            if len(self.held_keys) == 1:
                await self.release_held_keys()
            return
        await super().on_event(event)

    async def release_held_keys(self) -> None:
        """Give each typed key its full effect before the next one: a fast typist's letters land
        in the field or dialog the previous key opened, never on the screen behind.

        Textual forwards a key to the focused widget and runs the screen's bindings only when the
        key has bubbled back to the app, behind the keys typed since; and a dialog is mounted, and
        its focus set, in later turns of the loop. So a key waits here while the screen is still
        opening (the hop through the queue after its mount lets the focus its `on_mount` asked for
        be set first); a key that is not text for a text field runs its binding at once; and after
        each key the other widgets get a few turns of the loop to handle what it sent them."""
        while self.held_keys:
            screen = self.screen
            if not screen.is_mounted:
                self.set_timer(OPENING_POLL_SECONDS, self.release_held_keys)
                return
            if screen is not self.settled_screen:
                self.settled_screen = screen
                self.call_later(self.release_held_keys)
                return
            key = self.held_keys.popleft()
            if (key.is_printable and takes_text(self.focused)) or not (
                    await self._check_bindings(key.key, priority=True) or await self._check_bindings(key.key)):
                await super().on_event(key)
            for _ in range(SETTLE_TURNS):
                if self.screen is not screen:
                    break
                await asyncio.sleep(0)

    def pop_screen(self) -> AwaitComplete:
        """Close the top screen, and let its widgets' rendered lines go with it: Textual's
        `StylesCache.get_inner_outer` is an `lru_cache` on a method, so its 1,024 keys hold the
        StylesCache of widgets long removed, each with every line it rendered (the memory of
        the app grew by about half a megabyte per audit opened and closed, up to 1,024 widgets)."""
        closing = super().pop_screen()
        StylesCache.get_inner_outer.cache_clear()
        return closing

    def on_mount(self) -> None:
        self.call_after_refresh(self.resume_collector)

    def on_unmount(self) -> None:
        self.resume_collector()  # an app closed before its first paint leaves the collector as it was

    def resume_collector(self) -> None:
        if self.collector_paused:
            self.collector_paused = False
            gc.enable()

    def get_default_screen(self) -> Screen:
        """The Accueil is the base screen: one screen fewer to build before the first paint."""
        return HomeScreen(self.workspace)

    def open_registers(self, structure_id: str, register: str = "complaints", at: str | None = None) -> None:
        """Open a structure's registers on one tab (a key of `REGISTER_TABS`), from any screen;
        `at`: the record to put the cursor on (a complaint's id, an indicator's)."""
        from audit_bench.tui.screens.registers import StructureRegistersScreen

        self.push_screen(StructureRegistersScreen(self.workspace, structure_id, register, at))

    def open_reviews(self, structure_id: str) -> None:
        """Open a structure's revues de direction, from any screen."""
        from audit_bench.tui.screens.reviews import StructureReviewsScreen

        self.push_screen(StructureReviewsScreen(self.workspace, structure_id))

    def open_audit(self, audit_id: str, at: str | None = None) -> None:
        """Open an audit's walk (or say why not), from any screen that lists audits; `at`: the
        requirement to select (an écart's, from the plan)."""
        from audit_bench.services.audits import open_audit
        from audit_bench.tui.refusals import attempt
        from audit_bench.tui.registry import load_registry
        from audit_bench.tui.screens.walk import WalkScreen

        load_registry(self.workspace)
        session = attempt(self.screen, lambda: open_audit(self.workspace, audit_id))
        if session is not None:
            walk = WalkScreen(session)
            self.push_screen(walk)
            if at is not None:
                walk.call_after_refresh(walk.select, at)

    def action_command_palette(self) -> None:
        """ctrl+p: the current screen's actions by their French names."""
        from textual.command import CommandPalette

        from audit_bench.tui.palette import FrenchCommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(FrenchCommandPalette())

    def action_help(self) -> None:
        from audit_bench.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
            return
        self.push_screen(HelpScreen(self.screen))

    async def action_quit(self) -> None:
        """Save whatever is being typed in a walk before leaving: quitting loses nothing."""
        for screen in reversed(self.screen_stack):
            flush = getattr(screen, "flush_pending_edits", None)
            if flush is not None:
                flush()
        self.exit()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette offers the current screen's actions: the same as its keys, in French, the
        rating keys of a walk included (« Coter « Conforme » »)."""
        for action in screen_actions(screen):
            if action.enabled:  # not the changes to a closed audit
                yield SystemCommand(action.description, f"touche {action.keys}",
                                    _runner(action.node, action.action))
        rating_help = getattr(screen, "rating_help", None)
        for key, description in rating_help() if rating_help is not None else []:
            if screen.check_action("rate", (key,)):
                yield SystemCommand(description, f"touche {key}", _runner(screen, f"rate('{key}')"))


def _runner(node, action: str):
    async def run() -> None:
        await node.run_action(action)

    return run


def run(folder: Path) -> None:
    AuditBenchApp(Workspace(folder)).run()
