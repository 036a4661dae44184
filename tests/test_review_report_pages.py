"""The bilan's pages as the person presenting it reads them, on the demo's AFAQ structure and its
year of records: a section's title never left at a page's foot without its first rows, a
chapter's table starting under its heading, references within the structure without its id, and
the Word bilan saying « Aucun point restant » only when none remains."""

from __future__ import annotations

from datetime import date

import pytest
from docx import Document

from audit_bench.model.review import Figure, PackSection, Review
from audit_bench.reports.review_report import ReviewDocument, render_review_report
from audit_bench.services.review import check_review, new_review, write_review_report
from audit_bench.services.structures import list_structures
from test_report import pdf_text

TODAY = date(2026, 12, 5)
ROWS_WITH_TITLE = 3
"""A section's title starts a page with at least its table's header and this many rows."""


def plain(value: str) -> str:
    """Text as compared here: plain spaces and apostrophes, one space between words."""
    return " ".join(value.replace("\u00a0", " ").replace("\u2019", "'").split())


@pytest.fixture
def demo_review(demo_workspace_copy):
    """The draft 2026 review of the demo's structure certified AFAQ."""
    workspace = demo_workspace_copy
    [structure] = [row.id for row in list_structures(workspace).structures
                   if any(c.referential == "afaq" for c in row.certifications)]
    return workspace, f"{structure}/{new_review(workspace, structure, 2026, today=TODAY).id}"


def test_a_section_title_stands_with_the_first_rows_of_its_table_wherever_the_page_ends(tmp_path):
    """However long what comes before it, a section never leaves its title (or its title and one
    row) at the foot of a page and its table on the next."""
    review = Review(id="RD1", structure="s", year=2026, start="2026-01-01", end="2026-12-31", created_at="2026-01-01")
    figures = [Figure(label=f"Donnée numéro {n}", value=n) for n in range(1, 9)]
    for lines in range(0, 64, 3):
        before = PackSection(referential="afaq", input="a", title="Section précédente", reads="audits",
                             details=[f"Ligne {n} du détail" for n in range(lines)])
        after = PackSection(referential="afaq", input="b", title="Section suivie de son tableau", reads="plan",
                            figures=figures)
        path = tmp_path / f"bilan-{lines}.pdf"
        path.write_bytes(render_review_report(ReviewDocument(review, "Structure", [before, after], [],
                                                             "2026-12-05")).pdf)
        pages = [plain(page) for page in pdf_text(path)[0]]
        [where] = [n for n, page in enumerate(pages) if after.title in page]
        assert all(f.label in pages[where] for f in figures[:ROWS_WITH_TITLE]), f"after {lines} lines"


def test_the_check_points_name_what_is_within_the_structure_without_its_id(demo_review, tmp_path):
    workspace, ref = demo_review
    structure = ref.split("/")[0]
    points = check_review(workspace, ref, today=TODAY).points
    own = [p for p in points if p.ref.startswith(f"{structure}/")]
    assert own
    _, body = pdf_text(write_review_report(workspace, ref, tmp_path / "bilan.pdf", today=TODAY))
    chapter = body[body.index("Points du contrôle de cohérence"):body.index("4. Décisions")]
    assert f"{structure}/" not in chapter
    assert all(p.ref.removeprefix(f"{structure}/") in chapter for p in own)
    word = Document(str(write_review_report(workspace, ref, tmp_path / "bilan.docx", today=TODAY)))
    texts = [p.text for p in word.paragraphs]
    assert "Aucun point restant." not in texts and "Aucun participant inscrit." in texts
    rows = [[plain(cell.text) for cell in row.cells] for table in word.tables for row in table.rows]
    assert [plain(own[0].text), own[0].ref.removeprefix(f"{structure}/")] in rows
