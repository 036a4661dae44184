"""The RECAP and RADAR report section, rendered into a real PDF and read back with pypdf."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from audit_bench.model import Assessment, AuditHeader, AuditSnapshot, ReferentialPin
from audit_bench.referential import ReferentialTree, content_hash, load_referential
from audit_bench.reports import ReportSection

import audit_bench_iae_os
from audit_bench_iae_os.demo import demo_audits


@pytest.fixture(scope="module")
def tree() -> ReferentialTree:
    referential = load_referential(audit_bench_iae_os.DATA_FILE)
    return ReferentialTree(referential, content_hash(referential))


def as_snapshot(tree, demo, audit_id):
    header = AuditHeader(id=audit_id, referential=ReferentialPin(id="iae_os", version="1.0", sha256=tree.content_hash),
                         org=demo.org, siae_type=demo.siae_type, kind=demo.kind, date=demo.date,
                         created_at="2026-01-01T00:00:00")
    return AuditSnapshot(header=header, assessments=[
        Assessment(requirement=r.requirement, rating=r.rating, note=r.note, at="t") for r in demo.ratings])


@pytest.fixture(scope="module")
def evaluations(tree):
    older, newer = demo_audits()
    return as_snapshot(tree, older, "old"), as_snapshot(tree, newer, "new")


def render(section: ReportSection, path) -> str:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from audit_bench.reports import styles

    SimpleDocTemplate(str(path), pagesize=A4).build(
        [Paragraph(styles.text(section.title), styles.styles()["h2"]), *section.flowables])
    text = "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)
    return " ".join(text.replace("\u00a0", " ").split())


def spider_of(drawing):
    from reportlab.graphics.charts.spider import SpiderChart

    return next(item for item in drawing.contents if isinstance(item, SpiderChart))


def test_section_with_previous_evaluation(tree, evaluations, tmp_path):
    older, newer = evaluations
    sections = audit_bench_iae_os.report_sections(tree=tree, audit=newer, history=[older])
    assert len(sections) == 1 and isinstance(sections[0], ReportSection)
    text = render(sections[0], tmp_path / "recap.pdf")
    for expected in ("RECAP et RADAR de l’offre de services", "Résultat", "Note maxi", "Tendance",
                     "1.1 - Recrutement et relations prescripteurs", "5.3 - Suivi des fonctions supports",
                     "Axe 3 : Compétences et formation", "Évaluation du 13 novembre 2026",
                     "Évaluation du 14 novembre 2025", "Comparaison avec l'évaluation du 14 novembre 2025", "Maîtrisé", "À consolider", "À engager",
                     "N/A", "(EI : 2)", "497 / 729", "68,2 %",
                     "1. Accueil et intégration", "87,2 %", "+18 pts", "comme les pratiques non cotées"):
        assert expected in text, expected
    assert "tableur" not in text  # the report speaks of this evaluation, not of the spreadsheet's limits


def test_radar_is_pinned_to_full_scale_and_has_rings(tree, evaluations):
    from reportlab.graphics.shapes import Polygon

    from audit_bench_iae_os.report import radar_drawing

    older, newer = evaluations
    drawing = radar_drawing(tree, newer, older)
    spider = spider_of(drawing)
    assert spider.data[0] == [1.0] * 5                    # invisible full-scale series
    assert spider.strands[0].strokeColor is None and spider.strands[0].fillColor is None
    assert len(spider.data) == 3                          # scale, previous beneath, current on top
    assert spider.data[2][0] == pytest.approx(0.872)      # axis 1 of the newer evaluation (87.2 %)
    assert spider.data[1][0] < spider.data[2][0]
    rings = [item for item in drawing.contents if isinstance(item, Polygon)]
    assert len(rings) == 4
    labels = [getattr(item, "text", "") for item in drawing.getContents()]
    assert {"25\u00a0%", "50\u00a0%", "75\u00a0%", "100\u00a0%"} <= set(labels)
    drawing_alone = radar_drawing(tree, newer, None)
    assert len(spider_of(drawing_alone).data) == 2


def test_section_without_history(tree, evaluations, tmp_path):
    _, newer = evaluations
    (section,) = audit_bench_iae_os.report_sections(tree=tree, audit=newer, history=[])
    text = render(section, tmp_path / "alone.pdf")
    assert "Évaluation du 13 novembre 2026" in text
    assert "14 novembre 2025" not in text
    assert "Comparaison" not in text
