"""The app's top-level areas, each one keystroke from the Accueil.

An area whose issue has not landed is not listed (no dead keys): adding one is one entry here.
Screens are named by module and class, imported on first use, so the Accueil starts light.
"""

from __future__ import annotations

from importlib import import_module

import msgspec


class Area(msgspec.Struct, frozen=True):
    """A Struct, not a dataclass: a frozen dataclass costs ~0.6 ms of the TUI's start."""

    key: str
    label: str
    screen: str | None
    """`module:Class` of the area's screen, built with the workspace; None: the Accueil's own list."""

    def screen_class(self) -> type:
        module, name = self.screen.split(":")
        return getattr(import_module(module), name)

    @property
    def short(self) -> str:
        """The label in a narrow terminal: its first word (« Plan »)."""
        return self.label.split(" ")[0]


AREAS: list[Area] = [
    Area("a", "Audits", None),
    Area("s", "Structures", "audit_bench.tui.screens.structures:StructuresScreen"),
    Area("p", "Plan d'amélioration", "audit_bench.tui.screens.plan:PlanScreen"),
    Area("r", "Registres", "audit_bench.tui.screens.structures:RegistersScreen"),
    Area("g", "Agenda", "audit_bench.tui.screens.agenda:AgendaScreen"),
    Area("v", "Revue de direction", "audit_bench.tui.screens.structures:ReviewsScreen"),
]
