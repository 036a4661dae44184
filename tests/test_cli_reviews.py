"""`review …` and `reviews` through the entry point: the stable JSON keys, the journey from a draft
to a signed and distributed review, and every bad input refused with one line and nothing changed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from support import run_cli, tree_digest
from test_report import pdf_text, typeset

SIGNED_AT_955D4A5 = Path(__file__).parent / "fixtures" / "signed_by_955d4a5"
"""A workspace whose reviews main signed at 955d4a5, before the référent's texts and the charts: the
demo's AFAQ structure (RD1 of 2025, RD2 of 2026 with trends, a survey and complaints) and its IAE
OS one (RD1 of 2026)."""


def cli(workspace, *args, check=True):
    return run_cli(workspace, *args, check=check)


@pytest.fixture(scope="module")
def review_source(tmp_path_factory):
    """An AFAQ-certified structure with a closed internal audit of 2026 (one écart, no action) and
    its review of 2026, made once: `review` gives each test its own copy."""
    ws = tmp_path_factory.mktemp("review-source") / "ws"
    structure = cli(ws, "structure", "new", "--name", "Passerelle « Emploi » & Co").stdout.strip()
    cli(ws, "structure", "certification", structure, "--referential", "afaq", "--body", "AFNOR Certification",
        "--number", "ES-17", "--issued", "2025-03-01", "--valid-until", "2028-02-28")
    audit = cli(ws, "new", "--referential", "afaq", "--kind", "internal", "--date", "2026-04-02",
                "--structure", structure).stdout.strip()
    cli(ws, "finding", audit, "E1.1", "--class", "ecart-majeur", "--text", "Délai <b>dépassé</b>")
    cli(ws, "close", audit)
    ref = json.loads(cli(ws, "review", "new", structure, "--year", "2026", "--json").stdout)["id"]
    return ws, structure, audit, ref


@pytest.fixture
def review(review_source, tmp_path):
    source, *names = review_source
    return (shutil.copytree(source, tmp_path / "ws"), *names)


def test_a_review_from_draft_to_signed_and_distributed(review):
    ws, structure, audit, ref = review
    assert ref == f"{structure}/RD1"
    check = json.loads(cli(ws, "review", "check", ref, "--json").stdout)
    assert {"kind": "ecart-without-action", "text": "Écart sans action : Délai <b>dépassé</b>",
            "ref": f"{audit}/E1"} in check["points"]
    assert all(set(point) == {"kind", "text", "ref"} for point in check["points"])
    for name, role in [("Marie Durand", "president"), ("Jean Petit", "direction"),
                       ("Claire Martin", "referent-qualite")]:
        cli(ws, "review", "participant", ref, "--name", name, "--role", role)
    decided = json.loads(cli(ws, "review", "decide", ref, "--kind", "action", "--text", "Planifier les entretiens",
                             "--owner", "Claire Martin", "--due", "2027-03-31", "--json").stdout)
    assert decided == {"id": "D1", "action": "A1", "finding": "E1"}
    plan = json.loads(cli(ws, "plan", "--structure", structure, "--source", "revue", "--json").stdout)
    assert [(a["id"], a["owner"], a["due"]) for a in plan["actions"]] == [("A1", "Claire Martin", "2027-03-31")]
    draft = json.loads(cli(ws, "review", "show", ref, "--json").stdout)
    digest = cli(ws, "review", "sign", ref, "--by", "Marie Durand", "--date", "2026-11-30").stdout.strip()
    cli(ws, "review", "distribute", ref, "--to", "Équipe d'accompagnement", "--on", "2027-01-20")
    shown = json.loads(cli(ws, "review", "show", ref, "--json").stdout)
    assert set(shown) >= {"id", "state", "inputs", "decisions", "participants", "distribution", "signature"}
    assert (shown["state"], shown["signature"]["sha256"], shown["signature_valid"]) == ("signed", digest, True)
    assert shown["inputs"] == draft["inputs"]
    audits = next(s for s in shown["inputs"] if s["input"] == "audits-internes")
    assert audits["figures"][0] == {"label": "Écarts — audit interne du 2026-04-02 (clos)", "value": 1, "ref": audit,
                                    "unit": "", "previous": None}
    assert [s["no_data"] for s in shown["inputs"] if s["input"] == "reclamations"] == [
        "Aucune réclamation enregistrée en 2026"]
    text = cli(ws, "review", "show", ref).stdout
    assert "[AFAQ 6.7] Les écarts des audits internes réalisés" in text and digest in text
    pdf = ws.parent / "bilan.pdf"
    assert cli(ws, "review", "report", ref, "-o", str(pdf)).stdout.strip() == str(pdf)
    assert pdf.read_bytes()[:5] == b"%PDF-"
    listed = json.loads(cli(ws, "reviews", structure, "--json").stdout)["reviews"]
    assert [(r["id"], r["state"], r["held_on"], r["signed_by"]) for r in listed] == [
        (ref, "signed", "2026-11-30", "Marie Durand")]
    assert cli(ws, "reviews", structure).stdout == f"{ref}  2026  signée par Marie Durand le 2026-11-30  1 décision(s)\n"


def test_the_referent_writes_his_text_for_an_input(review):
    ws, structure, _, ref = review
    check = json.loads(cli(ws, "review", "check", ref, "--json").stdout)["points"]
    assert {"kind": "input-to-complete", "ref": f"{ref}/afaq:propositions",
            "text": "À compléter par le référent qualité : Les propositions d'amélioration (AFAQ 6.7)"} in check
    assert cli(ws, "review", "comment", ref, "propositions", "--text", "Deux propositions\n\nde l'équipe").stdout == ""
    assert cli(ws, "review", "comment", ref, "afaq:enquetes", "--text", "Enquête reportée à 2027").stdout == ""
    shown = {s["input"]: s for s in json.loads(cli(ws, "review", "show", ref, "--json").stdout)["inputs"]}
    assert shown["propositions"]["comment"] == "Deux propositions\n\nde l'équipe"
    assert shown["propositions"]["no_data"] == "" and shown["enquetes"]["comment"] == "Enquête reportée à 2027"
    assert shown["reclamations"]["comment"] == ""
    text = cli(ws, "review", "show", ref).stdout
    assert "[AFAQ 6.7] Les propositions d'amélioration\n  Analyse du référent qualité :\n    Deux propositions\n" \
           "    de l'équipe\n" in text
    check = json.loads(cli(ws, "review", "check", ref, "--json").stdout)["points"]
    assert f"{ref}/afaq:propositions" not in {point["ref"] for point in check}
    cli(ws, "review", "comment", ref, "propositions", "--text", "")
    shown = {s["input"]: s for s in json.loads(cli(ws, "review", "show", ref, "--json").stdout)["inputs"]}
    assert shown["propositions"]["comment"] == "" and shown["propositions"]["no_data"] == "À compléter par le " \
                                                                                          "référent qualité"


def test_a_review_signed_by_an_earlier_release_keeps_its_signature_and_its_bilan(tmp_path):
    ws = shutil.copytree(SIGNED_AT_955D4A5, tmp_path / "ws")
    structure = "association-plie-coeur-de-ga-f63c87"
    for review_id in ("RD1", "RD2"):
        shown = json.loads(cli(ws, "review", "show", f"{structure}/{review_id}", "--json").stdout)
        assert (shown["state"], shown["signature_valid"]) == ("signed", True), review_id
        assert all(s["comment"] == "" for s in shown["inputs"])
    shown = json.loads(cli(ws, "review", "show", f"{structure}/RD2", "--json").stdout)
    assert any(s["trends"] for s in shown["inputs"])  # the fixture exercises every struct of a pack
    pdf = tmp_path / "bilan.pdf"
    cli(ws, "review", "report", f"{structure}/RD2", "-o", str(pdf))
    _, body = pdf_text(pdf)
    assert shown["signature"]["sha256"] in body and typeset("Les propositions d'amélioration") in body
    refused = cli(ws, "review", "comment", f"{structure}/RD2", "propositions", "--text", "x", check=False)
    assert refused.returncode != 0 and "signée : elle ne se modifie plus" in refused.stderr


@pytest.mark.parametrize("args", [
    ["review", "comment", "{ref}", "inconnue", "--text", "x"],
    ["review", "comment", "{ref}", "propositions", "--text", "\x1b]0;titre\x07"],
    ["review", "show", "sans-barre"],
    ["review", "show", "{structure}/R9"],
    ["review", "new", "{structure}", "--year", "2026"],
    ["review", "new", "{structure}", "--supersedes", "RD1"],
    ["review", "decide", "{ref}", "--kind", "action", "--text", "Sans responsable"],
    ["review", "decide", "{ref}", "--kind", "quality-policy", "--text", "Pas pour AFAQ"],
    ["review", "decide", "{ref}", "--kind", "responsibility", "--text", ""],
    ["review", "participant", "{ref}", "--name", "X", "--role", "tresorier"],
    ["review", "sign", "{ref}", "--by", "Marie"],
    ["review", "distribute", "{ref}", "--to", "Équipe", "--on", "31/02/2027"],
    ["review", "report", "{ref}", "-o", "{ws}/structures/{structure}.json", "--force"],
])
def test_bad_input_is_one_line_and_changes_nothing(review, args):
    ws, structure, _, ref = review
    before = {name: sha for name, sha in tree_digest(ws).items() if not name.endswith(".lock") and "index" not in name}
    result = cli(ws, *[arg.format(structure=structure, ref=ref, ws=ws) for arg in args], check=False)
    assert result.returncode != 0 and result.stdout == ""
    assert result.stderr.startswith("audit-bench: erreur : ") and result.stderr.count("\n") == 1, result.stderr
    after = {name: sha for name, sha in tree_digest(ws).items() if not name.endswith(".lock") and "index" not in name}
    assert after == before


def test_a_damaged_review_is_listed_as_such_beside_the_others(review):
    ws, structure, _, ref = review
    cli(ws, "review", "new", structure, "--year", "2025")
    path = ws / "structures" / f"{structure}.json"
    document = json.loads(path.read_bytes())
    document["reviews"]["1"]["id"] = "RD1/../x"
    path.write_text(json.dumps(document), encoding="utf-8")
    listed = json.loads(cli(ws, "reviews", structure, "--json").stdout)
    assert [r["id"] for r in listed["reviews"]] == [f"{structure}/RD2"]
    assert [e["id"] for e in listed["errors"]] == ["RD1/../x"] and str(path) in listed["errors"][0]["error"]
    text = cli(ws, "reviews", structure).stdout.splitlines()
    assert text[0].startswith(f"{structure}/RD2  2025") and text[1].startswith(f"{structure}/RD1/../x  ERREUR : ")
    assert json.loads(cli(ws, "review", "show", f"{structure}/RD2", "--json").stdout)["state"] == "draft"


def test_review_rows_that_are_not_objects_block_no_write_of_the_structure(review):
    """42, "x", [1, 2], null as review rows: each is named, and a complaint then a review are
    written around them, which stay as they were, their doc ids never given again."""
    ws, structure, _, ref = review
    path = ws / "structures" / f"{structure}.json"
    document = json.loads(path.read_bytes())
    junk = {"2": 42, "3": "x", "4": [1, 2], "5": None}
    document["reviews"].update(junk)
    path.write_text(json.dumps(document), encoding="utf-8")
    listed = json.loads(cli(ws, "reviews", structure, "--json").stdout)
    assert [r["id"] for r in listed["reviews"]] == [ref]
    assert len(listed["errors"]) == len(junk)
    assert all(f"document {doc_id} de la table « reviews » : Expected `object`" in error["error"]
               for doc_id, error in zip(junk, listed["errors"]))
    assert cli(ws, "complaint", "add", structure, "--received", "2026-04-03", "--channel", "courrier", "--from",
               "prescripteur", "--subject", "Rappel jamais fait").stdout == "R1\n"
    assert json.loads(cli(ws, "review", "new", structure, "--year", "2027", "--json").stdout)["id"] == \
        f"{structure}/RD2"
    unknown = cli(ws, "review", "show", f"{structure}/RD9", check=False)
    assert unknown.returncode != 0 and "revue endommagée : document 5 de la table « reviews »" in unknown.stderr
    stored = json.loads(path.read_bytes())
    assert {doc_id: stored["reviews"][doc_id] for doc_id in junk} == junk
    assert stored["reviews"]["6"]["id"] == "RD2" and len(stored["complaints"]) == 1
