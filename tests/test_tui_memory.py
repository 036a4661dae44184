"""Memory of the TUI: an audit opened and closed leaves nothing of its screen behind."""

from __future__ import annotations

import asyncio
import gc

from textual.strip import Strip

from audit_bench.services.audits import create_audit
from test_tui_journeys import SIZE, app_for

AUDITS = 6


def strips_alive() -> int:
    gc.collect()
    return sum(isinstance(o, Strip) for o in gc.get_objects())


def test_the_lines_a_closed_walk_drew_are_not_kept(workspace_factory):
    asyncio.run(_walks_opened_and_closed(workspace_factory))


async def _walks_opened_and_closed(workspace_factory):
    workspace = workspace_factory()
    for day in range(1, AUDITS + 1):
        create_audit(workspace, "essai", "Chantier du Val", "internal", "ACI", f"2026-10-{day:02d}", ["Claire Martin"])
    async with app_for(workspace).run_test(size=SIZE) as pilot:
        await pilot.pause()
        alive = []
        for _ in range(AUDITS):
            await pilot.press("enter", "down")  # the walk, and a line or two drawn again
            await pilot.pause()
            await pilot.press("escape", "down")
            await pilot.pause()
            alive.append(strips_alive())
        # Each walk draws a few thousand lines; what stays must not grow with the walks opened.
        assert alive[-1] - alive[1] < 200, alive
