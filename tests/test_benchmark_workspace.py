"""The benchmarks' ten-year workspace generator writes audits the product reads like its own:
every generated audit lists, opens and reports through the services."""

from __future__ import annotations

import importlib
from pathlib import Path

from pypdf import PdfReader

from audit_bench.services import Workspace, list_audits, open_audit
from audit_bench.services.reporting import build_report
from audit_bench.reports.typography import french_typography

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def test_generated_audits_list_open_and_report(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    tenyear = importlib.import_module("tenyear")
    common = importlib.import_module("common")
    workspace = Workspace(tmp_path / "ws")
    installed = {tree.id: tree for tree in workspace.referentials()}
    trees = [common.synthetic_tree(tmp_path / "data", 40), installed["cedre"]]
    built = tenyear.build(workspace.path, audits=5, ratings=30, findings=3, actions=6, evidence=10, structures=3,
                          referentials=trees)

    rows = list_audits(Workspace(workspace.path))
    assert sorted(row.id for row in rows) == sorted(built.audit_ids)
    assert [row.error for row in rows] == [None] * 5
    assert {row.referential for row in rows} == {"synth", "cedre"}
    assert {row.siae_type for row in rows if row.referential == "cedre"} <= {"AI", "ETTI", "ACI", "EI"}
    assert len({row.org for row in rows}) == 3
    assert built.ratings == 5 * 30 and built.findings == 5 * 3 and built.actions == 5 * 6
    for row in rows:
        assert row.assessed == 30 and row.total == len(installed.get(row.referential, trees[0])
                                                         .applicable_ratable(row.siae_type))
        with open_audit(workspace, row.id) as session:
            snapshot = session.snapshot()
            assert not session.read_only
            assert (len(snapshot.assessments), len(snapshot.evidence), len(snapshot.findings),
                    len(snapshot.actions)) == (30, 10, 3, 6)
            assert session.open_findings() == row.open_findings
            assert {f.requirement for f in snapshot.findings} <= set(snapshot.assessment_map())
            assert {f.class_ for f in snapshot.findings} <= set(session.tree.finding_classes)
            assert {a.finding for a in snapshot.actions} <= {f.id for f in snapshot.findings}
            output = tmp_path / f"{row.id}.pdf"
            build_report(workspace, session, output)
        text = " ".join(page.extract_text() for page in PdfReader(output).pages)
        assert " ".join(row.org.split()[:1]) in text
        assert french_typography(snapshot.findings[0].text.split()[0]) in text  # as the report prints it
