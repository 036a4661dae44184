"""The CLI contract (DESIGN.md) as seen from the CEDRE plugin: listing, the variants in
`referential show --json`, new audits per structure type, the demo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support import run_cli as run

AI_LABEL = "Mise à disposition de personnel (AI – ETTI)"
ACI_LABEL = "Prestation de services ou production de bien (ACI – EI)"


def run_json(workspace: Path, *args: str):
    return json.loads(run(workspace, *args, "--json").stdout)


def find(nodes: list[dict], node_id: str) -> dict | None:
    for node in nodes:
        if node["id"] == node_id:
            return node
        found = find(node.get("children", []), node_id)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def shown(tmp_path_factory) -> dict:
    return run_json(tmp_path_factory.mktemp("ws"), "referential", "show", "cedre")


def test_referentials_lists_cedre_with_its_ratable_count(tmp_path):
    listing = run_json(tmp_path, "referentials")
    cedre = [r for r in listing["referentials"] if r["id"] == "cedre"]
    assert cedre and cedre[0]["requirements"] == 94 and cedre[0]["version"] == "2+audit-bench.4"
    assert not [e for e in listing["errors"] if e["plugin"] == "cedre"]


def test_show_exposes_types_scale_and_classes(shown):
    assert shown["id"] == "cedre"
    assert [t["id"] if isinstance(t, dict) else t for t in shown["siae_types"]] == [
        "AI", "ETTI", "ACI", "EI", "ENSEMBLIER"]
    assert [(s["value"], s["label"]) for s in shown["scale"]][:2] == [("point-fort", "Point fort"),
                                                                      ("conforme", "Conforme")]
    assert {c["id"] for c in shown["finding_classes"]} >= {"ecart-majeur", "ecart-mineur", "point-sensible"}


def test_show_exposes_the_two_columns_as_variants(shown):
    node = find(shown["nodes"], "6.1.B1")
    ai = "Disposer en interne et dans l'ensemblier d'un outil commun d'évaluation des situations socioprofessionnelles."
    aci = ("Assurer pendant la phase de recrutement un diagnostic partagé avec le futur salarié et le ou "
           "les prescripteurs.")
    assert node["ratable"] is True
    assert node["text"] == f"{AI_LABEL} : {ai}\n\n{ACI_LABEL} : {aci}"
    for structure_type, text in (("AI", ai), ("ETTI", ai), ("ACI", aci), ("EI", aci)):
        assert node["variants"][structure_type]["text"] == text
        assert node["variants"][structure_type]["applicable"] is True


def test_show_marks_single_column_items_not_applicable(shown):
    d1, b3, d4 = (find(shown["nodes"], i) for i in ("6.1.D1", "6.1.B3", "6.2.D4"))
    for node in (d1, d4):
        assert node["variants"]["ACI"]["applicable"] is False
        assert node["variants"]["EI"]["applicable"] is False
    assert b3["variants"]["AI"]["applicable"] is False and b3["variants"]["ETTI"]["applicable"] is False
    for node in (d1, b3, d4):
        assert node["variants"].get("ENSEMBLIER", {"applicable": True})["applicable"] is True
    for structure_type in ("AI", "ACI", "ENSEMBLIER"):
        assert find(shown["nodes"], "8.A5")["variants"].get(structure_type, {"applicable": True})["applicable"]
    for item_id in ("6.1.B2", "6.1.C3", "6.1.D"):  # seed lines 314, 326, 330: not clearly restricted
        variants = find(shown["nodes"], item_id)["variants"]
        assert all(variants.get(t, {"applicable": True})["applicable"] for t in ("AI", "ETTI", "ACI", "EI"))


def test_chapters_1_and_2_are_not_ratable(shown):
    assert [n["id"] for n in shown["nodes"]] == [str(i) for i in range(1, 10)]
    for chapter in shown["nodes"][:2]:
        assert chapter["ratable"] is False
        assert all(not c["ratable"] for c in chapter.get("children", []))


@pytest.mark.parametrize("structure_type, total", [("ACI", 92), ("ETTI", 93), ("ENSEMBLIER", 94)])
def test_new_audit_counts_the_items_of_its_type(tmp_path, structure_type, total):
    audit_id = run_json(tmp_path, "new", "--referential", "cedre", "--org", "Essai", "--siae-type",
                        structure_type, "--kind", "internal", "--date", "2026-02-02")["id"]
    run(tmp_path, "assess", audit_id, "3.1", "point-fort", "--note", "Cartographie exemplaire")
    shown = run_json(tmp_path, "show", audit_id)
    assert shown["progress"] == {"assessed": 1, "total": total}
    assert shown["assessments"][0]["rating"] == "point-fort"


def test_bad_type_and_bad_rating_are_refused(tmp_path):
    refused = run(tmp_path, "new", "--referential", "cedre", "--org", "Essai", "--siae-type", "SCOP",
                  "--kind", "internal", check=False)
    assert refused.returncode != 0
    audit_id = run_json(tmp_path, "new", "--referential", "cedre", "--org", "Essai", "--siae-type", "AI",
                        "--kind", "internal", "--date", "2026-02-02")["id"]
    assert run(tmp_path, "assess", audit_id, "6.1.A", "excellent", check=False).returncode != 0
    assert run(tmp_path, "assess", audit_id, "6.1.Z9", "conforme", check=False).returncode != 0
    assert run_json(tmp_path, "show", audit_id)["assessments"] == []


def test_demo_creates_the_aci_surveillance_audit(tmp_path):
    run(tmp_path, "demo", "--plugin", "cedre")
    audits = [a for a in run_json(tmp_path, "audits")["audits"] if a["referential"] == "cedre"]
    assert len(audits) == 1
    audit = audits[0]
    assert (audit["siae_type"], audit["kind"], audit["assessed"], audit["total"]) == ("ACI", "surveillance", 50, 92)
    shown = run_json(tmp_path, "show", audit["id"])
    classes = sorted(f["class"] for f in shown["findings"])
    assert classes == ["ecart-majeur", "ecart-mineur", "piste-de-progres", "point-sensible", "point-sensible"]
    for finding in shown["findings"]:
        if finding["class"].startswith("ecart"):
            assert len(finding["actions"]) == 2
    assert len(shown["evidence"]) == 16
    by_section = {s["section"]: s for s in shown["scores"]}
    assert by_section["6.2"]["percent"] == 100.0 and by_section["4"]["percent"] < 100.0
