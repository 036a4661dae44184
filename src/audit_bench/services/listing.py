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

from audit_bench.model import AuditHeader, implied_structure_id
from audit_bench.services import rules
from audit_bench.services.workspace import Workspace
from audit_bench.store.audit_file import AuditFile
from audit_bench.store.index import Table, list_tables
from audit_bench.store.structure_file import StructureFile

Row = dict[str, Any]

AUDITS = "audits"
STRUCTURES = "structures"
STRUCTURES_FOLDER = "structures"
AUDIT_ROWS = 2
"""The shape of an audit row: 2 added `structure` and `open_action_dues`."""
STRUCTURE_ROWS = 2
"""The shape of a structure row: 2 added the certificates' details, the cycle settings and the
obligations recorded as met (what the agenda reads)."""


@dataclass(frozen=True)
class WorkspaceRows:
    audits: list[Row]
    """One row per audit file (`error` set when it cannot be read)."""
    structures: list[Row]
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
        AUDITS: Table(workspace.path, lambda path: summarize_audit(workspace, path), AUDIT_ROWS),
        STRUCTURES: Table(structures_folder(workspace), summarize_structure, STRUCTURE_ROWS),
    })
    workspace.index_warning = listing.index_warning
    return WorkspaceRows(listing.rows[AUDITS], listing.rows[STRUCTURES])


def summarize_audit(workspace: Workspace, path: Path) -> Row:
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


def summarize_structure(path: Path) -> Row:
    with StructureFile.open(path, write=False) as file:
        snapshot = file.snapshot()
    record = snapshot.structure
    return {
        "name": record.name, "siae_type": record.siae_type,
        "certifications": [{"referential": c.referential, "valid_until": c.valid_until, "issued": c.issued,
                            "number": c.number, "body": c.body} for c in snapshot.certifications],
        "cycle_settings": [msgspec.to_builtins(setting) for setting in snapshot.cycle_settings],
        "fulfilments": [msgspec.to_builtins(fulfilment) for fulfilment in snapshot.fulfilments],
    }
