"""The report of every demo audit the installed referential plugins ship."""

from __future__ import annotations

import re
from datetime import date

import pytest

from audit_bench.services import Workspace
from audit_bench.services.reporting import build_report
from audit_bench.services.audits import open_audit
from audit_bench.services.listing import list_audits
from audit_bench.reports.typography import french_typography
from test_report import pdf_text


def squeezed(value: str) -> str:
    """Text as the report prints it (French typography), without whitespace."""
    return re.sub(r"\s+", "", french_typography(value))


@pytest.fixture(scope="module")
def demo_workspace(demo_source):
    return Workspace(demo_source)


BUNDLED_REFERENTIALS = ["cedre", "afaq", "iae_os"]


@pytest.mark.parametrize("referential", BUNDLED_REFERENTIALS)
def test_every_demo_report_shows_every_finding_and_action(demo_workspace, referential, tmp_path):
    rows = [row for row in list_audits(demo_workspace) if row.referential == referential]
    assert rows, f"no demo audit for {referential}"
    for row in rows:
        output = tmp_path / f"{row.id}.pdf"
        with open_audit(demo_workspace, row.id, write=False) as session:
            build_report(demo_workspace, session, output, today=date(2026, 11, 22))
            snapshot = session.snapshot()
            tree = session.tree
        pages, body = pdf_text(output)
        for number, page in enumerate(pages, start=1):
            assert f"page {number} / {len(pages)}" in page
        flat = squeezed(body)
        assert squeezed(snapshot.header.org) in flat
        assert squeezed(tree.referential.title) in flat
        for finding in snapshot.findings:
            assert squeezed(f"{finding.id} · {tree.finding_classes[finding.class_].label}") in flat
            assert squeezed(finding.text) in flat
            node = tree.node(finding.requirement)
            assert squeezed(tree.text_for(node, snapshot.header.siae_type)) in flat
        by_requirement: dict[str, list[str]] = {}
        for finding in snapshot.findings:
            by_requirement.setdefault(finding.requirement, []).append(finding.id)
        for ids in by_requirement.values():  # the checklist row points to its écarts
            assert squeezed(f"{'Écarts' if len(ids) > 1 else 'Écart'} {', '.join(ids)}") in flat
        for action in snapshot.actions:
            assert squeezed(f"{action.id} — {action.text}") in flat
            assert squeezed(action.owner) in flat
        for evidence in snapshot.evidence:
            assert squeezed(evidence.title) in flat
        for assessment in snapshot.assessments:
            assert squeezed(assessment.note) in flat
        if referential == "iae_os":
            assert "RECAP et RADAR" in body and "Section manquante" not in body
        # The scale as the auditor reads it: labels (a short code before its label), never a
        # value such as « point-fort ».
        for level in tree.referential.scale:
            label = f"{level.value} — {level.label}" if len(level.value) <= 3 else level.label
            assert squeezed(label) in flat
            if "-" in level.value:  # a slug no French text contains
                assert level.value not in body


def test_an_autodiagnostic_report_speaks_of_who_made_it_not_of_an_audit_team(demo_workspace, tmp_path):
    [row, *_] = [row for row in list_audits(demo_workspace) if row.referential == "iae_os"]
    output = tmp_path / "autodiagnostic.pdf"
    with open_audit(demo_workspace, row.id, write=False) as session:
        build_report(demo_workspace, session, output, today=date(2026, 11, 22))
    _, body = pdf_text(output)
    assert "Rapport d’autodiagnostic" in body and "Autodiagnostic réalisé" in body and "Réalisé par" in body
    assert "Équipe d'audit" not in body and "Audit réalisé" not in body
