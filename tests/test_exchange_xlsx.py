"""The checklist as an Excel workbook and back, checked cell by cell."""

from __future__ import annotations

import json
import stat
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from audit_bench.reports.content import ReportContent
from audit_bench.reports.xlsx import CHECKLIST, CHECKLIST_HEADER, FINDINGS, rating_choices
from audit_bench.services import Workspace
from audit_bench.services.audits import open_audit
from audit_bench.services.listing import list_audits
from audit_bench.services.exchange import export_xlsx, import_xlsx
from audit_bench.services.reporting import report_input
from audit_bench.services.validation import UserError
from support import tree_digest
from test_report import new_audit

TODAY = date(2026, 11, 22)


def iae_audit(workspace: Workspace) -> str:
    return next(row.id for row in list_audits(workspace) if row.referential == "iae_os")


def exported(workspace: Workspace, audit_id: str, path: Path) -> Path:
    with open_audit(workspace, audit_id, write=False) as session:
        export_xlsx(workspace, session, path, today=TODAY)
    return path


def imported(workspace: Workspace, audit_id: str, path: Path, apply: bool = False):
    with open_audit(workspace, audit_id, write=apply) as session:
        return import_xlsx(workspace, session, path, apply=apply, today=TODAY)


def test_the_workbook_holds_the_checklist_findings_and_recap_cell_by_cell(demo_source, tmp_path):
    workspace = Workspace(demo_source)
    audit_id = iae_audit(workspace)
    path = exported(workspace, audit_id, tmp_path / "grille.xlsx")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with open_audit(workspace, audit_id, write=False) as session:
        content = ReportContent(report_input(workspace, session, TODAY, sections=False))
        tree, snapshot = session.tree, session.snapshot()
    book = load_workbook(path)
    assert book.sheetnames == [CHECKLIST, FINDINGS, "RECAP", "Informations", "Échelle"]
    sheet = book[CHECKLIST]
    assert [cell.value for cell in sheet[1]] == CHECKLIST_HEADER and sheet.freeze_panes == "A2"
    applicable = tree.applicable_ratable(snapshot.header.siae_type)
    assert sheet.max_row == len(applicable) + 1
    ratings = snapshot.assessment_map()
    for row, node in enumerate(applicable, start=2):
        values = [cell.value for cell in sheet[row]]
        assessment = ratings[node.id]
        level = tree.scale_by_value.get(assessment.rating)
        assert values[1:6] == [node.id, tree.text_for(node, snapshot.header.siae_type),
                               content.rating_label(assessment.rating), level.score if level else None,
                               assessment.note or None]
    validation = sheet.data_validations.dataValidation[0]
    assert str(validation.sqref) == f"D2:D{sheet.max_row}" and validation.formula1 == "'Échelle'!$A$1:$A$5"
    assert [book["Échelle"].cell(row=i, column=1).value for i in range(1, 6)] == rating_choices(content)
    findings = book[FINDINGS]
    for action in snapshot.actions:
        row = next(r for r in findings.iter_rows(min_row=2, values_only=True) if r[5] == action.id)
        assert row[0] == action.finding and row[6] == action.text and row[7] == action.owner and row[8] == action.due
    recap = {row[0]: row[1:4] for row in book["RECAP"].iter_rows(min_row=2, values_only=True)}
    for score in snapshot_scores(workspace, audit_id):
        label = "Total" if score.depth < 0 else (f"{score.section} : {score.title}" if score.depth == 0
                                                 else f"{score.section} - {score.title}")
        assert recap[label] == (score.score, score.max, pytest.approx(score.percent / 100) if score.percent is not None
                                else None)


def snapshot_scores(workspace: Workspace, audit_id: str):
    with open_audit(workspace, audit_id, write=False) as session:
        return session.scores()


def test_formula_like_text_stays_text_and_reads_back_unchanged(workspace, tmp_path):
    audit_id = new_audit(workspace)
    notes = {"1.1": "=HYPERLINK(\"http://x\",\"clic\")", "1.2": "+33 6 12", "2.1": "-moins", "2.2": "@SUM(A1)"}
    with open_audit(workspace, audit_id) as session:
        for requirement, note in notes.items():
            session.rate(requirement, "C", note)
    path = exported(workspace, audit_id, tmp_path / "f.xlsx")
    sheet = load_workbook(path)[CHECKLIST]
    cells = {row[1].value: row[5] for row in sheet.iter_rows(min_row=2)}
    for requirement, note in notes.items():
        assert cells[requirement].value == note and cells[requirement].data_type == "s"
        assert cells[requirement].quotePrefix
    assert imported(workspace, audit_id, path).changes == []


def test_export_then_import_unchanged_changes_nothing_on_every_demo(demo_workspace_copy, tmp_path):
    workspace = demo_workspace_copy
    before = tree_digest(workspace.path)
    for row in list_audits(workspace):
        path = exported(workspace, row.id, tmp_path / f"{row.id}.xlsx")
        outcome = imported(workspace, row.id, path, apply=True)
        assert outcome.changes == [] and not outcome.applied
    assert {k: v for k, v in tree_digest(workspace.path).items() if k != "index.json"} == \
           {k: v for k, v in before.items() if k != "index.json"}


def fill(path: Path, edits: dict[str, dict[int, object]]) -> None:
    """Type into the checklist sheet as a structure would in Excel: requirement id → column → value."""
    book = load_workbook(path)
    sheet = book[CHECKLIST]
    for row in sheet.iter_rows(min_row=2):
        for column, value in edits.get(row[1].value, {}).items():
            row[column - 1].value = value
    book.save(path)


def test_a_filled_in_grid_shows_its_changes_then_applies_them_all(workspace, tmp_path, monkeypatch):
    audit_id = new_audit(workspace)
    with open_audit(workspace, audit_id) as session:
        session.rate("1.1", "C", "Livret remis.")
    path = exported(workspace, audit_id, tmp_path / "grille.xlsx")
    fill(path, {"1.1": {4: "Piste de progrès", 6: "Livret remis, non signé."}, "1.2": {4: "E"},
                "2.2": {4: "Non applicable (N/A)", 6: "Structure créée cette année"}})
    shown = imported(workspace, audit_id, path)
    assert [(c.line, c.requirement, c.rating_before, c.rating_after, c.note_after) for c in shown.changes] == [
        (2, "1.1", "C — Conforme", "P — Piste de progrès", "Livret remis, non signé."),
        (3, "1.2", None, "E — Écart", ""),
        (6, "2.2", None, "Non applicable (N/A)", "Structure créée cette année"),
    ]
    with open_audit(workspace, audit_id, write=False) as session:
        assert [a.requirement for a in session.snapshot().assessments] == ["1.1"]  # not applied yet
    import audit_bench.store.storage as storage

    writes = []
    real_write = storage.atomic_write
    monkeypatch.setattr(storage, "atomic_write", lambda *args, **kw: writes.append(args[0]) or real_write(*args, **kw))
    applied = imported(workspace, audit_id, path, apply=True)
    assert applied.applied and writes == [workspace.path / f"{audit_id}.json"]  # three ratings, one durable write
    with open_audit(workspace, audit_id, write=False) as session:
        ratings = {a.requirement: (a.rating, a.note) for a in session.snapshot().assessments}
    assert ratings == {"1.1": ("P", "Livret remis, non signé."), "1.2": ("E", ""),
                       "2.2": ("na", "Structure créée cette année")}
    assert imported(workspace, audit_id, path).changes == []


@pytest.mark.parametrize(("edits", "expected"), [
    ({"1.2": {4: "Excellent"}}, "ligne 3 : cotation « Excellent » hors de l'échelle de mini pour 1.2"),
    ({"1.2": {2: "9.9", 4: "C"}}, "ligne 3 : exigence inconnue « 9.9 » dans mini"),
    ({"1.2": {3: "Un entretien a lieu un jour.", 4: "C"}}, "ligne 3 : formulation de l'exigence 1.2 modifiée"),
    ({"1.1": {4: None}}, "ligne 2 : cotation de 1.1 effacée"),
    ({"1.2": {6: "Vu en réunion."}}, "ligne 3 : constat sans cotation pour 1.2"),
    ({"1.2": {2: "1.1"}}, "ligne 3 : exigence 1.1 déjà donnée ligne 2"),
])
def test_one_refused_row_refuses_the_whole_import_with_its_row(workspace, tmp_path, edits, expected):
    audit_id = new_audit(workspace)
    with open_audit(workspace, audit_id) as session:
        session.rate("1.1", "C", "Livret remis.")
    path = exported(workspace, audit_id, tmp_path / "grille.xlsx")
    fill(path, {**edits, "2.1": {4: "Conforme"}})  # a good row too: not applied either
    before = tree_digest(workspace.path)
    with pytest.raises(UserError, match="import refusé, rien n'a été modifié") as refused:
        imported(workspace, audit_id, path, apply=True)
    assert expected in str(refused.value)
    assert tree_digest(workspace.path) == before


def test_a_closed_audit_refuses_the_import_as_it_refuses_a_rating(workspace, tmp_path):
    audit_id = new_audit(workspace)
    path = exported(workspace, audit_id, tmp_path / "grille.xlsx")
    fill(path, {"1.1": {4: "Conforme"}})
    with open_audit(workspace, audit_id) as session:
        session.close_audit()
    assert "clos" in imported(workspace, audit_id, path).warnings[0]
    with pytest.raises(UserError, match="audit clos"):
        imported(workspace, audit_id, path, apply=True)


def test_import_refuses_what_is_not_a_checklist_workbook(workspace, tmp_path):
    audit_id = new_audit(workspace)
    text = tmp_path / "notes.xlsx"
    text.write_text("pas un classeur", encoding="utf-8")
    with pytest.raises(UserError, match="archive zip illisible"):
        imported(workspace, audit_id, text)
    other = exported(workspace, audit_id, tmp_path / "grille.xlsx")
    book = load_workbook(other)
    book[CHECKLIST].title = "Feuil1"
    book.save(other)
    with pytest.raises(UserError, match="n'a pas de feuille « Liste de contrôle »"):
        imported(workspace, audit_id, other)


def test_export_and_import_commands(cli, tmp_path):
    audit_id = cli("new", "--referential", "mini", "--org", "Atelier", "--siae-type", "ACI", "--kind", "internal",
                   "--date", "2026-11-20").stdout.strip()
    path = tmp_path / "grille.xlsx"
    assert cli("export", audit_id, "-o", str(path)).stdout.strip() == str(path)
    assert cli("import", audit_id, str(path)).stdout == "aucun changement\n"
    fill(path, {"1.1": {4: "Conforme", 6: "Livret remis."}})
    shown = cli("import", audit_id, str(path)).stdout
    assert "ligne 2 — 1.1 : cotation non cotée → C — Conforme ; constat «  » → « Livret remis. »" in shown
    assert "--apply" in shown
    assert json.loads(cli("show", audit_id, "--json").stdout)["assessments"] == []
    assert "1 changement(s) appliqué(s)" in cli("import", audit_id, str(path), "--apply").stdout
    assert [(a["requirement"], a["rating"], a["note"]) for a in
            json.loads(cli("show", audit_id, "--json").stdout)["assessments"]] == [("1.1", "C", "Livret remis.")]
    fill(path, {"1.2": {4: "Excellent"}})
    refused = cli("import", audit_id, str(path), "--apply", check=False)
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1 and "ligne 3" in refused.stderr


def test_an_import_whose_write_fails_changes_nothing(workspace, tmp_path, monkeypatch):
    import audit_bench.store.storage as storage

    audit_id = new_audit(workspace)
    path = exported(workspace, audit_id, tmp_path / "grille.xlsx")
    fill(path, {"1.1": {4: "Conforme"}, "1.2": {4: "E"}})
    before = tree_digest(workspace.path)

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage, "atomic_write", full_disk)
    with open_audit(workspace, audit_id) as session:
        with pytest.raises(OSError):
            import_xlsx(workspace, session, path, apply=True, today=TODAY)
        assert session.snapshot().assessments == []  # the cache was dropped with the failed write
    assert tree_digest(workspace.path) == before
