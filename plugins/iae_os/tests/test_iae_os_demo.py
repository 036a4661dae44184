"""The demo evaluations: a made-up EI evaluated twice, fully rated with values of the scale."""

from __future__ import annotations

from datetime import date

import pytest

from audit_bench.model import Assessment, AuditHeader, AuditSnapshot, ReferentialPin
from audit_bench.referential import ReferentialTree, content_hash, load_referential

import audit_bench_iae_os
from audit_bench_iae_os.recap import compare


@pytest.fixture(scope="module")
def tree() -> ReferentialTree:
    referential = load_referential(audit_bench_iae_os.DATA_FILE)
    return ReferentialTree(referential, content_hash(referential))


def test_two_dated_evaluations_of_one_ei_a_year_apart():
    older, newer = audit_bench_iae_os.demo_audits()
    assert older.org == newer.org and older.siae_type == newer.siae_type == "EI"
    assert older.kind == newer.kind == "self-assessment"
    assert older.referential == newer.referential == "iae_os"
    days = (date.fromisoformat(newer.date) - date.fromisoformat(older.date)).days
    assert 360 <= days <= 370
    assert older.closed and not newer.closed


@pytest.mark.parametrize("which", [0, 1])
def test_demo_is_fully_and_validly_rated(tree, which):
    demo = audit_bench_iae_os.demo_audits()[which]
    rated = [r.requirement for r in demo.ratings]
    assert len(rated) == len(set(rated))
    assert set(rated) == {p.id for p in tree.applicable_ratable("EI")}
    for rating in demo.ratings:
        assert rating.rating in tree.rating_values()
        if rating.rating == "na":
            assert rating.note.startswith("N/A")
        if rating.rating in ("0", "1") and which == 1:
            assert rating.note, rating.requirement   # « Amélioration, planification »
    classes = set(tree.finding_classes)
    for finding in demo.findings:
        assert finding.class_ in classes
        assert finding.requirement in tree and tree.node(finding.requirement).ratable
        assert tree.applicable(tree.node(finding.requirement), "EI")
        if tree.finding_classes[finding.class_].requires_action:
            assert finding.actions
    for evidence in demo.evidence:
        assert tree.applicable(tree.node(evidence.requirement), "EI")


def test_every_axis_progresses(tree):
    snapshots = []
    for i, demo in enumerate(audit_bench_iae_os.demo_audits()):
        header = AuditHeader(id=f"d{i}", referential=ReferentialPin(id="iae_os", version="1.0", sha256="x"),
                             org=demo.org, siae_type=demo.siae_type, kind=demo.kind, date=demo.date,
                             created_at="2026-01-01T00:00:00")
        snapshots.append(AuditSnapshot(header=header, assessments=[
            Assessment(requirement=r.requirement, rating=r.rating, note=r.note, at="t") for r in demo.ratings]))
    result = compare(tree, *snapshots)
    assert all(item.delta > 5 for item in result), result
    assert all(20 < item.older < item.newer < 95 for item in result)
