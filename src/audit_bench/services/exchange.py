"""The audit's checklist as an Excel workbook, and the ratings and notes read back from it.

A fédération sends the grid to a structure, which fills it in Excel; importing it shows what
would change and changes the audit only when asked (`apply`), all rows or none, through the same
checks as a rating typed in the walk (same lock, same refusals on a closed audit). A rating
outside the scale, an unknown requirement or a requirement whose wording was changed refuses
the whole import, each with its row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import msgspec

from audit_bench.model import Assessment
from audit_bench.services.reporting import checked_output, report_input, write_private
from audit_bench.services.session import AuditSession
from audit_bench.services.validation import UserError
from audit_bench.services.workspace import Workspace

MAX_WORKBOOK_BYTES = 50 << 20
"""A filled-in checklist is a few hundred kilobytes; anything this large is not one."""


class RatingChange(msgspec.Struct, frozen=True, kw_only=True):
    """One requirement whose rating or note the workbook changes."""

    line: int
    requirement: str
    rating_before: str | None
    rating_after: str
    note_before: str
    note_after: str


@dataclass
class ImportOutcome:
    changes: list[RatingChange] = field(default_factory=list)
    applied: bool = False
    warnings: list[str] = field(default_factory=list)


def export_xlsx(workspace: Workspace, session: AuditSession, output: Path, *, force: bool = False,
                today: date | None = None) -> None:
    """Write the audit's workbook to `output` (mode 0600, durable; never over the workspace's data)."""
    from audit_bench.reports.xlsx import render_xlsx  # openpyxl: heavy

    output = checked_output(workspace.path, Path(output), force=force)
    data = report_input(workspace, session, today or date.today(), sections=False)
    write_private(output, render_xlsx(data), force=force)


def import_xlsx(workspace: Workspace, session: AuditSession, workbook: Path, *, apply: bool = False,
                today: date | None = None) -> ImportOutcome:
    """What the filled-in `workbook` changes in the audit; applied in one write when `apply`.
    Refuses (UserError, one line naming every bad row) before anything is written."""
    from audit_bench.reports.content import ReportContent
    from audit_bench.reports.xlsx import WorkbookError, read_checklist, rating_value

    workbook = Path(workbook).expanduser()
    if not workbook.is_file():
        raise UserError(f"classeur introuvable : {workbook}")
    if workbook.stat().st_size > MAX_WORKBOOK_BYTES:
        raise UserError(f"{workbook.name} est trop volumineux pour une liste de contrôle")
    from audit_bench.services.bundles import check_zip_sizes

    check_zip_sizes(workbook)
    try:
        facts = read_checklist(workbook)
    except WorkbookError as exc:
        raise UserError(str(exc)) from exc
    tree, snapshot = session.tree, session.snapshot()
    if facts.referential is not None and facts.referential != tree.id:
        raise UserError(f"{workbook.name} a été exporté pour le référentiel « {facts.referential} », "
                        f"l'audit {snapshot.header.id} suit « {tree.id} »")
    outcome = ImportOutcome()
    if facts.audit is not None and facts.audit != snapshot.header.id:
        outcome.warnings.append(f"classeur exporté de l'audit {facts.audit}, importé dans {snapshot.header.id}")
    content = ReportContent(report_input(workspace, session, today or date.today(), sections=False))
    current = snapshot.assessment_map()
    refused: list[str] = []
    seen: dict[str, int] = {}
    checked: list[Assessment] = []
    for row in facts.rows:
        problem = _row_problem(session, row, seen)
        if problem:
            refused.append(f"ligne {row.line} : {problem}")
            continue
        before = current.get(row.requirement)
        note = row.note or ""
        if row.rating is None:
            if before is not None and before.rated:
                refused.append(f"ligne {row.line} : cotation de {row.requirement} effacée ; l'import ne retire "
                               "pas de cotation (la remettre, ou l'effacer dans audit-bench)")
            elif note and (before is None or before.note != note):
                refused.append(f"ligne {row.line} : constat sans cotation pour {row.requirement}")
            continue
        value = rating_value(content, row.rating)
        if value is None:
            refused.append(f"ligne {row.line} : cotation « {row.rating} » hors de l'échelle de {tree.id} "
                           f"pour {row.requirement}")
            continue
        if before is not None and before.rating == value and before.note == note:
            continue
        try:
            assessment = session.checked_assessment(row.requirement, value, note)
        except UserError as exc:
            refused.append(f"ligne {row.line} : {row.requirement} : {exc}")
            continue
        checked.append(assessment)
        outcome.changes.append(RatingChange(
            line=row.line, requirement=row.requirement,
            rating_before=content.rating_label(before.rating) if before else None,
            rating_after=content.rating_label(assessment.rating), note_before=before.note if before else "",
            note_after=assessment.note))
    if refused:
        raise UserError(f"import refusé, rien n'a été modifié : {' ; '.join(refused)}")
    if outcome.changes and snapshot.header.status == "closed":
        outcome.warnings.append(f"audit {snapshot.header.id} clos : le rouvrir pour appliquer ces changements")
    if apply and checked:
        session.rate_all(checked)
        outcome.applied = True
    return outcome


def _row_problem(session: AuditSession, row, seen: dict[str, int]) -> str | None:
    """Why a row cannot be read back: no id, an id unknown here, seen twice, or a changed wording."""
    tree, siae_type = session.tree, session.siae_type
    if row.requirement is None:
        return "identifiant d'exigence vide"
    if row.requirement not in tree or not tree.node(row.requirement).ratable:
        return f"exigence inconnue « {row.requirement} » dans {tree.id}"
    node = tree.node(row.requirement)
    if not tree.applicable(node, siae_type):
        return f"l'exigence {row.requirement} ne s'applique pas au type {siae_type}"
    if row.requirement in seen:
        return f"exigence {row.requirement} déjà donnée ligne {seen[row.requirement]}"
    seen[row.requirement] = row.line
    if (row.text or "") != tree.text_for(node, siae_type):
        return f"formulation de l'exigence {row.requirement} modifiée (elle doit rester telle qu'exportée)"
    return None
