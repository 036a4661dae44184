"""A new audit that starts from the last one: on the demo audits through the CLI, and on a
referential in two versions (one requirement reworded, one renumbered, one added, one removed)."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from audit_bench.plugins.manager import load_plugins
from audit_bench.services import Workspace
from audit_bench.services.audits import create_audit, open_audit
from audit_bench.services.followup import carry_evidence, last_audit, previous_of
from audit_bench.services.reporting import build_report
from audit_bench.services.validation import UserError
from audit_bench.reports.typography import french_typography
from support import run_cli, tree_digest
from test_exchange_docx import word_text
from test_report import pdf_text
from test_tui_journeys import FilePlugin

TODAY = date.today().isoformat()
NEXT = "2027-11-20"
"""The new audits' day: after every demo audit, whatever day the tests run."""


def squeezed(value: str) -> str:
    """Text as the report prints it (French typography), without whitespace."""
    return re.sub(r"\s+", "", french_typography(value))


@pytest.fixture(scope="module")
def demo(demo_source, tmp_path_factory):
    """The demo workspace, copied for this module's tests to start new audits from it."""
    return Path(shutil.copytree(demo_source, tmp_path_factory.mktemp("demo") / "ws"))


@pytest.mark.parametrize("referential", ["cedre", "afaq", "iae_os"])
def test_new_from_each_demo_audit_keeps_the_reference_and_follows_its_open_ecarts(demo, referential, tmp_path):
    audits = json.loads(run_cli(demo, "audits", "--json").stdout)["audits"]
    previous = max((a for a in audits if a["referential"] == referential and a["date"] != NEXT),
                   key=lambda a: a["date"])
    created = run_cli(demo, "new", "--from", previous["id"], "--date", NEXT, "--auditor", "Claire Martin").stdout.strip()
    shown = json.loads(run_cli(demo, "show", created, "--json").stdout)
    before = json.loads(run_cli(demo, "show", previous["id"], "--json").stdout)
    assert (shown["from_audit"], shown["structure"], shown["kind"]) == (previous["id"], before["structure"],
                                                                       before["kind"])
    assert shown["referential"]["id"] == referential
    assert shown["assessments"] == [] and shown["evidence"] == []  # reference, not the new rating
    follow_up = shown["follow_up"]
    assert follow_up["audit"] == previous["id"] and follow_up["modified"] == follow_up["added"] == []
    assert len(follow_up["open_findings"]) == previous["open_findings"]
    for finding in follow_up["open_findings"]:
        original = next(f for f in before["findings"] if f["id"] == finding["id"])
        assert (finding["text"], finding["now_requirement"]) == (original["text"], original["requirement"])
        assert [a["status"] for a in finding["actions"]] == [a["status"] for a in original["actions"]]

    one = before["evidence"][0]["id"]
    assert run_cli(demo, "evidence-carry", created, one).stdout.split() == ["P1"]
    rest = run_cli(demo, "evidence-carry", created, "--all").stdout.split()
    carried = json.loads(run_cli(demo, "show", created, "--json").stdout)["evidence"]
    assert len(carried) == len(before["evidence"]) == len(rest) + 1
    assert {e["carried_from"] for e in carried} == {f"{previous['id']}/{e['id']}" for e in before["evidence"]}
    assert all(e["reviewed_on"] == TODAY for e in carried)
    assert [(e["title"], e["requirement"]) for e in carried] == [(e["title"], e["requirement"])
                                                                 for e in before["evidence"]]

    output = tmp_path / "rapport.pdf"
    run_cli(demo, "report", created, "-o", str(output))
    _, body = pdf_text(output)
    flat = squeezed(body)
    assert "Suivi des écarts de l’audit précédent" in body
    for finding in follow_up["open_findings"]:
        assert squeezed(finding["text"]) in flat
        for action in finding["actions"]:
            assert squeezed(f"{action['id']} — {action['text']}") in flat
    if not follow_up["open_findings"]:
        assert "Aucun écart de l’audit précédent ne restait ouvert." in body
    assert squeezed("Reprise de l'audit précédent, revue le") in flat


def test_new_from_refuses_what_would_not_be_the_same_audit_and_changes_nothing(demo):
    audits = [a for a in json.loads(run_cli(demo, "audits", "--json").stdout)["audits"]
              if a["date"] != NEXT]  # the demo's own, which start from no other audit
    afaq = next(a for a in audits if a["referential"] == "afaq")
    plain = next(a for a in audits if a["referential"] == "cedre")
    before = {k: v for k, v in tree_digest(demo).items() if not k.startswith("index.")}
    for args, expected in [
        (["new", "--from", afaq["id"], "--referential", "cedre"], "garde son référentiel"),
        (["new", "--from", afaq["id"], "--org", "Autre structure"], "porte sur sa structure"),
        (["new", "--from", afaq["id"], "--date", "2020-01-01"], "est postérieur au nouvel audit"),
        (["new", "--from", "2099-01-01-nope-0000"], "audit inconnu"),
        (["new", "--org", "X"], "option --kind obligatoire"),
        (["evidence-carry", plain["id"], "--all"], "ne part pas d'un audit précédent"),
        (["evidence-carry", plain["id"]], "donner les preuves à reprendre"),
    ]:
        result = run_cli(demo, *args, check=False)
        assert result.returncode != 0 and result.stdout == "", args
        assert len(result.stderr.splitlines()) == 1 and expected in result.stderr, (args, result.stderr)
    assert {k: v for k, v in tree_digest(demo).items() if not k.startswith("index.")} == before


# A referential in two versions ----------------------------------------------------------------

def version(number: str, texts: dict[str, str]) -> dict:
    return {
        "id": "suivi", "title": "Référentiel de suivi", "version": number, "metadata": {"issuer": "Essai"},
        "scale": [{"value": "C", "label": "Conforme", "score": 1},
                  {"value": "E", "label": "Écart", "score": 0, "finding_class": "ecart"}],
        "finding_classes": [{"id": "ecart", "label": "Écart", "severity": 1, "requires_action": True}],
        "nodes": [{"id": "1", "title": "Accueil", "children": [
            {"id": node_id, "ratable": True, "text": text} for node_id, text in texts.items()]}],
    }


V1 = {"1.1": "Le livret d'accueil est remis.", "1.2": "Un entretien a lieu sous huit jours.",
      "1.3": "Le registre des entrées est tenu.", "1.4": "Les horaires sont affichés."}
V2 = {"1.1": "Le livret d'accueil est remis.", "1.2": "Un entretien a lieu sous cinq jours ouvrés.",
      "1.5": "Le registre des entrées est tenu.", "1.6": "Un référent est nommé pour chaque salarié."}
"""1.1 the same; 1.2 reworded; 1.3 renumbered 1.5 with the same words; 1.4 removed; 1.6 added."""


def workspace_with(tmp_path, texts: dict[str, str], number: str) -> Workspace:
    path = tmp_path / f"suivi-{number}.yaml"
    path.write_text(yaml.safe_dump(version(number, texts), allow_unicode=True), encoding="utf-8")
    return Workspace(tmp_path / "ws", registry=load_plugins(extra=[("suivi", FilePlugin(path))], discover=list))


def test_a_new_version_matches_by_id_and_text_and_lists_what_changed(tmp_path):
    old = workspace_with(tmp_path, V1, "1")
    first = create_audit(old, "suivi", "Atelier du Port", "internal", audit_date="2025-10-01", auditors=["Ana"])
    with open_audit(old, first.id) as session:
        for requirement, rating in (("1.1", "C"), ("1.2", "E"), ("1.3", "C"), ("1.4", "C")):
            session.rate(requirement, rating, f"Constat {requirement}")
            session.add_evidence(requirement, f"Pièce {requirement}", "v1")
        finding = session.add_finding("1.2", "ecart", "Entretiens tenus en quinze jours")
        session.add_action(finding.id, "Planifier l'entretien à l'entrée", "Direction", "2025-12-31")

    new = workspace_with(tmp_path, V2, "2")
    assert last_audit(new, first.structure, "suivi") == first.id
    second = create_audit(new, None, kind=None, audit_date="2026-10-01", from_audit=first.id)
    assert (second.referential.version, second.kind, second.structure) == ("2", "internal", first.structure)
    with open_audit(new, second.id) as session:
        previous = previous_of(new, session)
        assert [(c.requirement, c.previous_text, c.text) for c in previous.modified] == [
            ("1.2", V1["1.2"], V2["1.2"])]
        assert [(c.previous_id, c.requirement) for c in previous.renumbered] == [("1.3", "1.5")]
        assert [c.requirement for c in previous.added] == ["1.6"]
        assert [(c.requirement, c.text) for c in previous.removed] == [("1.4", V1["1.4"])]
        reworded = previous.reference("1.2")
        assert reworded.previous_text == V1["1.2"] and reworded.assessment.rating == "E"
        assert [f.id for f in reworded.open_findings] == [finding.id]
        moved = previous.reference("1.5")
        assert (moved.previous_id, moved.assessment.note, moved.previous_text) == ("1.3", "Constat 1.3", None)
        assert previous.reference("1.6") is None
        assert session.snapshot().assessments == []

        removed_evidence = next(e.id for e in previous.snapshot.evidence if e.requirement == "1.4")
        with pytest.raises(UserError, match="absente de cette version"):
            carry_evidence(new, session, [removed_evidence], date(2026, 10, 1))
        carried = carry_evidence(new, session, None, date(2026, 10, 1))
        assert [(e.requirement, e.title, e.reviewed_on) for e in carried] == [
            ("1.1", "Pièce 1.1", "2026-10-01"), ("1.2", "Pièce 1.2", "2026-10-01"), ("1.5", "Pièce 1.3", "2026-10-01")]
        assert carry_evidence(new, session, None) == []  # each one once
        output, word = tmp_path / "rapport.pdf", tmp_path / "rapport.docx"
        build_report(new, session, output, today=date(2026, 10, 2))
        build_report(new, session, word, today=date(2026, 10, 2))
    for flat in (squeezed(pdf_text(output)[1]), squeezed(word_text(word))):  # the same in PDF and in Word
        for words in ("Suivi des écarts de l'audit précédent", "Entretiens tenus en quinze jours",
                      "exigence 1.2", "Évolution du référentiel depuis la version 1", V1["1.2"], V2["1.2"],
                      "1.3 → 1.5", V1["1.4"], V2["1.6"], "Planifier l'entretien à l'entrée",
                      "Reprise de l'audit précédent, revue le 1er octobre 2026"):
            assert squeezed(words) in flat, words


def test_an_audit_whose_previous_audit_was_deleted_is_still_shown_and_reported(tmp_path):
    ws = tmp_path / "ws"
    run_cli(ws, "demo", "--plugin", "afaq")
    [previous] = json.loads(run_cli(ws, "audits", "--json").stdout)["audits"]
    created = run_cli(ws, "new", "--from", previous["id"], "--date", NEXT).stdout.strip()
    (ws / f"{previous['id']}.json").unlink()
    shown = run_cli(ws, "show", created, "--json")
    assert json.loads(shown.stdout)["follow_up"] is None and "illisible" in shown.stderr
    output = tmp_path / "rapport.pdf"
    reported = run_cli(ws, "report", created, "-o", str(output))
    assert f"audit précédent {previous['id']} illisible" in reported.stderr
    assert "Audit précédent illisible" in pdf_text(output)[1]
