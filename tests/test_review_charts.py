"""The bilan's charts: the complaints by delay of their first answer against the deadline, each
survey's questions against the threshold, the IAE OS radar; each built into the pack (so frozen
when signed), the same figures in `review show --json`, in the PDF's text and in the Word
pictures' alternative text. And the reviews signed before these charts existed keep their
signature and their bilan."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import msgspec
import pytest
from docx import Document

from audit_bench.services import Workspace
from audit_bench.services.audits import create_audit, open_audit
from audit_bench.services.complaints import add_complaint, answer_complaint
from audit_bench.services.review import new_review, set_participant, sign, write_review_report
from audit_bench.services.structures import create_structure, set_certification
from audit_bench.services.surveys import add_survey, import_results
from audit_bench.services.surveys import set_settings as set_survey_settings
from support import run_cli
from test_report import pdf_text

TODAY = date(2027, 1, 20)
SIGNED_BEFORE_CHARTS = Path(__file__).parent / "fixtures" / "signed_by_955d4a5"
"""A workspace whose reviews main signed at 955d4a5, before the charts' fields existed: the demo's
AFAQ structure (RD1 of 2025, RD2 of 2026 with complaints, a survey, indicators) and its IAE OS one
(RD1 of 2026, two autodiagnostics compared)."""


@pytest.fixture
def bench(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path / "ws")


def shown(workspace: Workspace, ref: str) -> dict:
    return json.loads(run_cli(workspace.path, "review", "show", ref, "--json").stdout)


def inputs(view: dict, reads: str) -> dict:
    return next(section for section in view["inputs"] if section["reads"] == reads)


def alt_texts(path: Path) -> list[str]:
    return [shape._inline.docPr.get("descr").replace("\u00a0", " ") for shape in Document(str(path)).inline_shapes]


@pytest.fixture
def afaq_year(bench, tmp_path):
    """A structure certified AFAQ (answer within 5 jours ouvrables, Monday to Saturday): five
    complaints of 2026 answered after 2, 5, 10 and 31 days or not at all; a survey of two
    questions, one under the threshold of 75 %."""
    structure = create_structure(bench, "Passerelle Emploi").id
    set_certification(bench, structure, "afaq", "AFNOR Certification", "ES-209-17", "2025-03-01", "2028-02-28")
    for received, answered in (("2026-03-02", "2026-03-04"), ("2026-03-02", "2026-03-07"),
                               ("2026-03-02", "2026-03-13"), ("2026-04-01", None), ("2026-05-04", "2026-06-08")):
        complaint = add_complaint(bench, structure, received, "courrier", "client", "Rappel jamais fait", today=TODAY)
        if answered:
            answer_complaint(bench, structure, complaint.id, "solution", answered, text="Rappel fait", today=TODAY)
    survey = add_survey(bench, structure, "personnes", "sortie", "01/01/2026", "30/06/2026", 120, 80, today=TODAY).id
    results = tmp_path / "resultats.csv"
    results.write_text("Question;Engagement;Pas du tout;Plutôt pas;Plutôt;Tout à fait\n"
                       "Accueil au téléphone;E1;2;3;30;40\nRappels promis;E1;30;20;10;10\n", encoding="utf-8")
    set_survey_settings(bench, structure, threshold=75)
    import_results(bench, structure, survey, results)
    return {"structure": structure, "survey": survey,
            "ref": f"{structure}/{new_review(bench, structure, 2026, today=TODAY).id}"}


def test_the_complaints_chart_counts_each_delay_against_the_deadline(bench, afaq_year, tmp_path):
    view = shown(bench, afaq_year["ref"])
    complaints = inputs(view, "complaints")
    [delays] = complaints["distributions"]
    assert delays["limit"] == "délai de réponse : 5 jours ouvrables"
    assert list(zip(delays["buckets"], delays["counts"], delays["tones"])) == [
        ("0–1", 0, "within"), ("2", 1, "within"), ("3", 0, "within"), ("4", 0, "within"), ("5", 1, "within"),
        ("6–10", 1, "past"), ("11–20", 0, "past"), ("> 20", 1, "past"), ("sans réponse", 1, "apart")]
    figures = {f["label"]: f["value"] for f in complaints["figures"]}
    assert sum(count for count, tone in zip(delays["counts"], delays["tones"]) if tone == "within") == 2
    assert figures["Répondues dans le délai"] == 50.0 and figures["Sans réponse"] == 1  # the same 2 of 4, and R4

    _, body = pdf_text(write_review_report(bench, afaq_year["ref"], tmp_path / "bilan.pdf"))
    title = "Réclamations par délai de première réponse (jours ouvrables)"
    drawn = body[body.index(title):body.index("Objet « Rappel jamais fait »")]
    assert ("0 0–1 1 2 0 3 0 4 1 5 1 6–10 0 11–20 1 > 20 1 sans réponse" in drawn  # each bar's count over its label
            and "délai de réponse : 5 jours ouvrables dans le délai hors délai" in drawn)
    words = [text for text in alt_texts(write_review_report(bench, afaq_year["ref"], tmp_path / "bilan.docx"))
             if text.startswith(title)]
    assert words == [f"{title} : 0–1 : 0 ; 2 : 1 ; 3 : 0 ; 4 : 0 ; 5 : 1 ; 6–10 : 1 ; 11–20 : 0 ; > 20 : 1 ; "
                     "sans réponse : 1 (délai de réponse : 5 jours ouvrables)"]


def test_without_a_deadline_the_complaints_chart_draws_no_limit(bench, tmp_path):
    structure = create_structure(bench, "Jardins", "ACI").id
    set_certification(bench, structure, "cedre", "COORACE", "C-1", "2025-03-01", "2028-02-28")
    add_complaint(bench, structure, "2026-03-02", "courrier", "client", "Panier incomplet", today=TODAY)
    answer_complaint(bench, structure, "R1", "solution", "2026-03-20", text="Panier livré", today=TODAY)
    ref = f"{structure}/{new_review(bench, structure, 2026, today=TODAY).id}"
    [delays] = inputs(shown(bench, ref), "complaints")["distributions"]
    assert delays["limit"] == "" and set(delays["tones"]) == {"within", "apart"}
    assert delays["title"].endswith("(jours ouvrables ; aucun délai fixé)")
    assert dict(zip(delays["buckets"], delays["counts"]))["11–20"] == 1
    _, body = pdf_text(write_review_report(bench, ref, tmp_path / "bilan.pdf"))
    assert "(jours ouvrables ; aucun délai fixé) 0 1 0 0–1" in body and "hors délai" not in body


def test_each_survey_draws_its_questions_against_the_threshold(bench, afaq_year, tmp_path):
    view = shown(bench, afaq_year["ref"])
    [rates] = inputs(view, "surveys")["rates"]
    survey = json.loads(run_cli(bench.path, "survey", "show", afaq_year["structure"], afaq_year["survey"],
                                "--json").stdout)
    assert rates["labels"] == ["Q1. Accueil au téléphone", "Q2. Rappels promis"]
    assert rates["values"] == [q["rate"] for q in survey["questions"]] == [93.3, 28.6]
    assert rates["threshold"] == 75

    _, body = pdf_text(write_review_report(bench, afaq_year["ref"], tmp_path / "bilan.pdf"))
    drawn = body[body.index(rates["title"]):body.index("Les écarts des audits internes")]
    assert "Q1. Accueil au téléphone 93,3 % Q2. Rappels promis 28,6 % seuil : 75 %" in drawn
    assert (f"{rates['title']} : Q1. Accueil au téléphone : 93,3 % ; Q2. Rappels promis : 28,6 % (seuil : 75 %)"
            in alt_texts(write_review_report(bench, afaq_year["ref"], tmp_path / "bilan.docx")))


def test_a_question_typed_with_markup_and_an_emoji_is_drawn_as_typed(bench, afaq_year, tmp_path):
    results = tmp_path / "hostile.csv"
    results.write_text("Question;Engagement;Pas du tout;Plutôt pas;Plutôt;Tout à fait\n"
                       "Accueil <b>gras</b> & « café » 😀;E1;1;1;1;1\n", encoding="utf-8")
    import_results(bench, afaq_year["structure"], afaq_year["survey"], results)
    [rates] = inputs(shown(bench, afaq_year["ref"]), "surveys")["rates"]
    assert rates["labels"] == ["Q1. Accueil <b>gras</b> & « café » 😀"]
    _, body = pdf_text(write_review_report(bench, afaq_year["ref"], tmp_path / "bilan.pdf"))
    assert "Q1. Accueil <b>gras</b> & « café » □ 50 %" in body  # the emoji the font lacks: a box
    assert any("Q1. Accueil <b>gras</b> & « café » 😀 : 50 %" in text
               for text in alt_texts(write_review_report(bench, afaq_year["ref"], tmp_path / "bilan.docx")))


def test_the_autodiagnostic_is_drawn_as_the_iae_os_radar_against_the_previous(bench, tmp_path):
    structure = create_structure(bench, "Rebond Bois", "EI").id
    for day, rating in {"2025-03-01": "1", "2026-03-01": "3"}.items():
        audit = create_audit(bench, "iae_os", kind="self-assessment", audit_date=day, structure=structure)
        with open_audit(bench, audit.id) as session:
            for requirement in ("1.1.1", "1.1.2"):
                session.rate(requirement, rating)
    ref = f"{structure}/{new_review(bench, structure, 2026, today=TODAY).id}"
    section = inputs(shown(bench, ref), "self-assessment")
    radar = section["radar"]
    assert radar["axes"] == ["1. Accueil et intégration", "2. Accompagnement socioprofessionnel",
                             "3. Compétences et formation",
                             "4. Développement économique, territorial et utilité sociale",
                             "5. Pilotage du projet d'insertion"]
    assert (radar["on"], radar["previous_on"]) == ("2026-03-01", "2025-03-01")
    axes = [f for f in section["figures"] if f["label"] != "Ensemble"]
    assert radar["values"] == [f["value"] for f in axes] and radar["previous"] == [f["previous"] for f in axes]
    assert radar["values"][0] == 100.0 and radar["previous"][0] == pytest.approx(33.3)

    _, body = pdf_text(write_review_report(bench, ref, tmp_path / "bilan.pdf"))
    assert "1. Accueil et intégration 100 %" in body and "3. Compétences et formation —" in body
    assert "Autodiagnostic du 1er mars 2026 Autodiagnostic du 1er mars 2025" in body
    [words] = alt_texts(write_review_report(bench, ref, tmp_path / "bilan.docx"))
    assert words.startswith("Radar de l'autodiagnostic du 1er mars 2026 : 1. Accueil et intégration 100 % "
                            "(précédent 33,3 %)")


def test_a_signed_review_freezes_its_charts_and_its_bilan_stays_the_same_bytes(bench, afaq_year, tmp_path):
    ref, structure = afaq_year["ref"], afaq_year["structure"]
    set_participant(bench, ref, "Hélène Castan", "president")
    sign(bench, ref, "Hélène Castan", today=TODAY)
    first = write_review_report(bench, ref, tmp_path / "bilan.pdf").read_bytes()
    answer_complaint(bench, structure, "R4", "solution", "2026-04-03", text="Réponse faite", today=TODAY)
    add_complaint(bench, structure, "2026-06-01", "mail", "client", "Accueil", today=TODAY)
    assert write_review_report(bench, ref, tmp_path / "again.pdf").read_bytes() == first
    view = shown(bench, ref)
    assert view["signature_valid"] is True
    assert inputs(view, "complaints")["distributions"][0]["counts"][-1] == 1  # R4 as it was: not answered

    path = bench.path / "structures" / f"{structure}.json"  # the charts are signed: one count changed shows
    raw = msgspec.json.decode(path.read_bytes())
    [stored] = [r for r in raw["reviews"].values() if r["id"] == ref.split("/")[1]]
    [section] = [s for s in stored["pack"] if s["reads"] == "complaints"]
    section["distributions"][0]["counts"][-1] = 0
    path.write_bytes(msgspec.json.encode(raw))
    assert shown(bench, ref)["signature_valid"] is False


@pytest.mark.parametrize("ref, expected", [
    ("association-plie-coeur-de-ga-f63c87/RD2", "Réclamations reçues 4"),
    ("association-plie-coeur-de-ga-f63c87/RD1", "Décisions"),
    ("rebond-bois-services-2c59e9/RD1", "Accueil et intégration 87,2 % 69,2 % +18 points"),
])
def test_a_review_signed_before_the_charts_keeps_its_signature_and_its_bilan(tmp_path, ref, expected):
    workspace = tmp_path / "ws"
    shutil.copytree(SIGNED_BEFORE_CHARTS, workspace)
    view = json.loads(run_cli(workspace, "review", "show", ref, "--json").stdout)
    assert view["state"] == "signed" and view["signature_valid"] is True
    assert all(s["distributions"] == [] and s["rates"] == [] and s["radar"] is None for s in view["inputs"])
    run_cli(workspace, "review", "report", ref, "-o", str(tmp_path / "bilan.pdf"))
    _, body = pdf_text(tmp_path / "bilan.pdf")
    assert expected in body and view["signature"]["sha256"] in body.replace(" ", "")
    run_cli(workspace, "review", "report", ref, "-o", str(tmp_path / "bilan.docx"))
    assert Document(str(tmp_path / "bilan.docx")).paragraphs[0].text == f"Bilan annuel {view['year']}"
