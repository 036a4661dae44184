"""The workspace of the last release before the improvement plan (audit format 2, structure
format 1; tests/data/format_2): it reads the same, reading writes nothing, and each file is
backed up before its first write."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import msgspec
import pytest

from audit_bench.store.migrations import AUDIT_FORMATS, STRUCTURE_FORMATS, backup_path
from support import as_before, tree_digest

FORMAT_2 = Path(__file__).parent / "data" / "format_2"
EXPECTED = FORMAT_2 / "expected"
AUDIT = "2026-06-15-atelier-du-format-deux-5dcf"
STRUCTURE = "atelier-du-format-deux-3fda72"
KEPT = ("id", "referential", "org", "structure", "siae_type", "kind", "date", "end_date", "auditors", "status",
        "progress", "assessments", "evidence", "findings")


@pytest.fixture
def old_workspace(tmp_path: Path) -> Path:
    workspace = tmp_path / "ws"
    shutil.copytree(FORMAT_2 / "workspace", workspace)
    for path in workspace.rglob("*"):
        path.chmod(0o700 if path.is_dir() else 0o600)  # git keeps no modes; the release wrote these
    return workspace


def _expected(name: str) -> dict:
    return json.loads((EXPECTED / name).read_text(encoding="utf-8"))


def _data_files(digest: dict[str, str]) -> dict[str, str]:
    """The files that hold data: not the index (a cache) nor lock files."""
    return {name: sha for name, sha in digest.items() if not name.startswith("index.") and not name.endswith(".lock")}


def _audit_ids() -> list[str]:
    return [row["id"] for row in _expected("audits.json")["audits"]]


def test_every_audit_and_structure_reads_the_same_and_reading_writes_nothing(old_workspace, cli):
    cli.workspace = old_workspace
    before = _data_files(tree_digest(old_workspace))
    for audit_id in _audit_ids():
        shown = json.loads(cli("show", audit_id, "--json").stdout)
        expected = _expected(f"show-{audit_id}.json")
        assert {k: as_before(shown[k], expected[k]) for k in KEPT} == {k: expected[k] for k in KEPT}, audit_id
    for row in _expected("structures.json")["structures"]:
        shown = json.loads(cli("structure", "show", row["id"], "--json").stdout)
        expected = _expected(f"structure-{row['id']}.json")
        keys = ("id", "name", "siae_type", "siret", "place", "created_at", "people", "certifications")
        assert {k: as_before(shown[k], expected[k]) for k in keys} == {k: expected[k] for k in keys}
    assert _data_files(tree_digest(old_workspace)) == before, "reading changed a file of the release"


def test_first_write_backs_up_the_audit_then_migrates_it_to_the_plan_format(old_workspace, cli):
    cli.workspace = old_workspace
    path = old_workspace / f"{AUDIT}.json"
    original = path.read_bytes()
    before = _data_files(tree_digest(old_workspace))
    cli("action-update", AUDIT, "A3", "--status", "done")
    assert backup_path(path, 2).read_bytes() == original
    migrated = msgspec.json.decode(path.read_bytes())
    assert migrated["meta"]["1"]["format"] == AUDIT_FORMATS.current == 3
    assert [(row["id"], row["source"], row["immediate_action"], row["root_cause"])
            for row in migrated["findings"].values()] == [("E1", "audit", "", ""), ("E2", "audit", "", "")]
    assert [(row["id"], row["type"], row["postponements"], row["verification_comment"])
            for row in migrated["actions"].values()] == [(f"A{n}", "corrective", [], "") for n in (1, 2, 3)]
    changed = {name for name, sha in _data_files(tree_digest(old_workspace)).items() if before.get(name) != sha}
    assert changed == {path.name, backup_path(path, 2).name}
    shown = json.loads(cli("show", AUDIT, "--json").stdout)
    expected = _expected(f"show-{AUDIT}.json")
    expected["findings"][1]["actions"][1]["status"] = "done"
    assert {k: as_before(shown[k], expected[k]) for k in KEPT} == {k: expected[k] for k in KEPT}


def test_first_write_backs_up_the_structure_then_migrates_it(old_workspace, cli):
    cli.workspace = old_workspace
    path = old_workspace / "structures" / f"{STRUCTURE}.json"
    original = path.read_bytes()
    cli("structure", "person", STRUCTURE, "--name", "Paul Girard", "--role", "auditeur-interne")
    assert backup_path(path, 1).read_bytes() == original
    migrated = msgspec.json.decode(path.read_bytes())
    assert migrated["meta"]["1"]["format"] == STRUCTURE_FORMATS.current == 2
    assert (migrated["findings"], migrated["actions"]) == ({}, {})
    shown = json.loads(cli("structure", "show", STRUCTURE, "--json").stdout)
    assert [p["name"] for p in shown["people"]] == ["Claire Martin", "Paul Girard"]
    assert shown["certifications"] == _expected(f"structure-{STRUCTURE}.json")["certifications"]
