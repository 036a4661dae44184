"""REF-209 through the `audit-bench` command line (the stable CLI contract of DESIGN.md)."""

from __future__ import annotations

import json
from pathlib import Path

from support import run_cli as cli

RATABLE = 90  # 46 commitments (chapter IV) + 9 (V) + 29 (VI) + 6 (VII)


def cli_json(workspace: Path, *args: str):
    result = cli(workspace, *args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _ref_id(value) -> str:
    return value["id"] if isinstance(value, dict) else value


def test_referentials_lists_afaq(tmp_path):
    listing = cli_json(tmp_path, "referentials")
    afaq = [r for r in listing["referentials"] if r["id"] == "afaq"]
    assert len(afaq) == 1
    assert afaq[0]["requirements"] == RATABLE
    assert afaq[0]["version"] == "2009-02-19+audit-bench.4"
    assert not [e for e in listing["errors"] if e["plugin"] == "afaq"]


def test_referential_show(tmp_path):
    shown = cli_json(tmp_path, "referential", "show", "afaq")
    assert shown["siae_types"] == []
    assert [s["value"] for s in shown["scale"]] == ["conforme", "point-sensible", "ecart-mineur", "ecart-majeur"]
    assert [c["id"] for c in shown["finding_classes"]] == ["point-sensible", "ecart-mineur", "ecart-majeur"]
    assert [n["id"] for n in shown["nodes"]] == ["IV", "V", "VI", "VII"]
    engagements = shown["nodes"][0]["children"]
    assert [e["id"] for e in engagements] == [f"E{i}" for i in range(1, 10)]
    e1 = engagements[0]
    assert [c["id"] for c in e1["children"]] == [f"E1.{i}" for i in range(1, 7)]
    assert "48 heures ouvrables" in e1["children"][3]["text"]


def test_new_audit_without_structure_type(tmp_path):
    created = cli_json(tmp_path, "new", "--referential", "afaq", "--org", "PLIE d'essai", "--kind", "internal",
                       "--date", "2026-10-13")
    shown = cli_json(tmp_path, "show", created["id"])
    assert _ref_id(shown["referential"]) == "afaq"
    assert shown["siae_type"] is None
    assert shown["progress"] == {"assessed": 0, "total": RATABLE}
    rated = cli(tmp_path, "assess", created["id"], "E6.3", "ecart-majeur", "--note", "2 offres sur 3")
    assert rated.returncode == 0, rated.stderr
    refused = cli(tmp_path, "assess", created["id"], "E6.3", "non-conforme", check=False)  # not a value of the scale
    assert refused.returncode != 0


def test_new_audit_with_a_structure_type_is_refused(tmp_path):
    refused = cli(tmp_path, "new", "--referential", "afaq", "--org", "PLIE d'essai", "--kind", "internal",
                  "--siae-type", "AI", check=False)
    assert refused.returncode != 0
    assert refused.stderr.strip() and len(refused.stderr.strip().splitlines()) == 1
    assert cli_json(tmp_path, "audits")["audits"] == []  # nothing was created


def test_demo_creates_the_rated_internal_audit(tmp_path):
    result = cli(tmp_path, "demo", "--plugin", "afaq")
    assert result.returncode == 0, result.stderr
    audits = [a for a in cli_json(tmp_path, "audits")["audits"] if _ref_id(a["referential"]) == "afaq"]
    assert len(audits) == 1
    assert audits[0]["kind"] == "internal" and audits[0]["siae_type"] is None
    shown = cli_json(tmp_path, "show", audits[0]["id"])
    assert shown["progress"] == {"assessed": RATABLE, "total": RATABLE}
    ecarts = [f for f in shown["findings"] if f["class"] in ("ecart-mineur", "ecart-majeur")]
    assert sorted(f["requirement"] for f in ecarts) == ["6.4.1", "E1.4", "E6.3"]
    assert all(f["actions"] for f in ecarts)
    titles = {e["title"] for e in shown["evidence"]}
    assert "Cahier d'enregistrement des messages" in titles
