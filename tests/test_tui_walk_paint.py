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


def test_the_cursor_entering_or_leaving_a_section_repaints_its_line_alone(workspace_factory):
    asyncio.run(_section_moves(workspace_factory))


async def _section_moves(workspace_factory):
    workspace = workspace_factory()
    create_audit(workspace, "essai", "Chantier du Val", "internal", "ACI", "2026-10-01", ["Claire Martin"])
    app = app_for(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        tree = app.screen.requirement_tree
        app.screen.select("1.1")
        await pilot.pause()
        repainted_rows = []
        refresh = tree.refresh
        tree.refresh = lambda *regions, **kwargs: repainted_rows.extend(r.height for r in regions) or refresh(
            *regions, **kwargs)
        sections_crossed = 0
        for key in ["up", "down", "up", "up", "down", "down"] + ["down"] * 6 + ["up"] * 6:
            repainted_rows.clear()
            await pilot.press(key)
            await pilot.pause()
            if tree.cursor_node.children:
                sections_crossed += 1
                assert sum(repainted_rows) <= 2, (key, tree.cursor_node.data)
            painted = styled_lines(app, tree)
            assert painted == styled_lines(app, tree, repaint=True), (key, tree.cursor_node.data)
        assert sections_crossed >= 4


def styled_lines(app, widget, repaint: bool = False) -> list[list[tuple[str, object]]]:
    """The widget's rows as on screen, each as (text, style) runs; after drawing it from scratch
    when `repaint` (the colours of a line the key did not repaint would differ)."""
    if repaint:
        widget._styles_cache.clear()
        widget._line_cache.clear()
    region = widget.region
    rows = app.screen._compositor.render_strips()[region.y:region.bottom]
    return [[(segment.text, segment.style) for segment in row.crop(region.x, region.right)] for row in rows]
