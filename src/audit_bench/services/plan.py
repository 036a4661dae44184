"""The improvement plan: every action on every écart, from every source (audits in their files,
other sources in the structures' files), for one structure or all; filtered, sorted by due date,
counted by status and by source.

Each file's actions are summarised into the plan's indexes, already nearly in the shape the plan
prints, with what the rules decide (the écart closed, the action still open); only what depends on
the day (overdue) is computed when the plan is read. The actions still to follow are kept in
`plan-index.json`, the finished ones (done and verified effective, or of a closed écart) in
`plan-history.json`, read only when asked (`PlanFilter.history`): ten years of finished actions
never slow the plan, and listing audits never decodes either.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, timedelta
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any

import msgspec

from audit_bench.model import ACTION_STATUSES, ACTION_TYPES, ECART_CLASSES, SOURCES, Action, Finding
from audit_bench.services import rules
from audit_bench.services.audits import audit_path, open_audit
from audit_bench.services.listing import audit_structure_id, structures_folder
from audit_bench.services.session import AuditSession
from audit_bench.services.structures import StructureSession, open_structure, structure_path
from audit_bench.services.text import fold
from audit_bench.services.validation import UserError, check_choice
from audit_bench.services.workspace import Workspace
from audit_bench.store.audit_file import AuditFile
from audit_bench.store.index import PLAN_HISTORY_NAME, PLAN_INDEX_NAME, IndexRow, Table, list_tables
from audit_bench.store.structure_file import StructureFile

class PlanRow(IndexRow, frozen=True, kw_only=True):
    """One file's entry in the plan's index: its écarts and actions as arrays (see `_file_row`)."""

    structure: str = ""
    name: str = ""
    referential: str = ""
    findings: list[list[Any]] = []
    actions: list[list[Any]] = []
    unplanned: list[int] = []


Row = dict[str, Any]
"""The fields of a `PlanRow` as summarised from its file."""

PLAN_AUDITS = "plan_audits"
PLAN_STRUCTURES = "plan_structures"
PLAN_ROWS = 2
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


class PlanAction(msgspec.Struct, kw_only=True):
    """One action of the plan: the shape of the rows `PlanView.actions` holds (see `records`)."""

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
    postponements: list[dict[str, str]]
    """Each change of the due date: {"from", "to", "reason", "at"}, oldest first."""
    verified_by: str | None
    verified_on: str | None
    effective: bool | None
    verification_comment: str
    overdue: bool


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
    """`plan --json` (encode it as it is: `actions` are the index's rows, not copied):
    `{"actions": [{"id", "holder", "structure", "source": {"kind", "ref"}, "referential",
    "finding": {"id", "requirement", "class", "text", "closed"}, "text", "type", "owner", "due", "status",
    "open", "postponements", "verified_by", "verified_on", "effective", "verification_comment", "overdue"}],
    "counts": {"todo", "in-progress", "done", "overdue", "unverified"}, "sources": {KIND: n},
    "unplanned": [{"holder", "structure", "source", "referential", "finding"}], "names": {ID: name},
    "errors": [{"id", "error"}]}`."""

    actions: list[dict[str, Any]]
    """Rows of the shape of PlanAction, sorted by due date: 40,000 of them are read and printed
    without building an object each."""
    counts: Counts
    sources: dict[str, int]
    """Actions listed, by source."""
    unplanned: list[Unplanned]
    """Open écarts without any action (listed when no filter on actions is given)."""
    names: dict[str, str]
    """The structures' current names, by id."""
    errors: list[PlanError]
    """Files that could not be read, each named with the reason."""

    def records(self) -> list[PlanAction]:
        """The actions as records, for a face that shows them one by one."""
        return msgspec.convert(self.actions, list[PlanAction])

    def to_builtins(self) -> Any:
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
    history: bool = False
    """Also the finished actions (done and verified effective, or of a closed écart)."""

    def on_actions(self) -> bool:
        """Whether a criterion applies to actions only (écarts without action are then left out)."""
        return bool(self.owner or self.status or self.overdue or self.due_within is not None or self.verified)


# Reading the plan ------------------------------------------------------------------------------

def read_plan(workspace: Workspace, criteria: PlanFilter = PlanFilter(), today: date | None = None) -> PlanView:
    """The plan across audits and structures, as the filters ask, from the index."""
    today = today or date.today()
    _check(workspace, criteria)
    if not workspace.path.is_dir():
        return PlanView(actions=[], counts=Counts(), sources={}, unplanned=[], names={}, errors=[])
    workspace.index_warning = None
    listing = _read_index(workspace, PLAN_INDEX_NAME, open_part=True)
    files = listing[PLAN_AUDITS] + listing[PLAN_STRUCTURES]
    errors = [PlanError(row.id, row.error) for row in files if row.error is not None]
    readable = [row for row in files if row.error is None]
    names = {row.structure: row.name for row in listing[PLAN_AUDITS] if row.error is None}
    names.update((row.id, row.name) for row in listing[PLAN_STRUCTURES] if row.error is None)
    if criteria.structure is not None and criteria.structure not in names:
        raise UserError(f"structure inconnue « {criteria.structure} » dans {workspace.path}")
    if criteria.history:
        history = _read_index(workspace, PLAN_HISTORY_NAME, open_part=False)
        readable += [row for row in history[PLAN_AUDITS] + history[PLAN_STRUCTURES] if row.error is None]
    readable.sort(key=attrgetter("id"))
    listed: list[dict[str, Any]] = []
    unplanned: list[dict[str, Any]] = []
    owner = fold(criteria.owner) if criteria.owner else None
    horizon = (today + timedelta(days=criteria.due_within)).isoformat() if criteria.due_within is not None else None
    for row in readable:
        _expand(row, criteria, owner, horizon, today.isoformat(), listed, unplanned)
    listed.sort(key=itemgetter("due"))
    sources: dict[str, int] = {}
    for action in listed:
        kind = action["source"]["kind"]
        sources[kind] = sources.get(kind, 0) + 1
    return PlanView(actions=listed, counts=_counts(listed), sources=sources,
                    unplanned=[] if criteria.on_actions() else msgspec.convert(unplanned, list[Unplanned]),
                    names={sid: names[sid] for sid in sorted(names)}, errors=errors)


def _read_index(workspace: Workspace, index_name: str, *, open_part: bool) -> dict[str, list[PlanRow]]:
    """The rows of one of the plan's indexes: the actions still to follow, or the finished ones."""
    listing = list_tables(workspace.path, {
        PLAN_AUDITS: Table(workspace.path, lambda path: summarize_audit_plan(workspace, path, open_part), PlanRow,
                           PLAN_ROWS),
        PLAN_STRUCTURES: Table(structures_folder(workspace), lambda path: summarize_structure_plan(path, open_part),
                               PlanRow, PLAN_ROWS),
    }, index_name)
    workspace.index_warning = workspace.index_warning or listing.index_warning
    return listing.rows


def _expand(row: PlanRow, criteria: PlanFilter, owner: str | None, horizon: str | None, today: str,
            listed: list[dict[str, Any]], unplanned: list[dict[str, Any]]) -> None:
    """Add one file's actions that meet the criteria to `listed` (in the shape of PlanAction, each
    told whether it is overdue `today`), and its écarts without action to `unplanned`; `owner` is
    the folded owner criterion, `horizon` the last due date `due_within` accepts."""
    holder, structure, referential = row.id, row.structure, row.referential
    if not ((criteria.structure is None or structure == criteria.structure)
            and (criteria.referential is None or referential == criteria.referential)):
        return
    findings = [dict(zip(FINDING_FIELDS, f)) for f in row.findings]
    sources = [{"kind": f[5], "ref": f[6]} for f in row.findings]
    for n in row.unplanned:
        if criteria.source is None or sources[n]["kind"] == criteria.source:
            unplanned.append({"holder": holder, "structure": structure, "source": sources[n],
                              "referential": referential, "finding": findings[n]})
    for (n, action_id, text, type_, owner_name, due, status, still_open, postponements, verified_by, verified_on,
         effective, comment) in row.actions:
        overdue = rules.is_overdue(still_open, status, due, today)
        if ((criteria.source is not None and sources[n]["kind"] != criteria.source)
                or (owner is not None and owner not in fold(owner_name))
                or (criteria.status is not None and status != criteria.status)
                or (criteria.overdue and not overdue)
                or (horizon is not None and not (still_open and status != "done" and due <= horizon))
                or (criteria.verified == "yes" and effective is None)
                or (criteria.verified == "no" and not (status == "done" and effective is None))):
            continue
        listed.append({"id": action_id, "holder": holder, "structure": structure, "source": sources[n],
                       "referential": referential, "finding": findings[n], "text": text, "type": type_,
                       "owner": owner_name, "due": due, "status": status, "open": still_open,
                       "postponements": postponements, "verified_by": verified_by, "verified_on": verified_on,
                       "effective": effective, "verification_comment": comment, "overdue": overdue})


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


def _counts(actions: list[dict[str, Any]]) -> Counts:
    counts = Counts()
    for action in actions:
        status = action["status"]
        if status == "todo":
            counts.todo += 1
        elif status == "in-progress":
            counts.in_progress += 1
        elif status == "done":
            counts.done += 1
            counts.unverified += action["effective"] is None
        counts.overdue += action["overdue"]
    return counts


@dataclass(frozen=True)
class Watch:
    """« À surveiller »: open actions overdue, or due within `rules.WATCH_DAYS` days."""

    overdue: int
    due_soon: int
    """Not overdue yet, due within WATCH_DAYS days."""


def to_watch(workspace: Workspace, today: date | None = None) -> Watch:
    today = today or date.today()
    actions = read_plan(workspace, PlanFilter(), today).actions
    overdue = sum(action["overdue"] for action in actions)
    soon = sum(1 for a in actions if not a["overdue"] and rules.is_to_watch(a["open"], a["status"], a["due"], today))
    return Watch(overdue, soon)


# Summaries of the files, for the index -------------------------------------------------------

def summarize_audit_plan(workspace: Workspace, path: Path, open_part: bool) -> Row:
    with AuditFile.open(path, write=False) as file:
        snapshot = file.snapshot()
        tree = workspace.frozen_tree(path, snapshot.header.referential)
    header = snapshot.header
    closed = {f.id for f in snapshot.findings if rules.finding_is_closed(tree, f, snapshot.actions_of(f.id))}
    return _file_row(audit_structure_id(header), header.org, header.referential.id, snapshot.findings,
                     snapshot.actions, closed, open_part, audit=header.id)


def summarize_structure_plan(path: Path, open_part: bool) -> Row:
    with StructureFile.open(path, write=False) as file:
        snapshot = file.snapshot()
    record = snapshot.structure
    closed = {f.id for f in snapshot.findings
              if rules.ecart_is_closed(ECART_CLASSES.get(f.class_, ("", True))[1], snapshot.actions_of(f.id))}
    return _file_row(record.id, record.name, "", snapshot.findings, snapshot.actions, closed, open_part)


FINDING_FIELDS = ("id", "requirement", "class", "text", "closed")
ACTION_FIELDS = ("id", "text", "type", "owner", "due", "status", "open", "postponements", "verified_by",
                 "verified_on", "effective", "verification_comment")
"""The plan's indexes keep each écart and action as an array of these fields, and each file's
structure and referential once: a third of the bytes of an object per action."""


def _file_row(structure: str, name: str, referential: str, findings: list[Finding], actions: list[Action],
              closed: set[str], open_part: bool, audit: str | None = None) -> Row:
    """One file's actions still to follow (`open_part`) or finished, each an array: the index of its
    écart, then ACTION_FIELDS; those écarts ([FINDING_FIELDS…, source kind, source ref]); in the open
    part, the écarts still open without any action (by their index). The index names the row by
    its file, which holds the écarts: the audit, or the structure."""
    still_open = {action.id for action in rules.open_actions_among(actions, rules.resolved_findings(findings))}
    kept = [a for a in actions if (a.id in still_open) == open_part]
    planned = {action.finding for action in actions}
    unplanned = [f.id for f in findings if open_part and f.id not in planned and f.id not in closed]
    shown = {a.finding for a in kept} | set(unplanned)
    listed = [f for f in findings if f.id in shown]
    position = {finding.id: n for n, finding in enumerate(listed)}
    return {
        "structure": structure, "name": name, "referential": referential,
        "findings": [[f.id, f.requirement, f.class_, f.text, f.id in closed, "audit" if audit else f.source,
                      audit or f.ref] for f in listed],
        "actions": [[position[a.finding], a.id, a.text, a.type, a.owner, a.due, a.status, open_part,
                     msgspec.to_builtins(a.postponements), a.verified_by,
                     a.verified_at[:10] if a.verified_at else None, a.effective, a.verification_comment]
                    for a in kept if a.finding in position],
        "unplanned": [position[finding_id] for finding_id in unplanned],
    }


# Changing the plan: an audit's écarts or a structure's ---------------------------------------

def open_holder(workspace: Workspace, holder: str, *, write: bool = True) -> AuditSession | StructureSession:
    """The audit (by its id) or the structure (by its id) whose écarts and actions to change."""
    if holder and os.path.lexists(workspace.path / f"{holder}.json"):
        return open_audit(workspace, holder, write=write)
    try:
        return open_structure(workspace, holder, write=write)
    except UserError:
        audit_path(workspace, holder)  # an id that cannot be an audit's says so first
        raise UserError(f"audit inconnu « {holder} », ni structure de cet identifiant, "
                        f"dans {workspace.path}") from None


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
            for a in view.records()]


def export_plan(workspace: Workspace, view: PlanView, outputs: dict[str, Path], *, force: bool = False) -> list[Path]:
    """Write the plan as spreadsheets (`outputs`: format, xlsx or csv, → path) where a report may be
    written (see `reporting.checked_output`): never over the workspace's data, nor over an existing
    file unless `force`. Every path is checked before any is written."""
    from audit_bench.reports.spreadsheet import csv_bytes, xlsx_bytes
    from audit_bench.services.reporting import checked_output, write_private

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
        write_private(target, payload, force=force)
    return list(targets.values())
