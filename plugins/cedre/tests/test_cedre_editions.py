"""Editions of the data: an audit keeps the edition it was made with, a new audit takes the
current one. Edition 1 (version "2") excluded 6.1.B2, 6.1.C3 and 6.1.D (seed lines 314, 326,
330) for ACI and EI; edition 2 applies them to every type."""

from __future__ import annotations

import json
from pathlib import Path

import msgspec

from audit_bench.plugins import hookimpl
from audit_bench.plugins.manager import load_plugins
from audit_bench.referential import load_referential
from audit_bench.services import Workspace, create_audit, list_audits, open_audit

import audit_bench_cedre

REINSTATED = ("6.1.B2", "6.1.C3", "6.1.D")


class FirstEdition:
    """A CEDRE plugin as it was shipped before edition 2, from a data file written by the test."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @hookimpl
    def referentials(self) -> list[Path]:
        return [self.path]


def _nodes(nodes: list[dict]):
    for node in nodes:
        yield node
        yield from _nodes(node.get("children", []))


def write_first_edition(path: Path) -> Path:
    """Today's data with edition 1's reading put back: version "2", three items AI – ETTI only."""
    data = msgspec.to_builtins(load_referential(audit_bench_cedre.REFERENTIAL_PATH))
    data["version"] = "2"
    for node in _nodes(data["nodes"]):
        if node["id"] in REINSTATED:
            node["variants"] = {"ACI": {"applicable": False}, "EI": {"applicable": False}}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")  # JSON is YAML
    return path


def test_an_audit_keeps_its_edition_and_a_new_audit_takes_the_current_one(tmp_path):
    workspace = tmp_path / "ws"
    first = write_first_edition(tmp_path / "cedre_edition1.yaml")
    before = Workspace(workspace, registry=load_plugins(extra=[("cedre", FirstEdition(first))], discover=list))
    old = create_audit(before, "cedre", "Chantier des Saules", "internal", siae_type="ACI", audit_date="2026-01-15")
    assert old.referential.version == "2"

    after = Workspace(workspace)  # the installed plugin: the current edition
    new = create_audit(after, "cedre", "Chantier des Saules", "internal", siae_type="ACI", audit_date="2026-02-15")
    assert new.referential.version == "2+audit-bench.4"
    rows = {row.id: row for row in list_audits(after)}
    assert (rows[old.id].referential_version, rows[old.id].total) == ("2", 89)
    assert (rows[new.id].referential_version, rows[new.id].total) == ("2+audit-bench.4", 92)
    with open_audit(after, old.id, write=False) as session:
        assert not any(session.tree.applicable(session.tree.node(i), "ACI") for i in REINSTATED)
    with open_audit(after, new.id) as session:
        assert all(session.tree.applicable(session.tree.node(i), "ACI") for i in REINSTATED)
        session.rate("6.1.D", "conforme", "Période d'essai sur chantier avec grille d'évaluation.")
        assert (session.progress().assessed, session.progress().total) == (1, 92)
