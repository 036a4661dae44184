"""The command palette (ctrl+p) speaks French and runs the walk's actions, rating included."""

from __future__ import annotations

import asyncio

from textual.command import CommandInput, CommandList

from audit_bench.services.audits import open_audit
from test_tui_journeys import SIZE, app_for, rated_audit, type_text


def palette_texts(app) -> list[str]:
    options = app.screen.query_one(CommandList)
    return [str(options.get_option_at_index(index).prompt) for index in range(options.option_count)]


def test_the_palette_speaks_french_and_rates_the_requirement_by_the_scale_label(workspace_factory):
    asyncio.run(_palette(workspace_factory))


async def _palette(workspace_factory):
    workspace = workspace_factory()
    audit_id = rated_audit(workspace)  # 1.1 to 1.3 rated: the walk opens on 1.4
    async with app_for(workspace).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert pilot.app.screen.query_one(CommandInput).placeholder.startswith("Chercher une action")
        await type_text(pilot, "zzqx")
        await pilot.pause(0.8)
        assert any("Aucune action ne correspond" in text for text in palette_texts(pilot.app))
        for _ in range(4):
            await pilot.press("backspace")
        await type_text(pilot, "partiel")
        await pilot.pause(0.3)
        assert any("Coter « Partiel »" in text for text in palette_texts(pilot.app))
        await pilot.press("enter")
        await pilot.pause()
    with open_audit(workspace, audit_id, write=False) as session:
        assert session.snapshot().assessment_map()["1.4"].rating == "P"
