"""The auditor's conclusion: declared by the referential, written through `conclude`, required
before a certification audit is closed, printed by `show`."""

from __future__ import annotations

import json

import msgspec

from audit_bench.referential import content_hash, load_referential
from audit_bench.referential.schema import recommendations_for
from audit_bench.services import Workspace
from support import MINI_YAML, run_cli, tree_digest


def new_audit(workspace, kind: str) -> str:
    return run_cli(workspace, "new", "--referential", "cedre", "--org", "Les Saules", "--siae-type", "ACI",
                   "--kind", kind, "--date", "2026-11-20").stdout.strip()


def test_a_certification_audit_is_closed_only_once_its_conclusion_and_recommendation_are_written(tmp_path):
    workspace = tmp_path / "ws"
    audit = new_audit(workspace, "surveillance")
    before = tree_digest(workspace)

    refused = run_cli(workspace, "close", audit, check=False)
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1
    assert "audit de surveillance : rédiger la conclusion de l'auditeur avant de clore l'audit" in refused.stderr
    unknown = run_cli(workspace, "conclude", audit, "--text", "Système vivant.", "--recommendation", "bof",
                      check=False)
    assert unknown.returncode == 1
    assert "recommandation inconnue « bof » : choisir parmi favorable, favorable-sous-reserve, defavorable" \
        in unknown.stderr
    assert tree_digest(workspace) == before

    run_cli(workspace, "conclude", audit, "--text", "Système vivant.")
    without = run_cli(workspace, "close", audit, check=False)
    assert "choisir la recommandation de la conclusion avant de clore" in without.stderr

    run_cli(workspace, "conclude", audit, "--text", "Système vivant ; revue à tenir.",
            "--recommendation", "favorable-sous-reserve")
    run_cli(workspace, "close", audit)
    shown = json.loads(run_cli(workspace, "show", audit, "--json").stdout)
    assert shown["status"] == "closed"
    assert shown["conclusion"] == {"text": "Système vivant ; revue à tenir.",
                                   "recommendation": "favorable-sous-reserve"}
    assert "Conclusion : Système vivant ; revue à tenir. (recommandation : favorable-sous-reserve)" \
        in run_cli(workspace, "show", audit).stdout
    frozen = run_cli(workspace, "conclude", audit, "--text", "Autre chose.", check=False)
    assert "audit clos : la conclusion est figée" in frozen.stderr


def test_an_internal_audit_concludes_in_free_text_only_and_closes_without_it(tmp_path):
    workspace = tmp_path / "ws"
    audit = new_audit(workspace, "internal")
    assert json.loads(run_cli(workspace, "show", audit, "--json").stdout)["conclusion"] is None
    refused = run_cli(workspace, "conclude", audit, "--text", "Bien.", "--recommendation", "favorable", check=False)
    assert "ne prévoit pas de recommandation pour un audit interne" in refused.stderr
    empty = run_cli(workspace, "conclude", audit, "--text", "  ", check=False)
    assert "le texte de la conclusion ne peut pas être vide" in empty.stderr
    run_cli(workspace, "close", audit)


def test_the_referentials_declare_their_recommendations_and_one_without_keeps_its_hash(tmp_path):
    installed = Workspace(tmp_path / "ws")
    for referential_id in ("cedre", "afaq"):
        referential = installed.referential(referential_id).referential
        assert [c.label for c in recommendations_for(referential, "renewal")] == [
            "Favorable", "Favorable sous réserve de levée des écarts", "Défavorable"]
        assert recommendations_for(referential, "internal") == []
    iae_os = installed.referential("iae_os").referential
    assert recommendations_for(iae_os, "self-assessment") == []
    mini = load_referential(MINI_YAML)
    assert b"recommendations" not in msgspec.json.encode(mini)
    assert content_hash(mini) == content_hash(msgspec.json.decode(msgspec.json.encode(mini), type=type(mini)))


def test_the_report_prints_the_conclusion_and_recommendation_right_after_the_summary(tmp_path):
    from docx import Document

    from test_report import pdf_text

    workspace = tmp_path / "ws"
    audit = new_audit(workspace, "renewal")
    run_cli(workspace, "conclude", audit, "--text", "Le système qualité vit.\n\nLa revue de direction reste à tenir.",
            "--recommendation", "favorable-sous-reserve")
    run_cli(workspace, "report", audit, "-o", str(tmp_path / "r.pdf"))
    run_cli(workspace, "report", audit, "-o", str(tmp_path / "r.docx"))

    _, pdf = pdf_text(tmp_path / "r.pdf")
    pdf = pdf.replace("\u00a0", " ")
    assert pdf.index("2. Synthèse") < pdf.index("Aucun écart n’a été relevé.") < pdf.index(
        "3. Conclusion de l’auditeur Recommandation : Favorable sous réserve de levée des écarts "
        "Le système qualité vit. La revue de direction reste à tenir. 4. ")
    word = [p.text.replace("\u00a0", " ") for p in Document(tmp_path / "r.docx").paragraphs]
    at = next(i for i, p in enumerate(word) if p.endswith("Conclusion de l’auditeur"))
    assert word[at + 1:at + 4] == ["Recommandation : Favorable sous réserve de levée des écarts",
                                   "Le système qualité vit.", "La revue de direction reste à tenir."]
    assert word.index(next(p for p in word if p.endswith("Synthèse"))) < at


def test_an_autodiagnostic_concludes_in_its_own_name_without_recommendation(tmp_path):
    from test_report import pdf_text

    workspace = tmp_path / "ws"
    audit = run_cli(workspace, "new", "--referential", "iae_os", "--org", "Rebond", "--siae-type", "EI",
                    "--kind", "self-assessment", "--date", "2026-11-20").stdout.strip()
    refused = run_cli(workspace, "conclude", audit, "--text", "Bien.", "--recommendation", "favorable", check=False)
    assert "ne prévoit pas de recommandation pour un autodiagnostic" in refused.stderr
    run_cli(workspace, "conclude", audit, "--text", "Plan d'action 2027 à suivre en réunion d'équipe.")
    run_cli(workspace, "report", audit, "-o", str(tmp_path / "r.pdf"))
    _, pdf = pdf_text(tmp_path / "r.pdf")
    assert "Conclusion de l’autodiagnostic Plan d’action 2027 à suivre en réunion d’équipe." in pdf
    assert "Recommandation" not in pdf


def test_a_word_template_may_place_the_conclusion_and_recommendation(tmp_path):
    from docx import Document

    template = Document()
    template.add_paragraph("Avis : {{ recommandation }} — {{ conclusion }}")
    template.save(tmp_path / "modele.docx")
    workspace = tmp_path / "ws"
    audit = new_audit(workspace, "initial")
    run_cli(workspace, "conclude", audit, "--text", "Système en place.", "--recommendation", "favorable")
    run_cli(workspace, "report", audit, "-o", str(tmp_path / "r.docx"), "--template", str(tmp_path / "modele.docx"))
    first = Document(tmp_path / "r.docx").paragraphs[0].text
    assert first == "Avis : Favorable — Système en place."
