"""The audit as an Excel workbook, and the checklist sheet read back once filled in elsewhere.

Sheets: « Liste de contrôle » (one row per applicable requirement, the rating chosen from a
drop-down list of the scale's labels), « Écarts et actions », the scores per section (« RECAP »,
laid out as the IAE grid's spreadsheet — Résultat, Note maxi, % — for a referential with score
bands, « Scores » otherwise) and « Informations » (which audit, which referential). Headers in
French, frozen, with column widths. Text that a spreadsheet would take for a formula (= + - @ at
its start) is stored as text with Excel's « quote prefix »: shown as typed, never computed, and
read back unchanged. The words come from `ReportContent`, as in the PDF.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, NamedTuple

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from audit_bench.model import ACTION_STATUSES
from audit_bench.referential.schema import NA
from audit_bench.reports.content import NA_LABEL, ReportContent, ReportInput
from audit_bench.reports.spreadsheet import put_text

CHECKLIST = "Liste de contrôle"
FINDINGS = "Écarts et actions"
INFO = "Informations"
SCALE = "Échelle"
CHECKLIST_HEADER = ["Section", "Exigence", "Formulation", "Cotation", "Points", "Constat", "Preuves", "Écarts"]
ID_COLUMN, TEXT_COLUMN, RATING_COLUMN, NOTE_COLUMN = 2, 3, 4, 6
"""Columns of the checklist sheet that an import reads (1-based)."""
HEADER_FILL = PatternFill("solid", fgColor="E8EEF5")
GROUP_FILL = PatternFill("solid", fgColor="F2F4F6")
WRAP = Alignment(wrap_text=True, vertical="top")


class SheetRow(NamedTuple):
    """One row of a filled-in checklist sheet, as typed (None for an empty cell)."""

    line: int
    requirement: str | None
    text: str | None
    rating: str | None
    note: str | None


class WorkbookError(ValueError):
    """The file is not a checklist workbook this version can read; the message says why."""


def rating_choices(content: ReportContent) -> list[str]:
    """The labels the rating column offers, as `ReportContent.rating_label` words them."""
    return [content.rating_label(level.value) for level in content.tree.referential.scale] + [NA_LABEL]


def render_xlsx(data: ReportInput) -> bytes:
    content = ReportContent(data)
    workbook = Workbook()
    checklist = workbook.active
    checklist.title = CHECKLIST
    _checklist_sheet(checklist, content)
    _findings_sheet(workbook.create_sheet(FINDINGS), content)
    bands = bool(content.tree.referential.score_bands)
    _scores_sheet(workbook.create_sheet("RECAP" if bands else "Scores"), content, bands)
    _info_sheet(workbook.create_sheet(INFO), content)
    scale = workbook.create_sheet(SCALE)
    for row, label in enumerate(rating_choices(content), start=1):
        _put(scale, row, 1, label)
    scale.sheet_state = "hidden"
    validation = DataValidation(type="list", formula1=f"'{SCALE}'!$A$1:$A${len(rating_choices(content))}",
                                allow_blank=True, showErrorMessage=True, errorTitle="Cotation",
                                error="Choisir une cotation de l'échelle du référentiel.")
    validation.add(f"{get_column_letter(RATING_COLUMN)}2:{get_column_letter(RATING_COLUMN)}{max(2, checklist.max_row)}")
    checklist.add_data_validation(validation)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _put(sheet: Worksheet, row: int, column: int, value: Any, *, bold: bool = False) -> Any:
    """Write one cell; text is made XML-safe, and formula-like text is kept as text."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        put_text(cell, value)
    else:
        cell.value = value
    if bold:
        cell.font = Font(bold=True)
    return cell


def _header(sheet: Worksheet, labels: list[str], widths: list[int]) -> None:
    for column, (label, width) in enumerate(zip(labels, widths), start=1):
        cell = _put(sheet, 1, column, label, bold=True)
        cell.fill = HEADER_FILL
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"


def _checklist_sheet(sheet: Worksheet, content: ReportContent) -> None:
    _header(sheet, CHECKLIST_HEADER, [10, 12, 60, 28, 8, 50, 36, 30])
    evidence: dict[str, list[str]] = {}
    for item in content.audit.evidence:
        evidence.setdefault(item.requirement, []).append(f"{item.id} — {content.evidence_title(item)}")
    findings: dict[str, list[str]] = {}
    for finding in content.ordered_findings():
        findings.setdefault(finding.requirement, []).append(
            f"{finding.id} ({content.class_label(finding.class_)}) — {finding.text}")
    row = 1
    for top, rows in content.checklist_sections():
        for line in rows:
            if line.group:
                continue
            row += 1
            node, assessment = line.node, line.assessment
            level = content.tree.scale_by_value.get(assessment.rating) if assessment else None
            values = [top.id, node.id, content.tree.text_for(node, content.siae_type),
                      content.rating_label(assessment.rating) if assessment and assessment.rated else "",
                      level.score if level is not None and level.score is not None else None,
                      assessment.note if assessment else "",
                      "\n".join(evidence.get(node.id, [])), "\n".join(findings.get(node.id, []))]
            for column, value in enumerate(values, start=1):
                _put(sheet, row, column, value).alignment = WRAP


def _findings_sheet(sheet: Worksheet, content: ReportContent) -> None:
    _header(sheet, ["Écart", "Exigence", "Classe", "Constat de l'écart", "État", "Action", "Texte de l'action",
                    "Responsable", "Échéance", "Statut", "Efficacité"], [8, 12, 18, 50, 22, 8, 40, 20, 12, 12, 30])
    row = 1
    for finding in content.ordered_findings():
        actions = content.audit.actions_of(finding.id)
        state = content.finding_state(finding, actions)
        for action in actions or [None]:
            row += 1
            values = [finding.id, finding.requirement, content.class_label(finding.class_), finding.text, state]
            if action is not None:
                values += [action.id, action.text, action.owner, action.due,
                           ACTION_STATUSES.get(action.status, action.status), content.action_check(action)]
            for column, value in enumerate(values, start=1):
                _put(sheet, row, column, value).alignment = WRAP


def _scores_sheet(sheet: Worksheet, content: ReportContent, bands: bool) -> None:
    labels = ["Section", "Résultat", "Note maxi", "%", "Cotées", "Applicables"] + (["Tendance"] if bands else [])
    _header(sheet, labels, [60, 10, 10, 8, 8, 11, 16])
    for row, score in enumerate(content.data.scores, start=2):
        if score.depth < 0:
            label = "Total"
        elif score.depth == 0:
            label = f"{score.section} : {score.title}"
        else:
            label = f"{score.section} - {score.title}"
        values = [label, score.score, score.max, None if score.percent is None else score.percent / 100,
                  score.rated, score.applicable] + ([content.band_label(score.percent)] if bands else [])
        for column, value in enumerate(values, start=1):
            cell = _put(sheet, row, column, value, bold=score.depth <= 0)
            if score.depth <= 0:
                cell.fill = GROUP_FILL
        sheet.cell(row=row, column=4).number_format = "0.0%"


def _info_sheet(sheet: Worksheet, content: ReportContent) -> None:
    header = content.header
    _header(sheet, ["Information", "Valeur"], [28, 80])
    facts = [("Audit", header.id), ("Référentiel (identifiant)", content.tree.id),
             ("Version du référentiel", content.tree.version),
             ("Empreinte du référentiel", header.referential.sha256), *content.cover_facts()]
    for row, (label, value) in enumerate(facts, start=2):
        _put(sheet, row, 1, label, bold=True)
        _put(sheet, row, 2, value)


class WorkbookFacts(NamedTuple):
    audit: str | None
    referential: str | None
    rows: list[SheetRow]


def read_checklist(path: Path) -> WorkbookFacts:
    """The checklist sheet of a workbook exported by `render_xlsx` (then filled in elsewhere)."""
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a file that is not a workbook
        raise WorkbookError(f"{path.name} n'est pas un classeur Excel (.xlsx) lisible") from exc
    try:
        if CHECKLIST not in workbook.sheetnames:
            raise WorkbookError(f"{path.name} n'a pas de feuille « {CHECKLIST} » : exporter le classeur "
                                "avec audit-bench export")
        lines = workbook[CHECKLIST].iter_rows(values_only=True)
        header = [_text(value) for value in next(lines, ())]
        if header[:len(CHECKLIST_HEADER)] != CHECKLIST_HEADER:
            raise WorkbookError(f"{path.name} : la feuille « {CHECKLIST} » n'a pas les colonnes exportées par "
                                f"audit-bench ({', '.join(CHECKLIST_HEADER)})")
        rows = []
        for line, values in enumerate(lines, start=2):
            values = list(values) + [None] * (len(CHECKLIST_HEADER) - len(values))
            picked = [_text(values[column - 1]) for column in (ID_COLUMN, TEXT_COLUMN, RATING_COLUMN, NOTE_COLUMN)]
            if any(picked):
                rows.append(SheetRow(line, *picked))
        facts = {}
        if INFO in workbook.sheetnames:
            facts = {_text(row[0]): _text(row[1]) for row in workbook[INFO].iter_rows(min_row=2, values_only=True)
                     if len(row) >= 2}
        return WorkbookFacts(facts.get("Audit"), facts.get("Référentiel (identifiant)"), rows)
    finally:
        workbook.close()


def _text(value: Any) -> str | None:
    """A cell as text: numbers as typed (2, not 2.0); empty cells None."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    return text if text.strip() else None


def rating_value(content: ReportContent, typed: str) -> str | None:
    """The scale value a typed rating stands for: its label as exported, the value itself, or
    N/A in any of its spellings; None when it is none of the scale's."""
    typed = typed.strip()
    for level in content.tree.referential.scale:
        if typed in (content.rating_label(level.value), level.value, level.label):
            return level.value
    if typed.casefold() in (NA_LABEL.casefold(), "n/a", NA):
        return NA
    return None
