"""The walk repaints only what a key changed: what is on screen after each key is what a full
repaint would show, and moving between requirements lays nothing out."""

from __future__ import annotations

import asyncio

from audit_bench.services.audits import create_audit, open_audit
from test_tui_journeys import app_for


def screen_text(app) -> list[str]:
    """The screen as painted: each widget's rows as they were last drawn."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


async def repainted_text(pilot) -> list[str]:
    """The screen once every widget is drawn again from scratch."""
    for widget in pilot.app.screen.walk_children():
        for drawn in (widget, widget._vertical_scrollbar):
            if drawn is not None:
                drawn.refresh()
    await pilot.pause()
    return screen_text(pilot.app)


def test_each_key_leaves_on_screen_what_a_full_repaint_shows(workspace_factory):
    asyncio.run(_each_key_as_a_full_repaint(workspace_factory))


async def _each_key_as_a_full_repaint(workspace_factory):
    workspace = workspace_factory()
    header = create_audit(workspace, "essai", "Chantier du Val", "internal", "ACI", "2026-10-01", ["Claire Martin"])
    with open_audit(workspace, header.id) as session:  # long texts beside short ones, some rows alike
        for requirement, count in (("1.2", 20), ("1.3", 12), ("1.4", 3), ("2.2", 20)):
            for number in range(1, count + 1):
                session.add_evidence(requirement, f"Compte rendu d'entretien n° {number}", location="classeur RH")
    app = app_for(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        for key in ["down"] * 8 + ["up"] * 3 + ["1", "2", "u", "down", "1"]:
            await pilot.press(key)
            await pilot.pause()
            painted = screen_text(app)
            assert painted == await repainted_text(pilot), key
        app.screen.select("1.2")  # its panel scrolled to the end, then the next requirement from its top
        for key in ["tab", "end", "shift+tab", "down", "up"]:
            await pilot.press(key)
            await pilot.pause()
            if key == "end":
                assert app.screen.query_one("#detail").scroll_offset.y > 0
            painted = screen_text(app)
            assert painted == await repainted_text(pilot), key


def test_moving_between_requirements_lays_nothing_out(workspace_factory):
    asyncio.run(_no_layout_on_moves(workspace_factory))


async def _no_layout_on_moves(workspace_factory):
    workspace = workspace_factory()
    header = create_audit(workspace, "essai", "Chantier du Val", "internal", "ACI", "2026-10-01", ["Claire Martin"])
    with open_audit(workspace, header.id) as session:  # 1.2 overflows its panel, 1.1 and 1.3 fit
        for number in range(1, 21):
            session.add_evidence("1.2", f"Compte rendu d'entretien n° {number}", location="classeur RH")
    app = app_for(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        layouts = []
        refresh_layout = screen._refresh_layout
        screen._refresh_layout = lambda *args, **kwargs: layouts.append(args) or refresh_layout(*args, **kwargs)
        for key in ["down", "down", "up", "up", "down", "1", "u", "down"]:
            await pilot.press(key)
            await pilot.pause()
        assert layouts == []
