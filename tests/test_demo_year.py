"""The demo's year of records (AFAQ): a certified structure whose registers and signed review of
2025 give its revue de direction of 2026 data to read and decisions to follow up."""

from __future__ import annotations

from datetime import date

from audit_bench.services import Workspace
from audit_bench.services.complaints import list_complaints
from audit_bench.services.demo import load_demo
from audit_bench.services.review import list_reviews, new_review, show_review
from audit_bench.services.structures import list_structures

TODAY = date(2027, 1, 20)


def test_the_afaq_demo_year_feeds_every_register_section_of_the_next_review(tmp_path):
    workspace = Workspace(tmp_path / "ws")
    seen = []
    load_demo(workspace, "afaq", progress=lambda done, total, demo: seen.append((done, total, demo.org)))
    assert seen[-1][0] == seen[-1][1] and {org for _, _, org in seen} == {"Association PLIE Cœur de Garrigue (fictive)"}
    [structure] = [s for s in list_structures(workspace, TODAY).structures if s.name.startswith("Association PLIE")]
    [signed] = list_reviews(workspace, structure.id).reviews
    assert (signed.year, signed.state) == (2025, "signed")
    assert len(list_complaints(workspace, structure.id, 2026, today=TODAY).complaints) == 4

    view = show_review(workspace, f"{structure.id}/{new_review(workspace, structure.id, 2026).id}", today=TODAY)
    sections = {s.input: s for s in view.inputs}
    for fed in ("indicateurs", "enquetes", "audits-internes", "reclamations", "actions-decidees", "plan-amelioration"):
        assert sections[fed].figures and not sections[fed].no_data, fed
    followed = {f.label: f.value for f in sections["actions-decidees"].figures}
    assert followed["Actions décidées"] == 2
    assert [t.title[:30] for t in sections["indicateurs"].trends] == [
        "IND1 — Suivi des rappels télép", "IND2 — Suivi du taux de person"]

    load_demo(workspace, "afaq")  # loaded again: nothing is recorded twice
    assert len(list_reviews(workspace, structure.id).reviews) == 2  # the signed 2025 one and the new draft
    assert len(list_complaints(workspace, structure.id, 2026, today=TODAY).complaints) == 4
