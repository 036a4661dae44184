"""300 audits of 40 structures written in audit format 1 (the previous release's layout, generated
directly) migrate with nothing lost: every count per audit kept, one structure per (name, type)."""

from __future__ import annotations

import random

import msgspec

from audit_bench.services import Workspace
from audit_bench.services.audits import audit_path, open_audit
from audit_bench.services.listing import list_audits
from audit_bench.services.structures import list_structures, set_person
from audit_bench.store.migrations import AUDIT_FORMATS, backup_path

AUDITS = 300
STRUCTURES = [("Atelier du Port", "ACI"), ("Atelier du Port", "AI"), ("atelier du port", "ACI"),
              ("Cœur de Garrigue", "AI"), ("Cœur de Garrigue ", "AI")] + \
             [(f"Chantier d'insertion n° {n}", "ACI" if n % 3 else "AI") for n in range(35)]
"""40 structures; homonyms that differ by type, case or a trailing space are different ones."""
Counts = tuple[int, int, int, int]


def _v1_audit(rng: random.Random, number: int, name: str, siae_type: str, pin: dict,
              requirements: list[str]) -> dict:
    """An audit file as release 0.1.0 wrote it (format 1: no structure in the header)."""
    at = "2020-01-01T10:00:00+01:00"
    rated = rng.sample(requirements, rng.randint(0, len(requirements)))
    assessments = {str(n): {"requirement": r, "rating": rng.choice("CPE"), "note": f"constat {n}", "at": at,
                            "by": "Claire"} for n, r in enumerate(rated, 1)}
    evidence = {str(n): {"id": f"P{n}", "requirement": rng.choice(requirements), "title": f"Pièce {n}",
                         "version": "", "location": "classeur", "sha256": None, "filename": None, "at": at}
                for n in range(1, rng.randint(0, 6) + 1)}
    findings = {str(n): {"id": f"E{n}", "requirement": rng.choice(requirements), "class": "mineur",
                         "text": f"Écart {n}", "at": at} for n in range(1, rng.randint(0, 3) + 1)}
    actions = {str(n): {"id": f"A{n}", "finding": f"E{rng.randint(1, len(findings))}", "text": f"Action {n}",
                        "owner": "Direction", "due": f"202{rng.randint(0, 9)}-06-30", "status": "todo",
                        "verified_by": None, "verified_at": None, "effective": None, "at": at}
               for n in range(1, (rng.randint(0, 4) if findings else 0) + 1)}
    header = {"id": f"2020-01-01-generated-{number:04d}", "referential": pin, "org": name, "siae_type": siae_type,
              "kind": "internal", "date": f"20{10 + number % 15}-0{1 + number % 9}-1{number % 10}",
              "end_date": None, "auditors": ["Claire"], "objectives": "", "scope": "", "place": "",
              "status": "open", "created_at": at, "closed_at": None}
    return {"meta": {"1": {"format": 1}}, "header": {"1": header}, "assessments": assessments,
            "evidence": evidence, "findings": findings, "actions": actions}


def _generate(workspace: Workspace) -> dict[str, tuple[tuple[str, str], Counts]]:
    """Write the v1 files; return each audit's structure (name, type) and its counts."""
    tree = workspace.referential("mini")
    workspace.path.mkdir()
    workspace.freeze(tree)
    pin = {"id": "mini", "version": tree.version, "sha256": tree.content_hash, "title": tree.referential.title}
    rng = random.Random(12)
    generated = {}
    for number in range(AUDITS):
        name, siae_type = STRUCTURES[number % len(STRUCTURES)]
        requirements = [node.id for node in tree.applicable_ratable(siae_type)]
        document = _v1_audit(rng, number, name, siae_type, pin, requirements)
        audit_id = document["header"]["1"]["id"]
        audit_path(workspace, audit_id).write_bytes(msgspec.json.encode(document))
        generated[audit_id] = ((name, siae_type), tuple(len(document[table]) for table in
                                                        ("assessments", "evidence", "findings", "actions")))
    return generated


def _counts(workspace: Workspace, audit_id: str) -> Counts:
    with open_audit(workspace, audit_id, write=False) as session:
        snapshot = session.snapshot()
    return len(snapshot.assessments), len(snapshot.evidence), len(snapshot.findings), len(snapshot.actions)


def test_300_audits_of_40_structures_migrate_with_nothing_lost(workspace):
    generated = _generate(workspace)
    rows = list_audits(workspace)
    assert len(rows) == AUDITS and all(row.error is None for row in rows)
    view = list_structures(workspace)
    assert view.errors == [] and len(view.structures) == len(STRUCTURES) == 40
    assert sorted((row.name, row.siae_type) for row in view.structures) == sorted(STRUCTURES)
    structure_of = {row.id: row.structure for row in rows}
    per_structure = {row.id: row.audits for row in view.structures}
    for structure_id, count in per_structure.items():
        assert count == sum(1 for sid in structure_of.values() if sid == structure_id)
    by_name = {(row.name, row.siae_type): row.id for row in view.structures}
    assert all(structure_of[audit_id] == by_name[key] for audit_id, (key, _) in generated.items())

    for audit_id, (_, counts) in generated.items():  # one write each: the migration happens then
        with open_audit(workspace, audit_id) as session:
            session.close_audit()
        path = audit_path(workspace, audit_id)
        assert backup_path(path, 1).is_file()
        assert msgspec.json.decode(path.read_bytes())["meta"]["1"]["format"] == AUDIT_FORMATS.current
        assert _counts(workspace, audit_id) == counts, audit_id
    for structure_id in list(per_structure)[:5]:  # their files made from what the audits imply
        set_person(workspace, structure_id, "Claire Martin", "referent-qualite")
    after = list_structures(workspace)
    assert {row.id: row.audits for row in after.structures} == per_structure
    assert {row.id: row.structure for row in list_audits(workspace)} == structure_of
