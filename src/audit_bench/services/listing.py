"""The workspace's rows, as the index keeps them: one per audit file, one per structure file.

The services summarise each file here, with the rules (progress, open écarts, open actions), so
an index row carries what the rules decide and nothing in the store re-implements them. Both
listings (audits, structures) read both tables: an audit shows its structure's current name, a
structure counts its audits' open actions.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec

from audit_bench.model import AuditHeader, Certification, CycleSetting, Fulfilment, implied_structure_id
from audit_bench.model.checks import CheckFrequency
from audit_bench.services import rules
from audit_bench.services.workspace import Workspace
from audit_bench.store.audit_file import AuditFile
from audit_bench.store.index import IndexRow, Table, list_tables
from audit_bench.store.structure_file import StructureFile

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


@dataclass(frozen=True)
class WorkspaceRows:
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


def summarize_audit(workspace: Workspace, path: Path) -> dict[str, Any]:
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
