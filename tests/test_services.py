"""Use cases on a temp workspace, through the services the TUI and the CLI share."""

from __future__ import annotations

import pytest

from audit_bench.services import UserError, Workspace
from audit_bench.services.audits import create_audit, open_audit
from audit_bench.services.listing import list_audits
from audit_bench.services.history import compare, history


def test_audit_id_is_readable_and_keeps_ligatures(workspace):
    header = create_audit(workspace, "mini", "Cœur de Garrigue — Atelier", "internal", "ACI", "2026-11-20")
    assert header.id.startswith("2026-11-20-coeur-de-garrigue-atelier-")


def test_rating_records_who_and_when_and_note_survives_reopen(workspace):
    header = create_audit(workspace, "mini", "Atelier", "internal", "ACI", "2026-11-20", ["Claire Martin"])
    with open_audit(workspace, header.id) as session:
        session.rate("1.1", "C", "Livret remis")
        session.set_note("1.1", "Livret remis et signé")
    with open_audit(workspace, header.id, write=False) as session:
        assessment = session.snapshot().assessment_map()["1.1"]
    assert (assessment.rating, assessment.note, assessment.by) == ("C", "Livret remis et signé", "Claire Martin")
    assert assessment.at.startswith("20")


def test_pending_lists_ratings_and_findings_still_owed(workspace):
    header = create_audit(workspace, "mini", "Atelier", "internal", "ACI", "2026-11-20")
    with open_audit(workspace, header.id) as session:
        session.rate("2.1", "E", "Aucun registre")
        assert [p.requirement for p in session.pending()] == ["2.1"]
        finding = session.add_finding("2.1", "majeur", "Réclamations non enregistrées")
        assert [p.message for p in session.pending()] == [f"{finding.id} (Écart majeur) sans plan d'action"]
        session.add_action(finding.id, "Ouvrir un registre", "Direction", "2027-01-15")
        assert session.pending() == []
        assert session.open_findings() == 1


def test_generic_scores_leave_na_out_of_the_maximum_but_count_it_as_assessed(workspace):
    header = create_audit(workspace, "mini", "Atelier", "internal", "ACI", "2026-11-20")
    with open_audit(workspace, header.id) as session:
        session.rate("1.1", "C")
        session.rate("1.2", "P")
        session.rate("1.3", "na", "Pas de chantier cette saison")
        scores = {s.section: s for s in session.scores()}
        progress = session.progress()
    assert (scores["1"].score, scores["1"].max, scores["1"].percent) == (3, 4, 75.0)
    assert (scores["1"].rated, scores["1"].applicable) == (3, 3)
    total = scores["total"]
    assert (total.rated, total.applicable) == (progress.assessed, progress.total) == (3, 5)
    assert progress.na == 1
    assert scores["total"].depth == -1 and scores["total"].percent == 75.0


def test_history_and_comparison_of_the_same_structure(workspace):
    older = create_audit(workspace, "mini", "Atelier du Port", "self-assessment", "ACI", "2025-11-20")
    newer = create_audit(workspace, "mini", kind="self-assessment", audit_date="2026-11-20", structure=older.structure)
    create_audit(workspace, "mini", "Autre structure", "self-assessment", "ACI", "2024-11-20")
    with open_audit(workspace, older.id) as session:
        session.rate("1.1", "P")
    with open_audit(workspace, newer.id) as session:
        session.rate("1.1", "C")
        earlier = history(workspace, session.snapshot())
        assert [h.header.id for h in earlier] == [older.id]
        with open_audit(workspace, older.id, write=False) as before:
            compared = {now.section: (now.percent, then.percent) for now, then in compare(before, session)}
    assert compared["1"] == (100.0, 50.0)


def test_end_date_before_start_is_refused(workspace):
    with pytest.raises(UserError, match="précède"):
        create_audit(workspace, "mini", "Atelier", "internal", "ACI", "2026-11-20", end_date="2026-11-19")
    assert not list(workspace.path.glob("*.json"))


def test_reading_commands_create_no_workspace(workspace):
    assert list_audits(workspace) == []
    with pytest.raises(UserError, match="audit inconnu"):
        open_audit(workspace, "2026-01-01-absent-0000")
    assert workspace.referential("mini").id == "mini"
    assert not workspace.path.exists()


def test_sections_with_nothing_to_rate_are_not_scored(tmp_path):
    from support import MINI_YAML
    from audit_bench.referential import ReferentialTree, content_hash, load_referential
    from audit_bench.services.scoring import generic_scores
    from audit_bench.model import AuditHeader, AuditSnapshot, ReferentialPin

    text = MINI_YAML.read_text(encoding="utf-8").replace(
        "nodes:\n", "nodes:\n  - id: \"0\"\n    title: Définitions\n    text: Les termes du référentiel.\n", 1)
    path = tmp_path / "with_intro.yaml"
    path.write_text(text, encoding="utf-8")
    referential = load_referential(path)
    tree = ReferentialTree(referential, content_hash(referential))
    header = AuditHeader(id="a", referential=ReferentialPin(id="mini", version="1", sha256=tree.content_hash),
                         org="X", siae_type="ACI", kind="internal", date="2026-11-20", created_at="now")
    sections = [s.section for s in generic_scores(tree, AuditSnapshot(header=header))]
    assert sections == ["1", "2", "total"]


def test_guidance_is_the_types_own_when_it_has_one(workspace):
    tree = workspace.referential("mini")
    node = tree.node("1.1")
    typed = node.variants["AI"].__class__(text=None, guidance="Pour les salariés mis à disposition.")
    node_with_both = node.__class__(id="x", text="t", guidance="Pour tous les types.", variants={"AI": typed})
    assert tree.guidance_for(node_with_both, "AI") == "Pour les salariés mis à disposition."
    assert tree.guidance_for(node_with_both, "ACI") == "Pour tous les types."


@pytest.mark.parametrize("typed, stored", [("05/12/2026", "2026-12-05"), ("5/1/2027", "2027-01-05"),
                                           (" 2026-12-05 ", "2026-12-05")])
def test_dates_are_taken_as_french_auditors_write_them_and_stored_iso(workspace, typed, stored):
    header = create_audit(workspace, "mini", "Atelier", "internal", "ACI", typed, ["Claire"], end_date=typed)
    assert (header.date, header.end_date) == (stored, stored)


@pytest.mark.parametrize("typed, message", [("31/02/2026", "ce jour n'existe pas"),
                                            ("2026/12/05", "attendu AAAA-MM-JJ ou JJ/MM/AAAA"),
                                            ("05-12-2026", "attendu AAAA-MM-JJ ou JJ/MM/AAAA")])
def test_a_date_that_is_neither_form_or_no_day_is_refused_and_nothing_is_written(workspace, typed, message):
    with pytest.raises(UserError, match=message):
        create_audit(workspace, "mini", "Atelier", "internal", "ACI", typed, ["Claire"])
    assert list_audits(workspace) == []


def test_a_self_assessment_grid_makes_only_self_assessments(tmp_path):
    workspace = Workspace(tmp_path / "ws")  # the bundled iae_os declares audit_kinds: [self-assessment]
    with pytest.raises(UserError, match="ne sert pas aux audits de type « Audit interne » : choisir parmi "
                                        "self-assessment"):
        create_audit(workspace, "iae_os", "Rebond", "internal", "EI", "2026-12-05", ["Claire"])
    assert create_audit(workspace, "iae_os", "Rebond", "self-assessment", "EI", "2026-12-05").kind == "self-assessment"
    assert len(list_audits(workspace)) == 1
