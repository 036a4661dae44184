"""A workspace holding one damaged file of every kind among good audits: each damaged file costs
its own row, every good audit still lists, opens, rates and reports, in the CLI and the TUI. And
two `demo` at once never duplicate an audit."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys

from audit_bench.services import Workspace, list_audits
from audit_bench.services.audits import audit_path, create_audit
from audit_bench.tui.app import AuditBenchApp
from test_hostile_store import DAMAGES
from test_tui_journeys import SIZE, TODAY, make_workspace

GOOD = ("Atelier du Port", "Régie de Quartier", "Chantier des Saules")


def damaged_workspace(workspace: Workspace) -> tuple[list[str], dict[str, str]]:
    """Three good audits and one audit file per kind of damage; returns (good ids, damage → id)."""
    good = [create_audit(workspace, "essai", name, "internal", "ACI", "2026-10-01").id for name in GOOD]
    damaged = {}
    for n, (damage, make) in enumerate(DAMAGES.items()):
        audit_id = create_audit(workspace, "essai", f"Chantier abîmé {n}", "internal", "ACI", "2026-09-01").id
        path = audit_path(workspace, audit_id)
        path.write_bytes(make(path))
        damaged[damage] = audit_id
    return good, damaged


def test_every_damaged_file_costs_its_row_and_every_good_audit_still_works(tmp_path, cli):
    workspace = make_workspace(tmp_path)
    good, damaged = damaged_workspace(workspace)
    cli.workspace = workspace.path
    listed = json.loads(cli("audits", "--json").stdout)
    assert sorted(row["id"] for row in listed["audits"]) == sorted(good)
    errors = {row["id"]: row["error"] for row in listed["errors"]}
    assert set(errors) == set(damaged.values())
    assert all(f"{audit_id}.json" in errors[audit_id] and "\n" not in errors[audit_id] for audit_id in errors)
    for audit_id in good:
        cli("assess", audit_id, "1.1", "C", "--note", "Livret remis.")
        assert json.loads(cli("show", audit_id, "--json").stdout)["progress"]["assessed"] == 1
        report = tmp_path / f"{audit_id}.pdf"
        cli("report", audit_id, "-o", str(report))
        assert report.read_bytes().startswith(b"%PDF")
    for audit_id in damaged.values():
        refused = cli("show", audit_id, check=False)
        assert refused.returncode == 1 and refused.stderr.count("\n") == 1


def test_the_app_starts_on_a_damaged_workspace_and_opens_a_good_audit(tmp_path):
    workspace = make_workspace(tmp_path)
    good, damaged = damaged_workspace(workspace)
    asyncio.run(_app_on_damaged(workspace, len(good) + len(damaged)))


async def _app_on_damaged(workspace: Workspace, rows: int) -> None:
    app = AuditBenchApp(workspace, today=lambda: TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#audits")
        assert table.row_count == rows, "every file is a row, damaged or not"
        first_good = next(i for i in range(table.row_count) if "illisible" not in str(table.get_row_at(i)[0]))
        table.move_cursor(row=first_good)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.title == "Parcours"


def test_two_demos_at_once_never_duplicate_an_audit(tmp_path, cli):
    cli.workspace = tmp_path / "ws"
    command = [sys.executable, "-m", "audit_bench", "--workspace", str(cli.workspace), "demo", "--plugin", "mini"]
    runs = [subprocess.Popen(command, env=cli.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(3)]
    created = [run.communicate(timeout=60)[0].split() for run in runs]
    assert all(run.returncode == 0 for run in runs)
    assert sum(len(ids) for ids in created) == 1, "exactly one process created the demo audit"
    assert len(list_audits(Workspace(cli.workspace))) == 1
