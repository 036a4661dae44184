"""One audit, one TinyDB document file: header, assessments, evidence, findings and actions.

The header names the audited structure by id (format 2; files of format 1 are migrated, see
`migrations`).

Each method that changes the audit is one durable write (see `DocumentFile`).
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import msgspec

from audit_bench.model import STRUCTURE_ID, Action, Assessment, AuditHeader, AuditSnapshot, Evidence, Finding
from audit_bench.store.blobs import SHA256
from audit_bench.store.document import DocumentFile, lock_path
from audit_bench.store.errors import CorruptFileError
from audit_bench.store.migrations import AUDIT_FORMATS

__all__ = ["AuditFile", "lock_path"]

_ID_PREFIX = {"evidence": "P", "findings": "E", "actions": "A"}
"""Readable ids within an audit: P1 (preuve), E1 (écart), A1 (action)."""
_HEADER_ID = 1
_LISTS = ("assessments", "evidence", "findings", "actions", "history")
"""The tables that are lists in the snapshot (the header is one record)."""


class AuditFile(DocumentFile):
    """An open audit file. Use `AuditFile.create` or `AuditFile.open`, and `close()` when done.

    The records a snapshot returns are shared between snapshots: treat them as read-only."""

    formats = AUDIT_FORMATS
    record_types = {"header": AuditHeader, "assessments": Assessment, "evidence": Evidence, "findings": Finding,
                    "actions": Action, "history": Assessment}
    id_prefixes: ClassVar[dict[str, str]] = _ID_PREFIX
    """The prefix of each numbered table's ids (a structure file numbers more tables)."""
    _snapshot: AuditSnapshot | None = None

    @classmethod
    def create(cls, path: Path, header: AuditHeader) -> "AuditFile":
        return cls._create(path, {"header": {str(_HEADER_ID): header}})

    def validate(self) -> None:
        """Every row converts, and every hash and the structure's id are ones: they become paths
        in the workspace."""
        snapshot = self.snapshot()
        if not STRUCTURE_ID.match(snapshot.header.structure):
            raise CorruptFileError(self.path, f"identifiant de structure invalide "
                                              f"« {snapshot.header.structure[:40]} »")
        hashes = [snapshot.header.referential.sha256]
        hashes += [evidence.sha256 for evidence in snapshot.evidence if evidence.sha256 is not None]
        for sha256 in hashes:
            if not SHA256.match(sha256):
                raise CorruptFileError(self.path, f"empreinte SHA-256 invalide « {sha256[:20]} »")

    def snapshot(self) -> AuditSnapshot:
        """The audit as it is now: built once, then each write replaces the one table it changed."""
        if self._snapshot is None:
            self._snapshot = AuditSnapshot(header=self._header(), **{table: self.records(table) for table in _LISTS})
        return self._snapshot

    def _header(self) -> AuditHeader:
        header = self.record("header", _HEADER_ID)
        if header is None:
            raise CorruptFileError(self.path, "en-tête de l'audit absent")
        return header

    def _changed(self, table: str | None) -> None:
        if self._snapshot is None:
            return
        if table is None:
            self._snapshot = None
        elif table == "header":
            self._snapshot = msgspec.structs.replace(self._snapshot, header=self._header())
        else:
            self._snapshot = msgspec.structs.replace(self._snapshot, **{table: self.records(table)})

    def header(self) -> AuditHeader:
        return self.snapshot().header

    def write_header(self, header: AuditHeader) -> None:
        self.update("header", _HEADER_ID, header)

    def set_assessment(self, assessment: Assessment) -> None:
        """Record the requirement's assessment, and append it to the history, in one write."""
        found = self.find("assessments", "requirement", assessment.requirement)
        with self.batch():
            if found:
                self.update("assessments", found[0], assessment)
            else:
                self.insert("assessments", assessment)
            self.insert("history", assessment)

    def remove_assessment(self, cleared: Assessment) -> None:
        """Remove the requirement's assessment, and append `cleared` (nothing rated, nothing
        noted: who cleared it, when) to the history, in one write."""
        found = self.find("assessments", "requirement", cleared.requirement)
        with self.batch():
            if found:
                self.remove("assessments", found)
            self.insert("history", cleared)

    def next_id(self, table: str) -> str:
        prefix = self.id_prefixes[table]
        numbers = [int(row["id"][len(prefix):]) for row in self.rows(table).values()
                   if isinstance(row.get("id"), str) and row["id"].startswith(prefix)
                   and row["id"][len(prefix):].isascii() and row["id"][len(prefix):].isdigit()]
        return f"{prefix}{max(numbers, default=0) + 1}"

    def add(self, table: str, record: Evidence | Finding | Action) -> None:
        self.insert(table, record)

    def replace(self, table: str, record: Evidence | Finding | Action) -> None:
        found = self.find(table, "id", record.id)
        if not found:
            raise KeyError(record.id)
        self.update(table, found[0], record)

    def delete(self, table: str, record_id: str) -> None:
        found = self.find(table, "id", record_id)
        if not found:
            raise KeyError(record_id)
        self.remove(table, found)
