"""The workspace's rows, as the index keeps them: one per audit file, one per structure file.

The services summarise each file here, with the rules (progress, open écarts, open actions), so
an index row carries what the rules decide and nothing in the store re-implements them. Both
listings (audits, structures) read both tables: an audit shows its structure's current name, a
structure counts its audits' open actions.

This module is the Accueil's: it imports what listing from a warm index needs (the rows' types,
the index reader), and the store's files and the rules only to summarise a file again.
"""

from __future__ import annotations

from datetime import date
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from audit_bench.model.checks import CheckFrequency
from audit_bench.model.cycle import CycleSetting, Fulfilment
from audit_bench.model.structure import Certification, implied_structure_id
from audit_bench.services.text import fold
from audit_bench.services.workspace import Workspace
from audit_bench.store.index import IndexRow, Table, list_tables

if TYPE_CHECKING:
    from audit_bench.model import AuditHeader

AUDITS = "audits"
STRUCTURES = "structures"
STRUCTURES_FOLDER = "structures"
AUDIT_ROWS = 2
"""The shape of an audit row: 2 added `structure` and `open_action_dues`."""
STRUCTURE_ROWS = 3
"""The shape of a structure row: 2 added the certificates' details, the cycle settings and the
obligations recorded as met (what the agenda reads); 3 what the registers tell the agenda."""


class AuditRow(IndexRow, frozen=True, kw_only=True):
    """One audit as the index keeps it: a line of the audit list, and what the structure list
    counts. Decoded straight from the index: a listing makes no other object per audit."""

    referential: str = ""
    referential_version: str = ""
    org: str = ""
    """The structure's name when summarised; `list_audits` shows its current name."""
    structure: str = ""
    siae_type: str | None = None
    kind: str = ""
    date: str = ""
    status: str = "open"
    assessed: int = 0
    total: int = 0
    open_findings: int = 0
    open_action_dues: list[str] = []
    """The due dates of the audit's open actions."""


class CertificationExpiry(msgspec.Struct, frozen=True):
    """What the structure list shows of a certificate."""

    referential: str
    valid_until: str


class StructureIndexRow(IndexRow, frozen=True, kw_only=True):
    """One structure file as the index keeps it."""

    name: str = ""
    siae_type: str | None = None
    certifications: list[Certification] = []
    cycle_settings: list[CycleSetting] = []
    """What the agenda reads, with the certificates and the obligations recorded as met."""
    fulfilments: list[Fulfilment] = []
    register_dates: dict[str, list[str]] = {}
    """The days the registers show an obligation met on (`StructureSnapshot.register_dates`)."""
    register_dues: bool = False
    """A register may owe something (`StructureSnapshot.awaits_register_dues`): the agenda reads the file."""
    check_frequencies: list[CheckFrequency] = []
    """The tableau récapitulatif of the contrôles (AFAQ 6.1), and the days of the contrôles of each engagement."""
    checks_by_engagement: dict[str, list[str]] = {}


class StructureRow(msgspec.Struct, frozen=True, kw_only=True):
    """One line of the structure list (the home, `structures`)."""

    id: str
    name: str
    siae_type: str | None
    audits: int = 0
    open_actions: int = 0
    overdue_actions: int = 0
    """Open actions whose due date is before `today`."""
    last_audit: str | None = None
    """The first day of its latest audit."""
    certifications: list[CertificationExpiry] = []


class StructureError(msgspec.Struct, frozen=True):
    id: str
    error: str


class StructuresView(msgspec.Struct, frozen=True):
    structures: list[StructureRow]
    errors: list[StructureError]
    """Structure files that cannot be read, each named with the reason."""

    def to_builtins(self) -> Any:
        """`{"structures": [{"id", "name", "siae_type", "audits", "open_actions", "overdue_actions",
        "last_audit", "certifications": [{"referential", "valid_until"}]}], "errors": [{"id", "error"}]}`."""
        return msgspec.to_builtins(self)


class WorkspaceRows(msgspec.Struct, frozen=True):
    audits: list[AuditRow]
    """One row per audit file (`error` set when it cannot be read)."""
    structures: list[StructureIndexRow]
    """One row per structure file; structures only implied by audits have none."""


def structures_folder(workspace: Workspace) -> Path:
    return workspace.path / STRUCTURES_FOLDER


def audit_structure_id(header: AuditHeader) -> str:
    """The structure an audit is on; a header built in memory without one implies it."""
    return header.structure or implied_structure_id(header.org, header.siae_type)


def workspace_rows(workspace: Workspace) -> WorkspaceRows:
    """Every audit and structure row, from the index where it can be trusted."""
    if not workspace.path.is_dir():
        return WorkspaceRows([], [])
    listing = list_tables(workspace.path, {
        AUDITS: Table(workspace.path, lambda path: summarize_audit(workspace, path), AuditRow, AUDIT_ROWS),
        STRUCTURES: Table(structures_folder(workspace), summarize_structure, StructureIndexRow, STRUCTURE_ROWS),
    })
    workspace.index_warning = listing.index_warning
    return WorkspaceRows(listing.rows[AUDITS], listing.rows[STRUCTURES])


def list_audits(workspace: Workspace, rows: WorkspaceRows | None = None) -> list[AuditRow]:
    """Every audit of the workspace, newest first, each with its structure's current name; an
    unreadable file is a row with an error. `rows`: the workspace's rows when the caller has
    read them already (the Accueil lists the structures from the same read)."""
    rows = rows if rows is not None else workspace_rows(workspace)
    names = {row.id: row.name for row in rows.structures if row.error is None}
    audits = [_named(row, names) for row in rows.audits] if names else rows.audits
    # Two stable sorts on one attribute each: a (date, id) tuple per row costs 3× as much at 5,000 rows.
    return sorted(sorted(audits, key=attrgetter("id"), reverse=True), key=attrgetter("date"), reverse=True)


def _named(row: AuditRow, names: dict[str, str]) -> AuditRow:
    name = names.get(row.structure)
    return row if name is None or name == row.org else msgspec.structs.replace(row, org=name)


def list_structures(workspace: Workspace, today: date | None = None,
                    rows: WorkspaceRows | None = None) -> StructuresView:
    """Every structure: the structure files, and those only implied by audits; by name. `rows`:
    the workspace's rows when the caller has read them already."""
    rows = rows if rows is not None else workspace_rows(workspace)
    today_iso = (today or date.today()).isoformat()
    audits = audits_by_structure(rows.audits)
    listed: list[StructureRow] = []
    errors: list[StructureError] = []
    recorded = set()
    for row in rows.structures:
        recorded.add(row.id)
        if row.error is not None:
            errors.append(StructureError(row.id, row.error))
            continue
        listed.append(_structure_row(row.id, row.name, row.siae_type, audits.get(row.id, []), today_iso,
                                     row.certifications))
    for structure_id, its_audits in audits.items():
        if structure_id not in recorded:
            first = its_audits[0]
            listed.append(_structure_row(structure_id, first.org, first.siae_type, its_audits, today_iso, []))
    listed.sort(key=lambda row: (fold(row.name), row.id))
    return StructuresView(listed, errors)


def audits_by_structure(audit_rows: list[AuditRow]) -> dict[str, list[AuditRow]]:
    grouped: dict[str, list[AuditRow]] = {}
    for row in audit_rows:
        if row.error is None:
            grouped.setdefault(row.structure, []).append(row)
    return grouped


def count_overdue(dues: list[str], today_iso: str) -> int:
    return sum(1 for due in dues if due < today_iso)


def _structure_row(structure_id: str, name: str, siae_type: str | None, audits: list[AuditRow], today_iso: str,
                   certifications: list[Certification]) -> StructureRow:
    dues = [due for audit in audits for due in audit.open_action_dues]
    return StructureRow(
        id=structure_id, name=name, siae_type=siae_type, audits=len(audits), open_actions=len(dues),
        overdue_actions=count_overdue(dues, today_iso), last_audit=max((a.date for a in audits), default=None),
        certifications=[CertificationExpiry(c.referential, c.valid_until) for c in certifications])


def summarize_audit(workspace: Workspace, path: Path) -> dict[str, Any]:
    """An audit's row, read from its file (the store and the rules: imported for the first file
    that needs it, never on a warm listing)."""
    from audit_bench.services import rules
    from audit_bench.store.audit_file import AuditFile

    with AuditFile.open(path, write=False) as file:
        snapshot = file.snapshot()
        tree = workspace.frozen_tree(path, snapshot.header.referential)
    header = snapshot.header
    progress = rules.progress(tree, snapshot)
    return {
        "referential": header.referential.id, "referential_version": header.referential.version,
        "org": header.org, "structure": audit_structure_id(header), "siae_type": header.siae_type,
        "kind": header.kind, "date": header.date, "status": header.status,
        "assessed": progress.assessed, "total": progress.total,
        "open_findings": len(rules.open_findings(tree, snapshot)),
        "open_action_dues": sorted(action.due for action in rules.open_actions(snapshot)),
    }


def summarize_structure(path: Path) -> dict[str, Any]:
    from audit_bench.store.structure_file import StructureFile

    with StructureFile.open(path, write=False) as file:
        snapshot = file.snapshot()
    record = snapshot.structure
    return {
        "name": record.name, "siae_type": record.siae_type,
        "certifications": snapshot.certifications, "cycle_settings": snapshot.cycle_settings,
        "fulfilments": snapshot.fulfilments, "register_dates": snapshot.register_dates(),
        "register_dues": snapshot.awaits_register_dues(), "check_frequencies": snapshot.check_frequencies,
        "checks_by_engagement": snapshot.checks_by_engagement(),
    }
