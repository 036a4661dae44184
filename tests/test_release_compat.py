"""A workspace written by the previous release opens with nothing lost (tests/data/release_0_1_0)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from support import as_before, tree_digest

RELEASE = Path(__file__).parent / "data" / "release_0_1_0"
EXPECTED = RELEASE / "expected"
KEPT = ("id", "referential", "org", "siae_type", "kind", "date", "end_date", "auditors", "status", "progress",
        "assessments", "evidence", "findings")
"""What `show --json` printed that is the audit's own data; scores and pending follow today's rules."""


@pytest.fixture
def old_workspace(tmp_path: Path) -> Path:
    workspace = tmp_path / "ws"
    shutil.copytree(RELEASE / "workspace", workspace)
    for path in workspace.rglob("*"):
        path.chmod(0o700 if path.is_dir() else 0o600)  # git keeps no modes; the release wrote these
    return workspace


def _expected_ids() -> list[str]:
    return [row["id"] for row in json.loads((EXPECTED / "audits.json").read_text(encoding="utf-8"))["audits"]]


def test_every_audit_of_the_previous_release_lists_and_shows_the_same(old_workspace, cli):
    cli.workspace = old_workspace
    listed = json.loads(cli("audits", "--json").stdout)
    expected_rows = json.loads((EXPECTED / "audits.json").read_text(encoding="utf-8"))["audits"]
    assert listed["errors"] == []
    keys = ("id", "referential", "org", "siae_type", "kind", "date", "status", "assessed", "total")
    assert sorted([{k: r[k] for k in keys} for r in listed["audits"]], key=lambda r: r["id"]) == \
        sorted([{k: r[k] for k in keys} for r in expected_rows], key=lambda r: r["id"])
    for audit_id in _expected_ids():
        shown = json.loads(cli("show", audit_id, "--json").stdout)
        before = json.loads((EXPECTED / f"show-{audit_id}.json").read_text(encoding="utf-8"))
        assert {k: as_before(shown[k], before[k]) for k in KEPT} == {k: before[k] for k in KEPT}, audit_id


def test_reading_the_previous_release_writes_nothing_and_reports_print(old_workspace, cli, tmp_path):
    cli.workspace = old_workspace
    before = {name: digest for name, digest in tree_digest(old_workspace).items()}
    for audit_id in _expected_ids():
        cli("show", audit_id)
        cli("report", audit_id, "-o", str(tmp_path / f"{audit_id}.pdf"))
        assert (tmp_path / f"{audit_id}.pdf").read_bytes().startswith(b"%PDF")
    after = tree_digest(old_workspace)
    assert {k: v for k, v in after.items() if k in before} == before, "reading changed a file of the release"


def test_a_write_to_a_previous_release_audit_keeps_everything_else(old_workspace, cli):
    cli.workspace = old_workspace
    audit_id = "2026-03-10-les-jardins-du-moulin-vert-ebe8"
    before = json.loads((EXPECTED / f"show-{audit_id}.json").read_text(encoding="utf-8"))
    cli("assess", audit_id, "3.2", "conforme", "--note", "Manuel qualité relu sur place.")
    shown = json.loads(cli("show", audit_id, "--json").stdout)
    kept = [a for a in shown["assessments"] if a["requirement"] != "3.2"]
    earlier = [a for a in before["assessments"] if a["requirement"] != "3.2"]
    assert as_before(kept, earlier) == earlier and all(a["history"] == [] for a in kept)
    assert as_before(shown["evidence"], before["evidence"]) == before["evidence"]
    assert as_before(shown["findings"], before["findings"]) == before["findings"]
    assert any(e["sha256"] for e in shown["evidence"]), "the attached file of the release is still referenced"
