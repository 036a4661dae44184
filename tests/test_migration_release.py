"""The workspace of release 0.1.0 (audit format 1) in the release with structures: its audits imply
their structures, reading writes nothing, and each file is backed up before its first write."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import msgspec
import pytest

from audit_bench.model import implied_structure_id
from audit_bench.services import Workspace
from audit_bench.services.audits import create_audit, open_audit
from audit_bench.services.listing import list_audits
from audit_bench.services.structures import edit_structure, list_structures, set_person, show_structure
from audit_bench.store.migrations import AUDIT_FORMATS, backup_path
from support import as_before, tree_digest

RELEASE = Path(__file__).parent / "data" / "release_0_1_0"
EXPECTED = RELEASE / "expected"
KEPT = ("id", "referential", "org", "siae_type", "kind", "date", "end_date", "auditors", "status", "progress",
        "assessments", "evidence", "findings")
"""What `show --json` printed that is the audit's own data (as in test_release_compat)."""
IAE_OS_AUDITS = ["2025-11-14-rebond-bois-services-9ab1", "2026-11-13-rebond-bois-services-48c2"]


@pytest.fixture
def old_workspace(tmp_path: Path) -> Path:
    workspace = tmp_path / "ws"
    shutil.copytree(RELEASE / "workspace", workspace)
    for path in workspace.rglob("*"):
        path.chmod(0o700 if path.is_dir() else 0o600)
    return workspace


def _expected_rows() -> list[dict]:
    return json.loads((EXPECTED / "audits.json").read_text(encoding="utf-8"))["audits"]


def _release_files(digest: dict[str, str]) -> dict[str, str]:
    """The files that hold data: not the index (a cache) nor lock files."""
    return {name: sha for name, sha in digest.items() if not name.startswith("index.") and not name.endswith(".lock")}


def _shown(cli, audit_id: str) -> dict:
    shown = json.loads(cli("show", audit_id, "--json").stdout)
    return {k: as_before(shown[k], value) for k, value in _expected_show(audit_id).items()}


def _expected_show(audit_id: str) -> dict:
    before = json.loads((EXPECTED / f"show-{audit_id}.json").read_text(encoding="utf-8"))
    return {k: before[k] for k in KEPT}


def test_the_release_implies_three_structures_and_listing_writes_none(old_workspace):
    before = tree_digest(old_workspace)
    view = list_structures(Workspace(old_workspace))
    rows = {(row.name, row.siae_type): row for row in view.structures}
    assert view.errors == []
    assert sorted(rows) == sorted({(r["org"], r["siae_type"]) for r in _expected_rows()})
    assert len(rows) == 3
    rebond = rows[("Rebond Bois Services", "EI")]
    assert (rebond.id, rebond.audits, rebond.last_audit) == (
        implied_structure_id("Rebond Bois Services", "EI"), 2, "2026-11-13")
    assert {row.id for row in view.structures} == {row.structure for row in list_audits(Workspace(old_workspace))}
    shown = show_structure(Workspace(old_workspace), rebond.id)
    assert sorted(a.id for a in shown.audits) == IAE_OS_AUDITS and shown.created_at is None
    after = tree_digest(old_workspace)
    assert _release_files(after) == _release_files(before), "listing changed or created a file"
    assert not (old_workspace / "structures").exists()


def test_first_write_backs_up_then_migrates_that_audit_only(old_workspace, cli):
    cli.workspace = old_workspace
    audit_id = "2026-03-10-les-jardins-du-moulin-vert-ebe8"
    path = old_workspace / f"{audit_id}.json"
    original = path.read_bytes()
    before = tree_digest(old_workspace)
    with open_audit(Workspace(old_workspace), audit_id) as session:
        session.rate("3.2", "conforme", "Manuel qualité relu sur place.")
    assert backup_path(path, 1).read_bytes() == original
    migrated = msgspec.json.decode(path.read_bytes())
    assert migrated["meta"]["1"]["format"] == AUDIT_FORMATS.current == 3
    assert migrated["header"]["1"]["structure"] == implied_structure_id("Les Jardins du Moulin Vert", "ACI")
    assert {row["source"] for row in migrated["findings"].values()} == {"audit"}
    assert {(row["type"], len(row["postponements"])) for row in migrated["actions"].values()} == {("corrective", 0)}
    changed = {name for name, sha in _release_files(tree_digest(old_workspace)).items() if before.get(name) != sha}
    assert changed == {path.name, backup_path(path, 1).name}
    for row in _expected_rows():
        if row["id"] != audit_id:
            assert _shown(cli, row["id"]) == _expected_show(row["id"])
    shown = _shown(cli, audit_id)
    expected = _expected_show(audit_id)
    assert [a for a in shown["assessments"] if a["requirement"] != "3.2"] == \
        [a for a in expected["assessments"] if a["requirement"] != "3.2"]
    assert (shown["evidence"], shown["findings"], shown["org"]) == (expected["evidence"], expected["findings"],
                                                                  expected["org"])


def test_editing_an_implied_structure_makes_its_file_and_renames_both_evaluations(old_workspace, cli):
    cli.workspace = old_workspace
    workspace = Workspace(old_workspace)
    structure_id = implied_structure_id("Rebond Bois Services", "EI")
    before = tree_digest(old_workspace)
    set_person(workspace, structure_id, "Claire Dumont", "direction")
    edit_structure(workspace, structure_id, name="Rebond Bois Services SAS")
    shown = show_structure(workspace, structure_id)
    assert (shown.name, shown.siae_type, [p.name for p in shown.people]) == (
        "Rebond Bois Services SAS", "EI", ["Claire Dumont"])
    assert shown.created_at is not None
    assert (old_workspace / "structures" / f"{structure_id}.json").is_file()
    assert {row.id: row.org for row in list_audits(workspace) if row.structure == structure_id} == {
        audit_id: "Rebond Bois Services SAS" for audit_id in IAE_OS_AUDITS}
    assert {k: v for k, v in _release_files(tree_digest(old_workspace)).items() if k in before} == \
        _release_files(before), "the audit files need no write for their structure to change"
    for audit_id in IAE_OS_AUDITS:
        assert _shown(cli, audit_id) == {**_expected_show(audit_id), "org": "Rebond Bois Services SAS"}
    assert len(list_structures(workspace).structures) == 3


def test_a_new_audit_on_an_implied_structure_makes_its_file_first(old_workspace):
    workspace = Workspace(old_workspace)
    rebond = implied_structure_id("Rebond Bois Services", "EI")
    jardins = implied_structure_id("Les Jardins du Moulin Vert", "ACI")
    by_id = create_audit(workspace, "iae_os", kind="self-assessment", audit_date="2027-11-15", structure=rebond)
    by_name = create_audit(workspace, "cedre", "Les Jardins du Moulin Vert", "internal", "ACI", "2027-03-10")
    assert (by_id.structure, by_id.org, by_id.siae_type) == (rebond, "Rebond Bois Services", "EI")
    assert by_name.structure == jardins
    for structure_id in (rebond, jardins):
        assert (old_workspace / "structures" / f"{structure_id}.json").is_file()
        assert show_structure(workspace, structure_id).created_at is not None
    view = list_structures(workspace)
    assert len(view.structures) == 3
    assert {row.id: row.audits for row in view.structures}[rebond] == 3
