"""The improvement plan: every action on every écart, from every source (audits in their files,
other sources in the structures' files), for one structure or all; filtered, sorted by due date,
counted by status and by source.

Each file's actions are summarised into the plan's index (`plan-index.json`, tables `plan_audits`
and `plan_structures`, apart from the audits' index so that listing audits never decodes them),
already in the shape the plan prints, with what the rules decide (the écart closed, the action
still open); only what depends on the day (overdue) is computed when the plan is read. So the
plan of a ten-year workspace reads one index, not thousands of files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, timedelta
from operator import attrgetter
from pathlib import Path
from typing import Any

import msgspec

from audit_bench.model import ACTION_STATUSES, ACTION_TYPES, ECART_CLASSES, SOURCES, Action, Finding
from audit_bench.services import rules
from audit_bench.services.audits import audit_path, open_audit
from audit_bench.services.listing import Row, audit_structure_id, structures_folder
from audit_bench.services.session import AuditSession
from audit_bench.services.structures import StructureSession, open_structure, structure_path
from audit_bench.services.text import fold
from audit_bench.services.validation import UserError, check_choice
from audit_bench.services.workspace import Workspace
from audit_bench.store.audit_file import AuditFile
from audit_bench.store.index import PLAN_INDEX_NAME, Table, list_tables
from audit_bench.store.structure_file import StructureFile

PLAN_AUDITS = "plan_audits"
PLAN_STRUCTURES = "plan_structures"
PLAN_ROWS = 1
"""The shape of the plan's index rows: raise it when the summaries change."""
VERIFIED = {"yes": "vérifiée", "no": "non vérifiée"}


# Views: what `plan --json` prints (keys are a stable contract), and what the TUI shows ---------

class Source(msgspec.Struct, frozen=True):
    kind: str
    """A key of `model.vocab.SOURCES`."""
    ref: str
    """For an audit, its id; for another source, what the écart refers to in it (free text)."""


class PlanFinding(msgspec.Struct, frozen=True, rename={"class_": "class"}):
    id: str
    requirement: str
    class_: str
    text: str
    closed: bool
    """By the closure rule: its actions done and the latest verification effective."""
    immediate_action: str = ""
    root_cause: str = ""


class PlanAction(msgspec.Struct, kw_only=True):
    """One action of the plan."""

    id: str
    holder: str
    """What `action-update HOLDER ID` takes: the audit's id for an audit's écart, else the structure's."""
    structure: str
    source: Source
    referential: str
    """The audit's referential; empty for an écart of another source."""
    finding: PlanFinding
    text: str
    type: str
    owner: str
    due: str
    status: str
    open: bool
    """Still to follow (`rules.open_actions`): not yet done and verified effective, écart open."""
    overdue: bool = False
    postponements: list[dict[str, str]] = []
    """Each change of the due date: {"from", "to", "reason", "at"}, oldest first."""
    verified_by: str | None = None
    verified_on: str | None = None
    effective: bool | None = None
    verification_comment: str = ""


class Unplanned(msgspec.Struct, kw_only=True):
    """An open écart that has no action yet."""

    holder: str
    structure: str
    source: Source
    referential: str
    finding: PlanFinding


class Counts(msgspec.Struct, rename={"in_progress": "in-progress"}):
    todo: int = 0
    in_progress: int = 0
    done: int = 0
    overdue: int = 0
    unverified: int = 0
    """Done, effectiveness not verified yet."""


class PlanError(msgspec.Struct, frozen=True):
    id: str
    error: str


class PlanView(msgspec.Struct, kw_only=True):
    actions: list[PlanAction]
    """Sorted by due date."""
    counts: Counts
    sources: dict[str, int]
    """Actions listed, by source."""
    unplanned: list[Unplanned]
    """Open écarts without any action (listed when no filter on actions is given)."""
    names: dict[str, str]
    """The structures' current names, by id."""
    errors: list[PlanError]
    """Files that could not be read, each named with the reason."""

    def to_builtins(self) -> Any:
        """`{"actions": [{"id", "holder", "structure", "source": {"kind", "ref"}, "referential",
        "finding": {"id", "requirement", "class", "text", "closed", …}, "text", "type", "owner", "due",
        "status", "open", "overdue", "postponements", "verified_by", "verified_on", "effective", …}],
        "counts": {"todo", "in-progress", "done", "overdue", "unverified"}, "sources": {KIND: n},
        "unplanned": [{"holder", "structure", "source", "referential", "finding"}], "names": {ID: name},
        "errors": [{"id", "error"}]}`."""
        return msgspec.to_builtins(self)


@dataclass(frozen=True)
class PlanFilter:
    """Which actions the plan lists; None (or False) leaves a criterion out."""

    structure: str | None = None
    owner: str | None = None
    """Actions whose owner contains this text, case and accents ignored."""
    status: str | None = None
    source: str | None = None
    referential: str | None = None
    overdue: bool = False
    due_within: int | None = None
    """Open actions, not done, due within this many days (overdue ones included)."""
    verified: str | None = None
    """"yes": effectiveness verified; "no": done, not verified yet."""
    open: bool = False
    """Only actions still to follow."""

    def on_actions(self) -> bool:
        """Whether a criterion applies to actions only (écarts without action are then left out)."""
        return bool(self.owner or self.status or self.overdue or self.due_within is not None
                    or self.verified or self.open)


# Reading the plan ------------------------------------------------------------------------------

def read_plan(workspace: Workspace, criteria: PlanFilter = PlanFilter(), today: date | None = None) -> PlanView:
    """The plan across audits and structures, as the filters ask, from the index."""
    today = today or date.today()
    _check(workspace, criteria)
    if not workspace.path.is_dir():
        return PlanView(actions=[], counts=Counts(), sources={}, unplanned=[], names={}, errors=[])
    listing = list_tables(workspace.path, {
        PLAN_AUDITS: Table(workspace.path, lambda path: summarize_audit_plan(workspace, path), PLAN_ROWS),
        PLAN_STRUCTURES: Table(structures_folder(workspace), summarize_structure_plan, PLAN_ROWS),
    }, PLAN_INDEX_NAME)
    workspace.index_warning = listing.index_warning
    files = listing.rows[PLAN_AUDITS] + listing.rows[PLAN_STRUCTURES]
    errors = [PlanError(row["id"], row["error"]) for row in files if row.get("error") is not None]
    readable = [row for row in files if row.get("error") is None]
    names = {row["structure"]: row["name"] for row in listing.rows[PLAN_AUDITS] if row.get("error") is None}
    names.update((row["id"], row["name"]) for row in listing.rows[PLAN_STRUCTURES] if row.get("error") is None)
    if criteria.structure is not None and criteria.structure not in names:
        raise UserError(f"structure inconnue « {criteria.structure} » dans {workspace.path}")
    actions = msgspec.convert([action for row in readable for action in row["actions"]], list[PlanAction])
    listed = _filtered(actions, criteria, today)
    listed.sort(key=attrgetter("holder", "id"))
    listed.sort(key=attrgetter("due"))
    unplanned: list[Unplanned] = []
    if not criteria.on_actions():
        unplanned = [u for u in msgspec.convert([u for row in readable for u in row["unplanned"]], list[Unplanned])
                     if _matches_source(u, criteria)]
        unplanned.sort(key=lambda u: (u.structure, u.holder, u.finding.id))
    sources: dict[str, int] = {}
    for action in listed:
        sources[action.source.kind] = sources.get(action.source.kind, 0) + 1
    return PlanView(actions=listed, counts=_counts(listed), sources=sources, unplanned=unplanned,
                    names={sid: names[sid] for sid in sorted(names)}, errors=errors)


def _check(workspace: Workspace, criteria: PlanFilter) -> None:
    if criteria.structure is not None:
        structure_path(workspace, criteria.structure)  # refuses an id that cannot name a structure
    if criteria.status is not None:
        check_choice(criteria.status, ACTION_STATUSES, "statut")
    if criteria.source is not None:
        check_choice(criteria.source, SOURCES, "source")
    if criteria.verified is not None:
        check_choice(criteria.verified, VERIFIED, "vérification")
    if criteria.due_within is not None and not 0 <= criteria.due_within <= 36_500:
        raise UserError(f"nombre de jours invalide « {criteria.due_within} » : attendu de 0 à 36500")


def _matches_source(item: PlanAction | Unplanned, criteria: PlanFilter) -> bool:
    return ((criteria.structure is None or item.structure == criteria.structure)
            and (criteria.source is None or item.source.kind == criteria.source)
            and (criteria.referential is None or item.referential == criteria.referential))


def _filtered(actions: list[PlanAction], criteria: PlanFilter, today: date) -> list[PlanAction]:
    """The actions that meet every criterion, each told whether it is overdue today."""
    owner = fold(criteria.owner) if criteria.owner else None
    horizon = (today + timedelta(days=criteria.due_within)).isoformat() if criteria.due_within is not None else None
    listed = []
    for action in actions:
        action.overdue = rules.is_overdue(action.open, action.status, action.due, today)
        if not _matches_source(action, criteria):
            continue
        if owner is not None and owner not in fold(action.owner):
            continue
        if criteria.status is not None and action.status != criteria.status:
            continue
        if criteria.overdue and not action.overdue:
            continue
        if horizon is not None and not (action.open and action.status != "done" and action.due <= horizon):
            continue
        if criteria.verified == "yes" and action.effective is None:
            continue
        if criteria.verified == "no" and not (action.status == "done" and action.effective is None):
            continue
        if criteria.open and not action.open:
            continue
        listed.append(action)
    return listed


def _counts(actions: list[PlanAction]) -> Counts:
    counts = Counts()
    for action in actions:
        if action.status == "todo":
            counts.todo += 1
        elif action.status == "in-progress":
            counts.in_progress += 1
        elif action.status == "done":
            counts.done += 1
            counts.unverified += action.effective is None
        counts.overdue += action.overdue
    return counts


@dataclass(frozen=True)
class Watch:
    """« À surveiller »: open actions overdue, or due within `rules.WATCH_DAYS` days."""

    overdue: int
    due_soon: int
    """Not overdue yet, due within WATCH_DAYS days."""


def to_watch(workspace: Workspace, today: date | None = None) -> Watch:
    today = today or date.today()
    actions = read_plan(workspace, PlanFilter(open=True), today).actions
    overdue = sum(action.overdue for action in actions)
    soon = sum(1 for a in actions if not a.overdue and rules.is_to_watch(a.open, a.status, a.due, today))
    return Watch(overdue, soon)


# Summaries of the files, for the index -------------------------------------------------------

def summarize_audit_plan(workspace: Workspace, path: Path) -> Row:
    with AuditFile.open(path, write=False) as file:
        snapshot = file.snapshot()
        tree = workspace.frozen_tree(path, snapshot.header.referential)
    header = snapshot.header
    structure = audit_structure_id(header)
    closed = {f.id for f in snapshot.findings if rules.finding_is_closed(tree, f, snapshot.actions_of(f.id))}
    return {"structure": structure, "name": header.org,
            **_plan_rows(header.id, structure, {"kind": "audit", "ref": header.id}, header.referential.id,
                         snapshot.findings, snapshot.actions, closed)}


def summarize_structure_plan(path: Path) -> Row:
    with StructureFile.open(path, write=False) as file:
        snapshot = file.snapshot()
    record = snapshot.structure
    closed = {f.id for f in snapshot.findings
              if rules.ecart_is_closed(ECART_CLASSES.get(f.class_, ("", True))[1], snapshot.actions_of(f.id))}
    rows: Row = {"name": record.name, "actions": [], "unplanned": []}
    for finding in snapshot.findings:
        one = _plan_rows(record.id, record.id, {"kind": finding.source, "ref": finding.ref}, "", [finding],
                         snapshot.actions_of(finding.id), closed)
        rows["actions"] += one["actions"]
        rows["unplanned"] += one["unplanned"]
    return rows


def _plan_rows(holder: str, structure: str, source: dict[str, str], referential: str, findings: list[Finding],
               actions: list[Action], closed: set[str]) -> Row:
    """The index rows of one file's actions (in the shape of PlanAction) and its open écarts
    without action (Unplanned)."""
    still_open = {action.id for action in rules.open_actions_among(actions)}
    by_id = {finding.id: _finding_row(finding, finding.id in closed) for finding in findings}
    planned = {action.finding for action in actions}
    return {
        "actions": [{"id": a.id, "holder": holder, "structure": structure, "source": source,
                     "referential": referential, "finding": by_id[a.finding], "text": a.text, "type": a.type,
                     "owner": a.owner, "due": a.due, "status": a.status, "open": a.id in still_open,
                     "postponements": msgspec.to_builtins(a.postponements), "verified_by": a.verified_by,
                     "verified_on": a.verified_at[:10] if a.verified_at else None, "effective": a.effective,
                     "verification_comment": a.verification_comment}
                    for a in actions if a.finding in by_id],
        "unplanned": [{"holder": holder, "structure": structure, "source": source, "referential": referential,
                       "finding": row} for finding_id, row in by_id.items()
                      if finding_id not in planned and not row["closed"]],
    }


def _finding_row(finding: Finding, closed: bool) -> Row:
    return {"id": finding.id, "requirement": finding.requirement, "class": finding.class_, "text": finding.text,
            "closed": closed, "immediate_action": finding.immediate_action, "root_cause": finding.root_cause}


# Changing the plan: an audit's écarts or a structure's ---------------------------------------

def open_holder(workspace: Workspace, holder: str, *, write: bool = True) -> AuditSession | StructureSession:
    """The audit (by its id) or the structure (by its id) whose écarts and actions to change."""
    if holder and os.path.lexists(workspace.path / f"{holder}.json"):
        return open_audit(workspace, holder, write=write)
    try:
        return open_structure(workspace, holder, write=write)
    except UserError:
        audit_path(workspace, holder)  # an id that cannot be an audit's says so first
        raise UserError(f"audit inconnu « {holder} », ni structure de cet identifiant, dans {workspace.path}") from None


def add_ecart(workspace: Workspace, structure_id: str, source: str, text: str, class_id: str = "ecart",
              ref: str = "", immediate_action: str = "", root_cause: str = "") -> Finding:
    with open_structure(workspace, structure_id) as session:
        return session.add_ecart(source, text, class_id, ref, immediate_action, root_cause)


# Exports ---------------------------------------------------------------------------------------

EXPORT_COLUMNS: list[tuple[str, int]] = [
    ("Structure", 28), ("Source", 14), ("Référence", 24), ("Référentiel", 11), ("Écart", 7), ("Exigence", 10),
    ("Classe", 16), ("Constat", 40), ("Écart clos", 10), ("Action", 7), ("Action à mener", 40), ("Type", 13),
    ("Responsable", 20), ("Échéance", 11), ("Statut", 10), ("En retard", 9), ("Reports d'échéance", 40),
    ("Efficacité vérifiée par", 20), ("Vérifiée le", 11), ("Efficace", 9), ("Commentaire", 30),
]
"""The French headers of an export (one row per action) and their widths in the XLSX."""
EXPORTS = ("xlsx", "csv")


def plan_table(view: PlanView) -> list[list[str]]:
    """One row of text per action, in the order of EXPORT_COLUMNS."""
    def yes_no(value: bool | None) -> str:
        return "" if value is None else "oui" if value else "non"

    return [[view.names.get(a.structure, a.structure), SOURCES.get(a.source.kind, a.source.kind), a.source.ref,
             a.referential, a.finding.id, a.finding.requirement, a.finding.class_, a.finding.text,
             yes_no(a.finding.closed), a.id, a.text, ACTION_TYPES.get(a.type, a.type), a.owner, a.due,
             ACTION_STATUSES.get(a.status, a.status), yes_no(a.overdue),
             "\n".join(f"{p['from']} → {p['to']} : {p['reason']}" for p in a.postponements),
             a.verified_by or "", a.verified_on or "", yes_no(a.effective), a.verification_comment]
            for a in view.actions]


def export_plan(workspace: Workspace, view: PlanView, outputs: dict[str, Path], *, force: bool = False) -> list[Path]:
    """Write the plan as spreadsheets (`outputs`: format, xlsx or csv, → path) where a report may be
    written (see `reporting.checked_output`): never over the workspace's data, nor over an existing
    file unless `force`. Every path is checked before any is written."""
    from audit_bench.reports.spreadsheet import csv_bytes, xlsx_bytes
    from audit_bench.services.reporting import checked_output, write_output

    targets = {check_choice(kind, list(EXPORTS), "format d'export"): checked_output(workspace.path, Path(path),
                                                                                  force=force)
               for kind, path in outputs.items()}
    headers = [header for header, _ in EXPORT_COLUMNS]
    rows = plan_table(view)
    for kind, target in targets.items():
        if kind == "xlsx":
            payload = xlsx_bytes("Plan d'amélioration", headers, rows, [width for _, width in EXPORT_COLUMNS])
        else:
            payload = csv_bytes(headers, rows)
        write_output(target, payload, force=force)
    return list(targets.values())
