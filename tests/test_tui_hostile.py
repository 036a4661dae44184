"""Hostile data in the TUI: text stored by hand (or by an older version) never drives the terminal,
names derived from a file's content never lead a write outside the workspace."""

from __future__ import annotations

import asyncio
import json
import os
import stat
from pathlib import Path

import pytest
from textual import events
from textual.widgets import Input

from audit_bench.services import Workspace
from audit_bench.services.audits import open_audit
from test_tui_journeys import SIZE, app_for, rated_audit, shown, type_text

HOSTILE = "\x1b]0;x\x07 \x1b[2J"
"""Retitles the terminal (OSC 0 … BEL), then clears it (CSI 2 J)."""
SHOWN = "\\x1b]0;x\\x07 \\x1b[2J"
"""The same, as the screens must show it."""


def screen_text(app) -> str:
    """The text of every cell of the current screen, as it would be sent to the terminal."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def assert_no_raw_controls(app, where: str) -> str:
    text = screen_text(app)
    assert "\x1b" not in text and "\x07" not in text, f"raw control character on {where}"
    return text


def edit_audit(workspace: Workspace, audit_id: str, change) -> None:
    """Edit an audit file by hand, as a user with a text editor (or an older version) could."""
    path = workspace.path / f"{audit_id}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


def hostile_audit(workspace: Workspace) -> str:
    audit_id = rated_audit(workspace)
    with open_audit(workspace, audit_id) as session:
        session.add_evidence("1.1", "Livret d'accueil")

    def poison(data: dict) -> None:
        data["header"]["1"]["org"] = f"Chantier {HOSTILE} du Val"
        data["header"]["1"]["auditors"] = [f"Claire {HOSTILE}"]
        data["assessments"]["1"].update(note=f"Livret {HOSTILE} remis.", by=f"Claire {HOSTILE}")
        data["evidence"]["1"]["title"] = f"Livret {HOSTILE}"
        data["findings"]["1"]["text"] = f"Entretiens {HOSTILE} non tracés"
        data["actions"]["1"]["owner"] = f"Direction {HOSTILE}"

    edit_audit(workspace, audit_id, poison)
    for record in (workspace.path / "structures").glob("*.json"):
        record.unlink()  # as the previous release wrote it: the structure is the audit's org
    return audit_id


def test_stored_control_characters_are_shown_escaped_on_every_screen(workspace_factory):
    asyncio.run(_stored_control_characters(workspace_factory))


async def _stored_control_characters(workspace_factory):
    workspace = workspace_factory()
    audit_id = hostile_audit(workspace)
    async with app_for(workspace).run_test(size=SIZE) as pilot:
        app = pilot.app
        await pilot.pause()
        assert f"Chantier {SHOWN}"[:20] in assert_no_raw_controls(app, "the home")
        await pilot.press("enter")
        await pilot.pause()
        app.screen.select("1.1")
        await pilot.pause()
        text = assert_no_raw_controls(app, "the walk")
        assert f"Chantier {SHOWN} du Val" in text
        detail = shown(app, "#detail")
        assert f"Livret {SHOWN}" in detail and f"par Claire {SHOWN}" in detail
        assert app.screen.query_one("#note").note == f"Livret {HOSTILE} remis."  # kept, shown escaped
        assert f"Livret {SHOWN} remis." in shown(app, "#note")
        app.screen.select("1.2")
        await pilot.pause()
        assert f"Entretiens {SHOWN} non tracés" in shown(app, "#detail")
        assert f"Direction {SHOWN}" in shown(app, "#detail")
        await pilot.press("a")
        await pilot.pause()
        assert f"Entretiens {SHOWN}"[:20] in assert_no_raw_controls(app, "the écarts")
        await pilot.press("down")
        await pilot.pause()
        assert f"Direction {SHOWN}" in assert_no_raw_controls(app, "an action")
        await pilot.press("escape", "s")
        await pilot.pause()
        assert f"Chantier {SHOWN} du Val" in assert_no_raw_controls(app, "the synthesis")
    with open_audit(workspace, audit_id, write=False) as session:
        note = session.snapshot().assessment_map()["1.1"].note
    assert note == f"Livret {HOSTILE} remis."  # leaving the constat unchanged wrote nothing back


def test_typed_control_characters_are_refused_in_place_and_never_echoed_raw(workspace_factory):
    asyncio.run(_typed_control_characters(workspace_factory))


async def _typed_control_characters(workspace_factory):
    workspace = workspace_factory()
    rated_audit(workspace)
    async with app_for(workspace).run_test(size=SIZE) as pilot:
        app = pilot.app
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#referential").value = "essai"
        await pilot.pause()
        app.screen.query_one("#org", Input).value = "Chantier du Val"
        app.screen.query_one("#siae_type").value = "AI"
        date_input = app.screen.query_one("#date", Input)
        date_input.value = ""
        date_input.focus()
        date_input.post_message(events.Paste(f"2026{HOSTILE}"))  # a paste is the way a control character is typed
        await pilot.pause()
        assert date_input.value == f"2026{HOSTILE}"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.title == "Nouvel audit"
        assert f"« 2026{SHOWN} »" in shown(app, "#error")
        assert "␛]0;x" in assert_no_raw_controls(app, "the new-audit form")  # the field shows ESC as ␛
        await pilot.press("escape")
        await pilot.pause()

        await pilot.press("enter", "p")
        await pilot.pause()
        await type_text(pilot, "Livret")
        file_input = app.screen.query_one("#file", Input)
        file_input.focus()
        file_input.post_message(events.Paste(f"/nulle/part/{HOSTILE}.pdf"))
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.title is None or app.screen.title != "Parcours"  # the form stays open
        assert f"/nulle/part/{SHOWN}.pdf" in shown(app, "#dialog-error")
        assert_no_raw_controls(app, "the evidence form")


@pytest.mark.parametrize("hostile_date", ["../../x", "ABSOLUTE"])
def test_the_proposed_report_is_named_after_a_safe_slug_inside_the_reports_folder(
        workspace_factory, tmp_path: Path, hostile_date: str):
    """The date the proposed report is named after is read from the file's content: a hand-edited
    `../../x` or absolute path must not lead the report (or its folder) outside `<workspace>/rapports`."""
    outside = tmp_path / "dehors"
    hostile_date = str(outside / "x") if hostile_date == "ABSOLUTE" else hostile_date
    workspace = workspace_factory()
    audit_id = rated_audit(workspace)
    edit_audit(workspace, audit_id, lambda data: data["header"]["1"].update(date=hostile_date))
    previous = os.umask(0)  # the reports folder is private whatever the umask
    try:
        asyncio.run(_write_report(workspace))
    finally:
        os.umask(previous)
    reports = workspace.path / "rapports"
    [report] = list(reports.iterdir())
    assert report.read_bytes().startswith(b"%PDF") and report.name.endswith("x.pdf")
    assert stat.S_IMODE(reports.stat().st_mode) == 0o700
    assert not outside.exists() and not (tmp_path / "x.pdf").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["essai.yaml", "ws"]


async def _write_report(workspace: Workspace) -> None:
    app = app_for(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "s")
        await pilot.pause()
        await pilot.press("r", "enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any("Rapport écrit" in n.message for n in app._notifications), \
            [n.message for n in app._notifications]


def test_a_report_name_linked_outside_the_reports_folder_is_refused(workspace_factory, tmp_path: Path):
    workspace = workspace_factory()
    rated_audit(workspace)
    target = tmp_path / "ailleurs.pdf"
    target.write_text("précieux", encoding="utf-8")
    (workspace.path / "rapports").mkdir(mode=0o700)
    link = workspace.path / "rapports" / "chantier-du-val-2026-10-01.pdf"
    link.symlink_to(target)
    asyncio.run(_refused_report(workspace))
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "précieux"


async def _refused_report(workspace: Workspace) -> None:
    app = app_for(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "s", "r", "enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        [refusal] = [n for n in app._notifications if n.title == "Rapport non généré"]
        assert "lien symbolique" in refusal.message
