"""The per-engagement synthesis and the report section built from it."""

from __future__ import annotations

import pytest

from audit_bench.model import Assessment, AuditHeader, AuditSnapshot, ReferentialPin
from audit_bench.referential import ReferentialTree, content_hash, load_referential

import audit_bench_afaq
from audit_bench_afaq.summary import engagement_summary


@pytest.fixture(scope="module")
def tree() -> ReferentialTree:
    referential = load_referential(audit_bench_afaq.DATA_FILE)
    return ReferentialTree(referential, content_hash(referential))


def snapshot(tree, ratings: dict[str, str]) -> AuditSnapshot:
    header = AuditHeader(id="a1", referential=ReferentialPin(id=tree.id, version=tree.version,
                                                              sha256=tree.content_hash),
                         org="PLIE d'essai", kind="internal", date="2026-10-13", created_at="2026-10-13T08:00:00")
    return AuditSnapshot(header=header, assessments=[
        Assessment(requirement=req, rating=rating, at="2026-10-13T09:00:00") for req, rating in ratings.items()])


@pytest.fixture(scope="module")
def demo_snapshot(tree) -> AuditSnapshot:
    demo = audit_bench_afaq.load_demo()
    return snapshot(tree, {r.requirement: r.rating for r in demo.ratings})


def test_one_row_per_engagement_with_its_verdict(tree, demo_snapshot):
    rows = {row.id: row for row in engagement_summary(tree, demo_snapshot)}
    assert list(rows) == [f"E{i}" for i in range(1, 10)]
    assert [rows[e].total for e in rows] == [6, 8, 9, 5, 4, 3, 4, 4, 3]
    assert all(row.rated == row.total for row in rows.values())
    assert rows["E1"].verdict == "Tenu avec écart mineur"
    assert rows["E1"].counts == {"conforme": 5, "ecart-mineur": 1}
    assert rows["E6"].verdict == "Non tenu (écart majeur)"
    assert rows["E3"].verdict == rows["E8"].verdict == "Tenu, point sensible"
    assert rows["E2"].verdict == "Tenu"
    assert [i.id for i in rows["E2"].indicators] == ["IND2", "IND3"]
    assert rows["E4"].indicators == []


def test_partial_and_not_applicable_engagements(tree):
    rows = {row.id: row for row in engagement_summary(tree, snapshot(tree, {
        "E1.1": "conforme", "E9.1": "na", "E9.2": "na", "E9.3": "na", "E7.4": "point-sensible"}))}
    assert rows["E1"].verdict == "Non évalué entièrement" and rows["E1"].rated == 1
    assert rows["E9"].verdict == "Sans objet"
    assert rows["E7"].verdict == "Tenu, point sensible"  # the worst rating speaks even before the end


def test_report_section_renders(tree, demo_snapshot, tmp_path):
    from pypdf import PdfReader
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    sections = audit_bench_afaq.report_sections(tree=tree, audit=demo_snapshot, history=[])
    assert [s.title for s in sections] == ["Synthèse par engagement de service"]
    pdf = tmp_path / "section.pdf"
    SimpleDocTemplate(str(pdf), pagesize=A4).build(list(sections[0].flowables))
    extracted = " ".join(page.extract_text() for page in PdfReader(str(pdf)).pages)
    flat = " ".join(extracted.split())
    assert "Non tenu (écart majeur)" in flat
    assert "Écart mineur" in flat and "Point sensible" in flat
    assert "Suivi des rappels téléphoniques" in flat


def test_report_section_only_for_this_referential(tree, demo_snapshot):
    other = ReferentialTree(tree.referential.__class__(**{
        **{f: getattr(tree.referential, f) for f in tree.referential.__struct_fields__}, "id": "autre"}), "")
    assert audit_bench_afaq.report_sections(tree=other, audit=demo_snapshot, history=[]) is None
