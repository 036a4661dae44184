"""Snapshots of the main screens at 80×24 and 120×40 (each SVG was looked at before committing)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from audit_bench.services import clock
from audit_bench.services.demo import load_demo
from audit_bench.tui.app import AuditBenchApp
from support import until
from test_tui_journeys import TODAY, make_workspace, rated_audit

SIZES = [(80, 24), (120, 40)]


class Stopped(datetime):
    """The clock of the records' time stamps, stopped: a rating's history shows the same time on
    every run."""

    @classmethod
    def now(cls, tz=None):
        return datetime(2026, 10, 1, 9, 30, tzinfo=tz)


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch):
    """A workspace on `./ws`, so the path the title bar shows is the same on every machine, and
    records stamped at the same time on every run."""
    monkeypatch.setattr(clock, "datetime", Stopped)
    monkeypatch.chdir(tmp_path)
    workspace = make_workspace(Path("."))
    workspace.path = Path("ws")
    return workspace


def app_on(workspace) -> AuditBenchApp:
    return AuditBenchApp(workspace, today=lambda: TODAY)


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_first_run(snap_compare, workspace, size):
    assert snap_compare(app_on(workspace), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_home_with_audits(snap_compare, workspace, size):
    rated_audit(workspace)
    load_demo(workspace)

    async def counted(pilot):
        """The « À surveiller » line is counted in a thread after the first paint."""
        await until(pilot, lambda: pilot.app.screen.query_one("#watch").display, "the home's « À surveiller »")
        await pilot.pause()

    assert snap_compare(app_on(workspace), terminal_size=size, run_before=counted)


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_new_audit_form_with_a_refusal(snap_compare, workspace, size):
    async def fill(pilot):
        await pilot.press("n")
        await pilot.pause()
        pilot.app.screen.query_one("#referential").value = "essai"
        await pilot.press("ctrl+s")
        await pilot.pause()

    assert snap_compare(app_on(workspace), terminal_size=size, run_before=fill)


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_walk(snap_compare, workspace, size):
    rated_audit(workspace)

    async def open_on_rated_requirement(pilot):
        await pilot.press("enter")
        await pilot.pause()
        pilot.app.screen.select("1.2")
        await pilot.pause()

    assert snap_compare(app_on(workspace), terminal_size=size, run_before=open_on_rated_requirement)


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_findings_and_actions(snap_compare, workspace, size):
    rated_audit(workspace)
    assert snap_compare(app_on(workspace), terminal_size=size, press=["enter", "a", "down"])


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_synthesis(snap_compare, workspace, size):
    rated_audit(workspace)
    assert snap_compare(app_on(workspace), terminal_size=size, press=["enter", "s"])
