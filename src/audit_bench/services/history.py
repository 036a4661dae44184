"""Earlier audits of a structure, and how two evaluations compare."""

from __future__ import annotations

from audit_bench.model import AuditSnapshot, SectionScore
from audit_bench.services.audits import open_audit
from audit_bench.services.listing import list_audits
from audit_bench.services.listing import audit_structure_id
from audit_bench.services.session import AuditSession
from audit_bench.services.workspace import Workspace


def history(workspace: Workspace, snapshot: AuditSnapshot) -> list[AuditSnapshot]:
    """Earlier audits of the same structure against the same referential, oldest first."""
    header = snapshot.header
    structure = audit_structure_id(header)
    earlier = []
    for row in list_audits(workspace):
        if (row.error is None and row.id != header.id and row.referential == header.referential.id
                and row.structure == structure and row.date < header.date):
            with open_audit(workspace, row.id, write=False) as other:
                earlier.append(other.snapshot())
    return sorted(earlier, key=lambda s: s.header.date)


def compare(older: AuditSession, newer: AuditSession) -> list[tuple[SectionScore, SectionScore | None]]:
    """Top-level sections of `newer` beside the same sections of `older`."""
    before = {s.section: s for s in older.scores()}
    return [(score, before.get(score.section)) for score in newer.scores() if score.depth in (0, -1)]
