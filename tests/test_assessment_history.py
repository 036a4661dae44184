"""What the walk keeps, seen through the services, the CLI and the documents: the history of every
assessment, a constat before its rating, an undo journal, an écart closed as resolved."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from audit_bench.reports.xlsx import CHECKLIST
from audit_bench.services import UserError
from audit_bench.services import Workspace, rules
from audit_bench.services.audits import create_audit, open_audit
from audit_bench.services.listing import list_audits
from audit_bench.services.exchange import export_xlsx, import_xlsx
from audit_bench.services.plan import PlanFilter, read_plan
from audit_bench.services.reporting import build_report
from audit_bench.services.views import show_view
from test_cli_journey import new_audit
from test_report import pdf_text

RELEASE = Path(__file__).parent / "data" / "release_0_1_0"


def mini_audit(workspace) -> str:
    return create_audit(workspace, "mini", "Chantier du Port", "internal", "ACI", "2026-11-20", ["Claire Martin"]).id


def test_show_json_gives_the_history_of_each_assessment_and_none_for_a_file_written_before(cli):
    audit = new_audit(cli)
    cli("assess", audit, "1.1", "E", "--note", "Livret absent")
    cli("assess", audit, "1.1", "C", "--note", "Livret retrouvé")
    [shown] = json.loads(cli("show", audit, "--json").stdout)["assessments"]
    assert (shown["rating"], shown["note"]) == ("C", "Livret retrouvé")
    assert [{k: entry[k] for k in ("rating", "note", "by")} for entry in shown["history"]] == [
        {"rating": "E", "note": "Livret absent", "by": "Claire Martin"},
        {"rating": "C", "note": "Livret retrouvé", "by": "Claire Martin"}]
    assert all(entry["at"][:2] == "20" for entry in shown["history"])

    path = cli.workspace / f"{audit}.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    del document["history"]  # as the previous release wrote it
    path.write_text(json.dumps(document), encoding="utf-8")
    [shown] = json.loads(cli("show", audit, "--json").stdout)["assessments"]
    assert shown["history"] == [] and shown["rating"] == "C"
    cli("assess", audit, "1.1", "P")
    [shown] = json.loads(cli("show", audit, "--json").stdout)["assessments"]
    assert [entry["rating"] for entry in shown["history"]] == ["P"]


def test_the_previous_release_s_audits_show_an_empty_history(cli, tmp_path):
    import shutil

    cli.workspace = Path(shutil.copytree(RELEASE / "workspace", tmp_path / "old"))
    shown = [json.loads(cli("show", row["id"], "--json").stdout)["assessments"]
             for row in json.loads(cli("audits", "--json").stdout)["audits"]]
    assert any(shown) and all(a["history"] == [] for assessments in shown for a in assessments)


def test_a_constat_before_the_rating_is_not_assessed_on_any_face(workspace, tmp_path):
    audit_id = mini_audit(workspace)
    with open_audit(workspace, audit_id) as session:
        session.rate("1.1", "C", "Livret remis")
        session.set_note("1.2", "Entretiens prévus en décembre")
        assert session.progress().assessed == 1
        assert rules.ratings_of(session.snapshot()) == {"1.1": "C"}
        pdf = tmp_path / "rapport.pdf"
        build_report(workspace, session, pdf)
        export_xlsx(workspace, session, tmp_path / "grille.xlsx")
    assert next(row for row in list_audits(workspace) if row.id == audit_id).assessed == 1
    _, text = pdf_text(pdf)
    assert "Entretiens prévus en décembre" in text
    assert "1 / 5" in text or "1/5" in text.replace(" ", "")
    cells = {row[1].value: row for row in load_workbook(tmp_path / "grille.xlsx")[CHECKLIST].iter_rows(min_row=2)}
    assert cells["1.2"][3].value in (None, "") and cells["1.2"][5].value == "Entretiens prévus en décembre"
    with open_audit(workspace, audit_id) as session:
        assert import_xlsx(workspace, session, tmp_path / "grille.xlsx").changes == []


def test_clearing_a_rating_keeps_its_constat_and_undo_restores_it(workspace):
    audit_id = mini_audit(workspace)
    with open_audit(workspace, audit_id) as session:
        session.rate("1.1", "C", "Livret remis")
        left = session.clear_rating("1.1")
        assert (left.rating, left.note) == ("", "Livret remis")
        with pytest.raises(UserError, match="n'est pas cotée"):
            session.clear_rating("1.1")
        assert session.undo().what == "l'effacement de la cotation de 1.1"
        assert session.snapshot().assessment_map()["1.1"].rating == "C"
        assert session.undo().what == "la cotation de 1.1"
        assert "1.1" not in session.snapshot().assessment_map()
        with pytest.raises(UserError, match="rien à annuler"):
            session.undo()
    with open_audit(workspace, audit_id, write=False) as session:
        assert [(e.rating, e.note) for e in session.snapshot().history_of("1.1")] == [
            ("C", "Livret remis"), ("", "Livret remis"), ("C", "Livret remis"), ("", "")]


def test_undo_puts_back_a_deleted_ecart_with_its_actions_and_waits_for_a_closed_audit(workspace):
    audit_id = mini_audit(workspace)
    with open_audit(workspace, audit_id) as session:
        session.rate("1.2", "E", "Pas d'entretien")
        finding = session.add_finding("1.2", "mineur", "Entretiens non tracés")
        action = session.add_action(finding.id, "Fiche d'entretien", "CIP", "2027-01-31")
        before = session.snapshot()
        assert session.delete_finding(finding.id) == [action.id]
        session.undo()
        assert session.snapshot().findings == before.findings and session.snapshot().actions == before.actions
        session.update_action(action.id, status="in-progress")
        session.rate("1.1", "C")
        session.close_audit()
        with pytest.raises(UserError, match="audit clos : l'annulation de la cotation de 1.1 impossible"):
            session.undo()
        session.reopen_audit()
        session.undo()
        session.close_audit()
        assert session.undo().what == f"le suivi de l'action {action.id}"  # actions outlive the visit
        assert session.action(action.id).status == "todo"


def test_an_ecart_resolved_on_site_is_closed_and_its_actions_owe_nothing(workspace):
    audit_id = mini_audit(workspace)
    with open_audit(workspace, audit_id) as session:
        session.rate("1.2", "E", "Pas d'entretien")
        finding = session.add_finding("1.2", "mineur", "Entretiens non tracés")
        session.add_action(finding.id, "Fiche d'entretien", "CIP", "2027-01-31")
        session.rate("1.2", "C", "Fiches vues sur place")
        assert [f.id for f in session.contradicted_findings("1.2")] == [finding.id]
        session.rate("1.2", "E", "Pas d'entretien")
        assert session.contradicted_findings("1.2") == []  # the rating calls for this class again
        session.rate("1.2", "na", "Pas de salariés en parcours")
        assert [f.id for f in session.contradicted_findings("1.2")] == [finding.id]
        session.resolve_finding(finding.id)
        assert session.open_findings() == 0 and rules.open_actions(session.snapshot()) == []
        assert session.contradicted_findings("1.2") == []
        with pytest.raises(UserError, match="déjà clos"):
            session.resolve_finding(finding.id)
        [shown] = show_view(session).findings
        assert shown.resolved_at == session.finding(finding.id).resolved_at is not None
    plan = read_plan(workspace, PlanFilter(history=True))
    assert [(a["id"], a["open"], a["finding"]["closed"]) for a in plan.actions] == [("A1", False, True)]


def test_an_import_of_many_ratings_and_their_history_is_one_durable_write(workspace, monkeypatch):
    import audit_bench.store.storage as storage

    audit_id = mini_audit(workspace)
    writes = []
    real_write = storage.atomic_write
    monkeypatch.setattr(storage, "atomic_write", lambda path, data: writes.append(path) or real_write(path, data))
    with open_audit(workspace, audit_id) as session:
        session.rate_all([session.checked_assessment(requirement, "C") for requirement in ("1.1", "1.2", "2.1")])
        assert len(session.snapshot().history) == 3
    assert len(writes) == 1


def test_assess_without_a_note_keeps_the_constat_written_before(cli):
    audit = new_audit(cli)
    with open_audit(Workspace(cli.workspace), audit) as session:
        session.set_note("1.1", "Entretien d'accueil non tracé")  # the constat before the rating
    cli("assess", audit, "1.1", "E")
    [shown] = json.loads(cli("show", audit, "--json").stdout)["assessments"]
    assert (shown["rating"], shown["note"]) == ("E", "Entretien d'accueil non tracé")
    cli("assess", audit, "1.1", "C")
    [shown] = json.loads(cli("show", audit, "--json").stdout)["assessments"]
    assert (shown["rating"], shown["note"]) == ("C", "Entretien d'accueil non tracé")
    cli("assess", audit, "1.1", "C", "--note", "")
    [shown] = json.loads(cli("show", audit, "--json").stdout)["assessments"]
    assert shown["note"] == ""  # an empty --note empties it, as asked
