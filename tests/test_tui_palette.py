"""The command palette (ctrl+p) speaks French and runs the walk's actions, rating included."""

from __future__ import annotations

import asyncio

from textual.command import CommandInput, CommandList

from audit_bench.services.audits import open_audit
from support import until
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
        await until(pilot, lambda: any("Aucune action ne correspond" in text for text in palette_texts(pilot.app)),
                    "the palette saying nothing matches")
        for _ in range(4):
            await pilot.press("backspace")
        await type_text(pilot, "partiel")
        await until(pilot, lambda: any("Coter « Partiel »" in text for text in palette_texts(pilot.app)[:1]),
                    "« Partiel » offered first")
        await pilot.press("enter")
        await pilot.pause()
    with open_audit(workspace, audit_id, write=False) as session:
        assert session.snapshot().assessment_map()["1.4"].rating == "P"


def test_the_synthesis_completes_the_audit_header_in_a_form(workspace_factory):
    asyncio.run(_header(workspace_factory))


async def _header(workspace_factory):
    workspace = workspace_factory()
    audit_id = rated_audit(workspace)
    async with app_for(workspace).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter", "s")
        await pilot.pause()
        assert "Lieu         non précisé" in pilot.app.screen.query_one("#summary-text").content.plain
        await pilot.press("i")
        await pilot.pause()
        await type_text(pilot, "Marseille")
        await pilot.press("enter")
        await type_text(pilot, "Preparer le renouvellement")
        await pilot.press("enter", "enter")
        await type_text(pilot, "02/10/2026")
        await pilot.press("enter", "enter")  # the auditors stay as they were; Entrée saves from the last field
        await pilot.pause()
        summary = pilot.app.screen.query_one("#summary-text").content.plain
        assert "Lieu         Marseille" in summary and "Dernier jour 2026-10-02" in summary
    with open_audit(workspace, audit_id, write=False) as session:
        header = session.snapshot().header
    assert (header.place, header.objectives, header.end_date, header.auditors) == (
        "Marseille", "Preparer le renouvellement", "2026-10-02", ["Claire Martin"])
