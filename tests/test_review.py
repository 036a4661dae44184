"""The revue de direction through the services, on the installed referentials: the pack built from
records made through the services, the consistency check, decisions landing in the plan, the
signature freezing it all, new versions, refusals."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import msgspec
import pytest
from docx import Document

from audit_bench.reports.review_content import value_text
from audit_bench.reports.typography import french_typography
from audit_bench.services import Workspace
from audit_bench.services.audits import create_audit, open_audit
from audit_bench.services.complaints import add_complaint, answer_complaint, complaint_views
from audit_bench.services.indicators import record_value, set_target
from audit_bench.services.errors import CorruptFileError, UserError
from audit_bench.services.exits import record_exits
from audit_bench.services.plan import PlanFilter, add_ecart, open_holder, read_plan
from audit_bench.model.review import InputComment
from audit_bench.model.vocab import REVIEW_READS
from audit_bench.services.cycle import record_met
from audit_bench.services.indicators import define_indicator
from audit_bench.services.review import (
    SECTION_BUILDERS, TO_COMPLETE, check_review, decide, distribute, list_reviews, new_review, remove_participant,
    review_page, set_comment, set_participant, show_review, sign, signed_content, write_review_report,
)
from audit_bench.services.structures import create_structure, set_certification
from audit_bench.services.surveys import add_survey, import_results
from audit_bench.services.surveys import set_settings as set_survey_settings
from audit_bench.store.structure_file import StructureFile
from test_report import pdf_text, typeset

TODAY = date(2027, 1, 20)


@pytest.fixture
def bench(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path / "ws")


@pytest.fixture
def afaq(bench):
    """A structure certified AFAQ; a closed internal audit of 2026 with two écarts (one treated,
    one without action), an écart of a contrôle; an open audit of 2025."""
    structure = create_structure(bench, "Passerelle Emploi")
    set_certification(bench, structure.id, "afaq", "AFNOR Certification", "ES-209-17", "2025-03-01", "2028-02-28")
    audit = create_audit(bench, "afaq", kind="internal", audit_date="2026-04-02", auditors=["Claire"],
                         structure=structure.id)
    with open_audit(bench, audit.id) as session:
        treated = session.add_finding("E1.1", "ecart-mineur", "Accueil sans rendez-vous non tracé")
        action = session.add_action(treated.id, "Tenir le registre d'accueil", "Claire Martin", "2026-06-30")
        session.update_action(action.id, status="done")
        session.add_finding("E1.2", "ecart-majeur", "Délai de premier entretien dépassé")
        session.close_audit()
    old = create_audit(bench, "afaq", kind="internal", audit_date="2025-05-10", auditors=["Claire"],
                       structure=structure.id)
    control = add_ecart(bench, structure.id, "controle", "Affichage des engagements absent")
    with open_holder(bench, structure.id) as session:
        session.add_action(control.id, "Afficher les engagements", "Direction", "2026-09-30", "curative")
    return {"structure": structure.id, "audit": audit.id, "old": old.id, "action": action.id}


def section(view, input_id: str):
    return next(s for s in view.inputs if s.input == input_id)


def figures(pack_section) -> dict[str, object]:
    return {f.label: f.value for f in pack_section.figures}


def test_the_pack_has_every_afaq_input_in_its_order_built_from_the_records(bench, afaq):
    review = new_review(bench, afaq["structure"], 2026)
    ref = f"{afaq['structure']}/{review.id}"
    assert review.id == "RD1" and (review.start, review.end) == ("2026-01-01", "2026-12-31")
    view = show_review(bench, ref, today=TODAY)
    assert [s.input for s in view.inputs] == ["indicateurs", "enquetes", "audits-internes", "reclamations",
                                              "actions-decidees", "propositions", "sous-traitance",
                                              "plan-amelioration"]
    assert section(view, "reclamations").no_data == "Aucune réclamation enregistrée en 2026"
    assert section(view, "reclamations").title == "Les réclamations et leur traitement"
    assert section(view, "propositions").no_data == TO_COMPLETE
    audits = section(view, "audits-internes")
    assert [(f.label, f.value, f.ref) for f in audits.figures] == [
        ("Écarts — audit interne du 2026-04-02 (clos)", 2, afaq["audit"]),
        ("dont écart mineur", 1, afaq["audit"]), ("dont écart majeur", 1, afaq["audit"])]
    assert audits.details[1].endswith("Délai de premier entretien dépassé — sans action")
    assert section(view, "actions-decidees").no_data == "Aucune revue de direction signée avant 2026"
    plan = figures(section(view, "plan-amelioration"))
    assert plan["Actions ouvertes dans la période"] == 2
    assert plan["Réalisées, efficacité non vérifiée"] == 1
    assert plan["dont en retard au 2027-01-20"] == 1  # the contrôle's action, due 2026-09-30
    assert plan["Ouvertes dans la période, source Audit"] == 1
    assert plan["Ouvertes dans la période, source Contrôle"] == 1


def test_the_registers_fill_their_sections_and_the_check(bench, afaq, tmp_path):
    structure = afaq["structure"]
    add_complaint(bench, structure, "2026-03-02", "courrier", "prescripteur", "Rappel jamais fait", today=TODAY)
    add_complaint(bench, structure, "2026-03-09", "orale", "client", "Accueil", today=TODAY)
    answer_complaint(bench, structure, "R1", "solution", "2026-03-05", text="Rappel fait", today=TODAY)
    survey = add_survey(bench, structure, "personnes", "sortie", "01/01/2026", "30/06/2026", 120, 80, today=TODAY).id
    results = tmp_path / "resultats.csv"
    results.write_text("Question;Engagement;Pas du tout;Plutôt pas;Plutôt;Tout à fait\n"
                       "Accueil;E1;2;3;30;40\nRappels;E1;30;20;10;10\n", encoding="utf-8")
    set_survey_settings(bench, structure, threshold=75)
    import_results(bench, structure, survey, results)
    set_target(bench, structure, "IND2", 80, period="quarter")
    for quarter, (met, of) in {"2025-T4": (16, 20), "2026-T1": (18, 20), "2026-T2": (14, 20)}.items():
        record_value(bench, structure, "IND2", quarter, numerator=met, denominator=of, today=TODAY)
    review = new_review(bench, structure, 2026)
    ref = f"{structure}/{review.id}"
    view = show_review(bench, ref, today=TODAY)

    complaints = figures(section(view, "reclamations"))
    assert complaints["Réclamations reçues"] == 2 and complaints["Sans réponse"] == 1
    assert complaints["dont écrite — courrier"] == 1 and complaints["dont orale"] == 1
    assert complaints["Répondues dans le délai"] == 100.0  # R1: 3 jours ouvrables for 5
    surveys = section(view, "enquetes")
    assert figures(surveys)["Seuil de satisfaction de la structure"] == 75
    [rated] = [f for f in surveys.figures if f.ref == survey]
    assert rated.value == round(100 * (70 + 20) / (75 + 70), 1) and rated.unit == "%"  # upper two levels
    assert surveys.details == [f"Enquête {survey} : 1 question(s) sous le seuil, dont 1 sans écart ouvert"]
    [ind2] = [f for f in section(view, "indicateurs").figures if f.ref == "IND2"]
    assert (ind2.value, ind2.previous) == (80.0, 80.0)  # (18 + 14) / 40, and 16 / 20 in 2025: sums, not means
    assert "valeurs manquantes : 2026-T3, 2026-T4" in " ".join(section(view, "indicateurs").details)
    [trend] = section(view, "indicateurs").trends  # the only indicator with values
    assert (trend.periods, trend.values, trend.target) == (
        ["2025-T4", "2026-T1", "2026-T2", "2026-T3", "2026-T4"], [80.0, 90.0, 70.0, None, None], 80)
    _, body = pdf_text(write_review_report(bench, ref, tmp_path / "bilan.pdf", today=TODAY))
    assert "IND2 — Suivi du taux de personnes en parcours" in body and "2026-T2" in body  # the chart, in the bilan
    word = Document(str(write_review_report(bench, ref, tmp_path / "bilan.docx", today=TODAY)))
    assert len(word.inline_shapes) == 3  # the trend, the complaints by answer delay, the survey by question

    points = {(p.kind, p.ref) for p in check_review(bench, ref, today=TODAY).points}
    assert ("complaint-not-answered", f"{structure}/R2") in points
    assert ("complaint-not-answered", f"{structure}/R1") not in points
    assert ("survey-without-action", f"{structure}/{survey}") in points
    assert ("indicator-incomplete", f"{structure}/IND2") in points
    assert ("indicator-incomplete", f"{structure}/IND1") in points  # followed by the AFAQ certificate, no target


def test_exits_recorded_add_the_taux_de_sortie_to_the_pack(bench, afaq):
    structure = afaq["structure"]
    ref = f"{structure}/{new_review(bench, structure, 2026).id}"
    assert not [s for s in show_review(bench, ref, today=TODAY).inputs if s.reads == "exits"]
    record_exits(bench, structure, 2026, 0, {"cdi": 3, "formation-qualifiante": 1, "inactif": 2, "sans-nouvelle": 2})
    view = show_review(bench, ref, today=TODAY)
    [exits] = [s for s in view.inputs if s.reads == "exits"]
    assert view.inputs[-1] is exits and exits.title == "Taux de sortie dynamique"
    rates = {f.ref: (f.value, f.label) for f in exits.figures}
    # official: (3 + 1) / 8 = 50 %; URIAE leaves inactif and sans nouvelle out of the base: 4 / 4
    assert rates["0/official"][0] == 50.0 and rates["0/official"][1].endswith("à la sortie (4 / 8)")
    assert rates["0/uriae"][0] == 100.0 and set(rates) == {"0/official", "0/uriae"}


def test_a_section_without_data_says_so(bench, afaq):
    review = new_review(bench, afaq["structure"], 2024)
    view = show_review(bench, f"{afaq['structure']}/{review.id}", today=TODAY)
    assert section(view, "audits-internes").no_data == "Aucun audit réalisé en 2024"
    assert section(view, "audits-internes").figures == []


def test_the_check_lists_what_to_fix_before_the_meeting(bench, afaq):
    review = new_review(bench, afaq["structure"], 2026)
    ref = f"{afaq['structure']}/{review.id}"
    set_participant(bench, ref, "Marie Durand", "president")
    points = [(p.kind, p.ref) for p in check_review(bench, ref, today=TODAY).points]
    assert ("ecart-without-action", f"{afaq['audit']}/E2") in points
    assert ("action-not-verified", f"{afaq['audit']}/{afaq['action']}") in points
    missing = [p for p in check_review(bench, ref, today=TODAY).points if p.kind == "missing-participant"]
    assert len(missing) == 2 and "Direction (AFAQ 6.7)" in missing[0].text
    assert not any(kind == "no-internal-audit" for kind, _ in points)
    year_without = new_review(bench, afaq["structure"], 2025)
    points = check_review(bench, f"{afaq['structure']}/{year_without.id}", today=TODAY).points
    assert [p.text for p in points if p.kind == "no-internal-audit"] == ["Aucun audit interne AFAQ clos en 2025"]


def test_an_action_decided_lands_in_the_plan_at_once(bench, afaq):
    ref = f"{afaq['structure']}/{new_review(bench, afaq['structure'], 2026).id}"
    decision = decide(bench, ref, "action", "Réduire le délai du premier entretien", owner="Paul Girard",
                      due="2027-03-31", action_type="preventive", today=TODAY)
    assert (decision.id, decision.action) == ("D1", "A2")
    plan = read_plan(bench, PlanFilter(structure=afaq["structure"], source="revue"), today=TODAY).records()
    assert [(a.holder, a.id, a.owner, a.due, a.type, a.source.ref) for a in plan] == [
        (afaq["structure"], "A2", "Paul Girard", "2027-03-31", "preventive", "RD1 (2026)")]
    decide(bench, ref, "staff-objectives", "Chaque accompagnateur suit deux formations", today=TODAY)
    assert [d.kind for d in show_review(bench, ref, today=TODAY).decisions] == ["action", "staff-objectives"]


@pytest.mark.parametrize(("kind", "owner", "due", "message"), [
    ("action", None, "2027-03-31", "responsable"),
    ("action", "Paul", None, "échéance"),
    ("quality-policy", None, None, r"non prévue par le référentiel de la revue \(AFAQ\)"),  # CEDRE's
    ("action", "Paul", "2027-02-30", "n'existe pas"),
])
def test_a_wrong_decision_is_refused_and_changes_nothing(bench, afaq, kind, owner, due, message):
    ref = f"{afaq['structure']}/{new_review(bench, afaq['structure'], 2026).id}"
    path = bench.path / "structures" / f"{afaq['structure']}.json"
    before = path.read_bytes()
    with pytest.raises(UserError, match=message):
        decide(bench, ref, kind, "Texte", owner=owner, due=due, today=TODAY)
    assert path.read_bytes() == before


def signed_review(bench, afaq) -> str:
    ref = f"{afaq['structure']}/{new_review(bench, afaq['structure'], 2026).id}"
    for name, role in [("Marie Durand", "president"), ("Jean Petit", "direction"),
                       ("Claire Martin", "referent-qualite")]:
        set_participant(bench, ref, name, role)
    set_participant(bench, ref, "Luc Bernard", "auditeur-interne", present=False)
    decide(bench, ref, "action", "Réduire le délai du premier entretien", owner="Paul Girard", due="2027-03-31",
           today=TODAY)
    sign(bench, ref, "Marie Durand", held_on="2027-01-15", today=TODAY)
    return ref


def test_a_signed_review_is_frozen_and_the_plan_changing_later_does_not_alter_it(bench, afaq):
    ref = signed_review(bench, afaq)
    signed = show_review(bench, ref, today=TODAY)
    assert (signed.state, signed.held_on, signed.signature.by, signed.signature_valid) == (
        "signed", "2027-01-15", "Marie Durand", True)
    with open_audit(bench, afaq["audit"]) as session:
        session.update_action(afaq["action"], verified_by="Jean Petit", effective=True)
        session.add_action("E2", "Planifier les entretiens sous huit jours", "Claire Martin", "2027-02-28")
    later = show_review(bench, ref, today=date(2027, 6, 1))
    assert later.inputs == signed.inputs and later.signature_valid
    with StructureFile.open(bench.path / "structures" / f"{afaq['structure']}.json", write=False) as file:
        met = file.snapshot().fulfilments
    assert [(f.referential, f.obligation, f.on) for f in met] == [("afaq", "bilan-annuel", "2027-01-15")]
    stored = next(r for r in _reviews(bench, afaq["structure"]) if r.id == "RD1")
    assert hashlib.sha256(signed_content(stored)).hexdigest() == stored.signature.sha256


@pytest.mark.parametrize("change", [
    lambda bench, ref: set_participant(bench, ref, "Paul", "direction"),
    lambda bench, ref: remove_participant(bench, ref, "Jean Petit", "direction"),
    lambda bench, ref: decide(bench, ref, "improvement-axis", "Numériser l'accueil", today=TODAY),
    lambda bench, ref: sign(bench, ref, "Jean Petit", today=TODAY),
    lambda bench, ref: set_comment(bench, ref, "propositions", "Trop tard"),
])

def test_every_change_to_a_signed_review_is_refused(bench, afaq, change):
    ref = signed_review(bench, afaq)
    path = bench.path / "structures" / f"{afaq['structure']}.json"
    before = path.read_bytes()
    with pytest.raises(UserError, match=r"signée : elle ne se modifie plus ; en faire une nouvelle version "
                                        r"\(review new .* --supersedes RD1\)"):
        change(bench, ref)
    assert path.read_bytes() == before


def test_a_review_is_signed_once_held_and_with_someone_present(bench, afaq):
    ref = f"{afaq['structure']}/{new_review(bench, afaq['structure'], 2026).id}"
    with pytest.raises(UserError, match="aucun participant présent"):
        sign(bench, ref, "Marie Durand", today=TODAY)
    set_participant(bench, ref, "Marie Durand", "president")
    with pytest.raises(UserError, match="à venir"):
        sign(bench, ref, "Marie Durand", held_on="2027-02-01", today=TODAY)
    assert show_review(bench, ref).state == "draft"


def test_a_signed_review_is_distributed_without_touching_its_signature(bench, afaq):
    ref = signed_review(bench, afaq)
    distribute(bench, ref, "Équipe d'accompagnement", "2027-01-22")
    view = show_review(bench, ref)
    assert [(s.person, s.sent_on) for s in view.distribution] == [("Équipe d'accompagnement", "2027-01-22")]
    assert view.signature_valid


def test_a_new_version_supersedes_the_signed_review_once_signed(bench, afaq):
    ref = signed_review(bench, afaq)
    structure = afaq["structure"]
    with pytest.raises(UserError, match="déjà une revue pour 2026"):
        new_review(bench, structure, 2026)
    version = new_review(bench, structure, supersedes="RD1")
    assert (version.id, version.year, version.supersedes) == ("RD2", 2026, "RD1")
    assert [d.text for d in version.decisions] == ["Réduire le délai du premier entretien"]
    with pytest.raises(UserError, match="déjà en préparation"):
        new_review(bench, structure, supersedes="RD1")
    decide(bench, f"{structure}/RD2", "improvement-axis", "Numériser l'accueil", today=TODAY)
    assert show_review(bench, ref).state == "signed"  # until the new version is signed
    sign(bench, f"{structure}/RD2", "Marie Durand", today=TODAY)
    rows = list_reviews(bench, structure).to_builtins()["reviews"]
    assert [(r["id"], r["state"], r["superseded_by"]) for r in rows] == [
        (f"{structure}/RD2", "signed", None), (f"{structure}/RD1", "superseded", "RD2")]
    assert show_review(bench, ref).signature_valid  # superseded, still what was signed
    with pytest.raises(UserError, match="remplacée par RD2"):
        set_participant(bench, ref, "Paul", "direction")


def test_the_previous_reviews_decisions_are_followed_up(bench, afaq):
    signed_review(bench, afaq)
    structure = afaq["structure"]
    ref = f"{structure}/{new_review(bench, structure, 2027).id}"
    today = date(2027, 12, 1)
    followed = section(show_review(bench, ref, today=today), "actions-decidees")
    assert figures(followed)["Actions décidées"] == 1
    assert figures(followed)["dont en retard au 2027-12-01"] == 1
    assert "action A2 (Paul Girard, échéance 2027-03-31) : À faire" in followed.details[0]
    points = check_review(bench, ref, today=today).points
    assert [(p.kind, p.ref) for p in points if p.kind == "previous-decision-not-followed"] == [
        ("previous-decision-not-followed", f"{structure}/RD1/D1")]


def test_the_iae_os_section_compares_the_latest_autodiagnostic_with_the_previous(bench, tmp_path):
    structure = create_structure(bench, "Rebond Bois", "EI")
    ratings = {"2025-03-01": "1", "2026-03-01": "3"}
    for day, rating in ratings.items():
        audit = create_audit(bench, "iae_os", kind="self-assessment", audit_date=day, structure=structure.id)
        with open_audit(bench, audit.id) as session:
            for requirement in ("1.1.1", "1.1.2"):
                session.rate(requirement, rating)
    ref = f"{structure.id}/{new_review(bench, structure.id, 2026).id}"
    view = show_review(bench, ref, today=TODAY)
    assert [s.input for s in view.inputs] == ["autodiagnostic"]
    first, total = view.inputs[0].figures[0], view.inputs[0].figures[-1]
    assert (first.value, first.previous, first.unit) == (100.0, pytest.approx(33.3), "%")
    assert (total.label, total.value, total.previous) == ("Ensemble", 100.0, pytest.approx(33.3))
    assert view.inputs[0].details[0].startswith("Autodiagnostic du 2026-03-01")
    _, body = pdf_text(write_review_report(bench, ref, tmp_path / "bilan.pdf", today=TODAY))
    assert "[IAE OS]" not in body and "Ensemble 100 % 33,3 % +66,7 points" in body
    word = Document(str(write_review_report(bench, ref, tmp_path / "bilan.docx", today=TODAY)))
    assert len(word.inline_shapes) == 1  # the chart, as a picture


def test_a_structure_file_written_before_reviews_reads_none(bench, afaq):
    path = bench.path / "structures" / f"{afaq['structure']}.json"
    document = json.loads(path.read_bytes())
    del document["reviews"]
    path.write_text(json.dumps(document), encoding="utf-8")
    assert list_reviews(bench, afaq["structure"]).reviews == []
    assert new_review(bench, afaq["structure"], 2026).id == "RD1"


def test_a_damaged_review_costs_only_itself(bench, afaq):
    """Its neighbours, the registers and new reviews read and write; it is named wherever asked for,
    kept as it is in the file, and its number is never given again."""
    structure = afaq["structure"]
    add_complaint(bench, structure, "2026-03-02", "courrier", "prescripteur", "Rappel jamais fait", today=TODAY)
    for year in (2024, 2025, 2026):
        new_review(bench, structure, year)
    path = bench.path / "structures" / f"{structure}.json"
    document = json.loads(path.read_bytes())
    document["reviews"]["3"]["id"] = "RD3/../x"
    document["reviews"]["1"]["year"] = "deux mille"
    path.write_text(json.dumps(document), encoding="utf-8")

    listed = list_reviews(bench, structure)
    assert [r.id for r in listed.reviews] == [f"{structure}/RD2"]
    assert [e.id for e in listed.errors] == ["RD1", "RD3/../x"]
    assert str(path) in listed.errors[1].error and "document 3 de la table « reviews » (« RD3/../x »)" in \
        listed.errors[1].error
    before = path.read_bytes()
    with pytest.raises(CorruptFileError, match=r"revue endommagée, les autres restent lisibles : document 1 .*"
                                               r"\(« RD1 »\) : Expected `int`, got `str` - at `\$.year`"):
        set_participant(bench, f"{structure}/RD1", "Paul", "direction")
    with pytest.raises(UserError, match=r"revue inconnue « RD3 » .* revue endommagée : document 3 .*RD3/\.\./x"):
        show_review(bench, f"{structure}/RD3")
    assert path.read_bytes() == before

    set_participant(bench, f"{structure}/RD2", "Marie Durand", "president")
    assert show_review(bench, f"{structure}/RD2", today=TODAY).participants[0].name == "Marie Durand"
    assert new_review(bench, structure, 2027).id == "RD4"  # RD3, damaged, keeps its number
    stored = json.loads(path.read_bytes())["reviews"]
    assert (stored["1"], stored["3"]) == (document["reviews"]["1"], document["reviews"]["3"])  # kept as they were
    assert [c.id for c in complaint_views(bench, structure, TODAY)] == ["R1"]


@pytest.mark.parametrize("row", [42, "x", [1, 2], None])
def test_a_review_row_that_is_not_an_object_costs_only_itself(bench, row):
    """Not even an object: still named, and every write to the structure works around it, keeping
    it as it is and never giving its doc id again."""
    structure = create_structure(bench, "Passerelle Emploi").id
    set_certification(bench, structure, "afaq", "AFNOR Certification", "ES-209-17", "2025-03-01", "2028-02-28")
    new_review(bench, structure, 2025)
    path = bench.path / "structures" / f"{structure}.json"
    document = json.loads(path.read_bytes())
    document["reviews"]["2"] = row
    path.write_text(json.dumps(document), encoding="utf-8")

    listed = list_reviews(bench, structure)
    assert [r.id for r in listed.reviews] == [f"{structure}/RD1"]
    assert [e.id for e in listed.errors] == [""] and "document 2 de la table « reviews »" in listed.errors[0].error
    add_complaint(bench, structure, "2026-03-02", "courrier", "prescripteur", "Rappel jamais fait", today=TODAY)
    assert new_review(bench, structure, 2026).id == "RD2"
    set_participant(bench, f"{structure}/RD2", "Marie Durand", "president")
    with pytest.raises(UserError, match="revue inconnue « RD9 » .* revue endommagée : document 2 de la table"):
        show_review(bench, f"{structure}/RD9")
    stored = json.loads(path.read_bytes())["reviews"]
    assert list(stored) == ["1", "2", "3"] and stored["2"] == row and stored["3"]["id"] == "RD2"
    assert [c.id for c in complaint_views(bench, structure, TODAY)] == ["R1"]


def test_a_row_that_is_not_an_object_still_refuses_a_table_that_is_not_tolerant(bench):
    structure = create_structure(bench, "Passerelle Emploi").id
    path = bench.path / "structures" / f"{structure}.json"
    document = json.loads(path.read_bytes())
    document["complaints"] = {"1": 42}
    path.write_text(json.dumps(document), encoding="utf-8")
    damaged = path.read_bytes()
    with pytest.raises(CorruptFileError, match="le document 1 de la table « complaints » n'est pas un objet"):
        list_reviews(bench, structure)
    with pytest.raises(CorruptFileError, match="le document 1 de la table « complaints » n'est pas un objet"):
        new_review(bench, structure, 2026)
    assert path.read_bytes() == damaged


def test_a_review_is_refused_while_another_process_writes_the_structure(bench, afaq):
    ref = f"{afaq['structure']}/{new_review(bench, afaq['structure'], 2026).id}"
    path = bench.path / "structures" / f"{afaq['structure']}.json"
    with StructureFile.open(path):  # the lock this process holds stands for another writer's
        before = path.read_bytes()
        with pytest.raises(Exception, match="lecture seule"):
            decide(Workspace(bench.path), ref, "improvement-axis", "Numériser l'accueil", today=TODAY)
        assert path.read_bytes() == before


def _reviews(bench, structure_id):
    with StructureFile.open(bench.path / "structures" / f"{structure_id}.json", write=False) as file:
        return file.snapshot().reviews


def test_the_bilan_prints_the_pack_and_a_signed_one_is_the_same_bytes_after_the_plan_changes(bench, afaq, tmp_path):
    ref = signed_review(bench, afaq)
    first = write_review_report(bench, ref, tmp_path / "bilan.pdf")
    assert first.stat().st_mode & 0o777 == 0o600
    with open_audit(bench, afaq["audit"]) as session:
        session.update_action(afaq["action"], verified_by="Jean Petit", effective=True)
    again = write_review_report(bench, ref, tmp_path / "bilan-2.pdf")
    assert again.read_bytes() == first.read_bytes()
    _, body = pdf_text(first)
    view = show_review(bench, ref)
    for pack_section in view.inputs:
        assert typeset(pack_section.title) in body
        for figure in pack_section.figures:
            assert typeset(f"{figure.label} {value_text(figure.value, figure.unit)}") in body
    assert "Aucune revue de direction signée avant 2026" in body
    assert "Réduire le délai du premier entretien" in body and view.signature.sha256 in body
    assert "Luc Bernard absent·e, excusé·e" in body


def test_the_word_bilan_has_the_same_figures_in_words_own_styles(bench, afaq, tmp_path):
    ref = signed_review(bench, afaq)
    word = Document(str(write_review_report(bench, ref, tmp_path / "bilan.docx")))
    paragraphs = [(p.style.name, p.text) for p in word.paragraphs]
    assert ("Title", "Bilan annuel 2026") in paragraphs
    assert ("Heading 3", "Les écarts des audits internes réalisés") in paragraphs
    rows = {tuple(c.text for c in row.cells) for table in word.tables for row in table.rows}
    for pack_section in show_review(bench, ref).inputs:
        assert {(french_typography(f.label), value_text(f.value, f.unit)) for f in pack_section.figures} <= \
            {row[:2] for row in rows}
    assert ("D1", "Nouvelle action (curative, corrective ou préventive)", "Réduire le délai du premier entretien",
            "Paul Girard", "31\u00a0mars 2027", "A2") in rows
    assert all(table.style.name == "Table Grid" for table in word.tables)


def test_the_bilan_is_never_written_over_the_workspace(bench, afaq):
    ref = f"{afaq['structure']}/{new_review(bench, afaq['structure'], 2026).id}"
    with pytest.raises(UserError):
        write_review_report(bench, ref, bench.path / "structures" / f"{afaq['structure']}.json", force=True)


def test_hostile_text_prints_as_typed_in_the_pdf_and_the_word_bilan(bench, afaq, tmp_path):
    ref = f"{afaq['structure']}/{new_review(bench, afaq['structure'], 2026).id}"
    set_participant(bench, ref, "Jean <i>Petit</i> & Cie", "direction")
    decide(bench, ref, "improvement-axis", "Écrire à <b>tous</b> & « suivre »\u202f!", today=TODAY)
    _, body = pdf_text(write_review_report(bench, ref, tmp_path / "bilan.pdf", today=TODAY))
    assert "Jean <i>Petit</i> & Cie" in body and typeset("Écrire à <b>tous</b> & « suivre »") in body
    word = Document(str(write_review_report(bench, ref, tmp_path / "bilan.docx", today=TODAY)))
    cells = {c.text for table in word.tables for row in table.rows for c in row.cells}
    assert "Jean <i>Petit</i> & Cie" in cells
    assert french_typography("Écrire à <b>tous</b> & « suivre »\u202f!") in cells


def test_every_kind_of_input_has_its_builder():
    assert set(SECTION_BUILDERS) == set(REVIEW_READS)


def test_the_referent_writes_his_text_for_each_input_until_then_those_without_register_are_to_complete(
        bench, afaq, tmp_path):
    structure = afaq["structure"]
    ref = f"{structure}/{new_review(bench, structure, 2026).id}"
    view = show_review(bench, ref, today=TODAY)
    assert section(view, "propositions").no_data == TO_COMPLETE and section(view, "sous-traitance").no_data == TO_COMPLETE
    assert section(view, "sous-traitance").details == [
        "Bilan des sous-traitants et prestataires : non marqué fait en 2026 (agenda)"]
    to_complete = [(p.ref, p.text) for p in check_review(bench, ref, today=TODAY).points if p.kind == "input-to-complete"]
    assert to_complete == [
        (f"{ref}/afaq:propositions", "À compléter par le référent qualité : Les propositions d'amélioration (AFAQ 6.7)"),
        (f"{ref}/afaq:sous-traitance", "À compléter par le référent qualité : Le bilan du respect des contrats des "
                                       "sous-traitants et prestataires (AFAQ 6.3)")]

    record_met(bench, structure, "afaq", "bilan-sous-traitance", "2026-03-12", note="classeur Achats", today=TODAY)
    set_comment(bench, ref, "propositions", "Deux propositions de l'équipe :\r\n\nun accueil <b>sans</b> rendez-vous & « plus »")
    set_comment(bench, ref, "afaq:reclamations", "Aucune réclamation : l'affichage est à revoir.")
    view = show_review(bench, ref, today=TODAY)
    proposals = section(view, "propositions")
    assert (proposals.no_data, proposals.comment) == (
        "", "Deux propositions de l'équipe :\n\nun accueil <b>sans</b> rendez-vous & « plus »")
    assert section(view, "reclamations").comment == "Aucune réclamation : l'affichage est à revoir."
    assert section(view, "reclamations").no_data == "Aucune réclamation enregistrée en 2026"  # the figures' words stay
    assert section(view, "sous-traitance").details == [
        "Bilan des sous-traitants et prestataires marqué fait le 2026-03-12 (agenda) — classeur Achats"]
    page = review_page(bench, ref, today=TODAY)
    assert page.view == view and page.points == check_review(bench, ref, today=TODAY).points
    assert [p.ref for p in page.points if p.kind == "input-to-complete"] == [f"{ref}/afaq:sous-traitance"]

    _, body = pdf_text(write_review_report(bench, ref, tmp_path / "bilan.pdf", today=TODAY))
    assert typeset("Analyse du référent qualité :\nDeux propositions de l'équipe :\n"
                   "un accueil <b>sans</b> rendez-vous & « plus »") in body  # under its heading, a paragraph per line
    word = [p.text for p in Document(str(write_review_report(bench, ref, tmp_path / "bilan.docx",
                                                             today=TODAY))).paragraphs]
    for paragraph in ("Deux propositions de l'équipe :", "Aucune réclamation : l'affichage est à revoir."):
        assert word[word.index(french_typography(paragraph)) - 1] == french_typography("Analyse du référent qualité :")

    set_comment(bench, ref, "afaq:propositions", "  ")
    assert section(show_review(bench, ref, today=TODAY), "propositions").comment == ""
    assert f"{ref}/afaq:propositions" in {p.ref for p in check_review(bench, ref, today=TODAY).points}


def test_an_unknown_or_shared_input_is_refused_and_changes_nothing(bench, afaq):
    structure = afaq["structure"]
    set_certification(bench, structure, "cedre", "AFNOR Certification", "CE-1", "2025-03-01", "2028-02-28")
    ref = f"{structure}/{new_review(bench, structure, 2026).id}"
    path = bench.path / "structures" / f"{structure}.json"
    before = path.read_bytes()
    with pytest.raises(UserError, match=r"« enquetes » est une donnée d'entrée de afaq, cedre : préciser "
                                        r"RÉFÉRENTIEL:enquetes"):
        set_comment(bench, ref, "enquetes", "Bon taux de réponse")
    with pytest.raises(UserError, match=r"donnée d'entrée inconnue « iae_os:enquetes » .* choisir parmi "
                                        r"indicateurs, afaq:enquetes, .*, regulation, tableaux-de-bord"):
        set_comment(bench, ref, "iae_os:enquetes", "Bon taux de réponse")
    assert path.read_bytes() == before
    set_comment(bench, ref, "cedre:enquetes", "Bon taux de réponse")
    view = show_review(bench, ref, today=TODAY)
    assert [(s.referential, s.comment) for s in view.inputs if s.input == "enquetes"] == [
        ("afaq", ""), ("cedre", "Bon taux de réponse")]


def test_the_cedre_tableaux_de_bord_are_the_structures_indicators(bench):
    structure = create_structure(bench, "Atelier du Lac", "ACI").id
    set_certification(bench, structure, "cedre", "AFNOR Certification", "CE-2", "2025-03-01", "2028-02-28")
    define_indicator(bench, structure, "SORTIES", "Sorties dynamiques", "higher", "year", unit="%")
    record_value(bench, structure, "SORTIES", "2026", 62, today=TODAY)
    ref = f"{structure}/{new_review(bench, structure, 2026).id}"
    view = show_review(bench, ref, today=TODAY)
    boards = section(view, "tableaux-de-bord")
    assert [(f.ref, f.value) for f in boards.figures] == [("SORTIES", 62.0)]
    assert section(view, "regulation").no_data == TO_COMPLETE
    assert [p.ref for p in check_review(bench, ref, today=TODAY).points if p.kind == "input-to-complete"] == [
        f"{ref}/cedre:regulation"]


def test_a_review_signed_before_the_referents_texts_keeps_its_signature(bench, afaq):
    """The bytes signed by a review written before `comments` existed: the key is left out while empty."""
    ref = signed_review(bench, afaq)
    stored = next(r for r in _reviews(bench, afaq["structure"]) if r.id == "RD1")
    content = signed_content(stored)
    assert b'"comments"' not in content
    unstripped = msgspec.json.encode(msgspec.structs.replace(stored, signature=None, distribution=[]),
                                     order="deterministic")
    assert unstripped != content  # what the signature would hash without leaving the new keys out
    commented = msgspec.structs.replace(stored, comments=[InputComment(referential="afaq", input="propositions",
                                                                       text="Deux propositions")])
    assert b'"comments":[{"referential":"afaq","input":"propositions","text":"Deux propositions"}]' in \
        signed_content(commented)
    assert show_review(bench, ref).signature_valid
