"""One audit, one TinyDB file: header, assessments, evidence, findings and actions.

Each method is one durable write. A writer holds the audit's lock for as long as the file is
open; a reader opened while another process writes sees a read-only file and who holds it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import msgspec
from tinydb import Query, TinyDB
from tinydb.table import Document

from audit_bench.model import Action, Assessment, AuditHeader, AuditSnapshot, Evidence, Finding
from audit_bench.store.atomic import atomic_write
from audit_bench.store.errors import CorruptFileError, LockedError, ReadOnlyError
from audit_bench.store.lock import FileLock
from audit_bench.store.migrations import AUDIT_FORMAT, set_format, upgrade
from audit_bench.store.storage import AtomicJSONStorage, read_json_file

_TABLES = ("header", "assessments", "evidence", "findings", "actions")
_ID_PREFIX = {"evidence": "P", "findings": "E", "actions": "A"}
"""Readable ids within an audit: P1 (preuve), E1 (écart), A1 (action)."""


def lock_path(path: Path) -> Path:
    return path.with_suffix(".lock")


def _document(record: msgspec.Struct) -> dict[str, Any]:
    return msgspec.to_builtins(record)


class AuditFile:
    """An open audit file. Use `AuditFile.create` or `AuditFile.open`, and `close()` when done."""

    def __init__(self, path: Path, *, lock: FileLock | None, locked_by: str | None,
                 document: dict[str, Any] | None = None) -> None:
        self.path = path
        self._lock = lock
        self.locked_by = locked_by
        """Who holds the write lock when this process could only open the file read-only."""
        self._storage: AtomicJSONStorage | None = None
        self.db = TinyDB(path, storage=self._make_storage(read_only=lock is None, document=document))

    def _make_storage(self, *, read_only: bool, document: dict[str, Any] | None) -> Callable[..., AtomicJSONStorage]:
        def factory(path: Path) -> AtomicJSONStorage:
            self._storage = AtomicJSONStorage(path, read_only=read_only, preloaded=document)
            return self._storage
        return factory

    @property
    def read_only(self) -> bool:
        return self._lock is None

    @classmethod
    def create(cls, path: Path, header: AuditHeader) -> "AuditFile":
        lock = FileLock(lock_path(path))
        lock.acquire()
        try:
            if path.exists():
                raise FileExistsError(path)
            document: dict[str, Any] = {table: {} for table in _TABLES}
            document["header"]["1"] = _document(header)
            set_format(document, AUDIT_FORMAT)
            atomic_write(path, msgspec.json.encode(document))
        except BaseException:
            lock.release()
            raise
        return cls(path, lock=lock, locked_by=None)

    @classmethod
    def open(cls, path: Path, *, write: bool = True, wait: bool = False) -> "AuditFile":
        """Open for writing (taking the lock) or, if another process holds it, read-only."""
        if not path.is_file():
            raise FileNotFoundError(path)
        lock: FileLock | None = None
        locked_by = None
        if write:
            lock = FileLock(lock_path(path))
            try:
                lock.acquire(blocking=wait)
            except LockedError as exc:
                lock, locked_by = None, exc.holder
        try:
            data = read_json_file(path)  # read under the lock: no writer can change it underneath
            if data is None:
                raise FileNotFoundError(path)
            migrated = upgrade(path, data)
            if migrated is not None:
                if lock is None:
                    raise ReadOnlyError(f"{path.name} doit être migré, mais un autre processus l'a ouvert")
                atomic_write(path, msgspec.json.encode(migrated))
            audit = cls(path, lock=lock, locked_by=locked_by, document=migrated or data)
            audit.snapshot()
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        return audit

    def close(self) -> None:
        self.db.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> "AuditFile":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def refresh(self) -> None:
        """Re-read the file on the next access (a read-only view following another writer)."""
        if self._storage is not None:
            self._storage.invalidate()
        self.db.clear_cache()

    def _check_writable(self) -> None:
        if self._lock is None:
            raise ReadOnlyError(f"audit en lecture seule : {self.locked_by or 'un autre processus'} "
                                "l'a ouvert en écriture")

    def snapshot(self) -> AuditSnapshot:
        try:
            headers = self.db.table("header").all()
            return AuditSnapshot(
                header=msgspec.convert(headers[0], AuditHeader),
                assessments=msgspec.convert(self.db.table("assessments").all(), list[Assessment]),
                evidence=msgspec.convert(self.db.table("evidence").all(), list[Evidence]),
                findings=msgspec.convert(self.db.table("findings").all(), list[Finding]),
                actions=msgspec.convert(self.db.table("actions").all(), list[Action]),
            )
        except (IndexError, msgspec.ValidationError, AttributeError, TypeError) as exc:
            raise CorruptFileError(self.path, f"contenu inattendu : {exc}") from exc

    def header(self) -> AuditHeader:
        return self.snapshot().header

    def write_header(self, header: AuditHeader) -> None:
        self._check_writable()
        self.db.table("header").update(_document(header), doc_ids=[1])

    def set_assessment(self, assessment: Assessment) -> None:
        self._check_writable()
        self.db.table("assessments").upsert(_document(assessment),
                                            Query().requirement == assessment.requirement)

    def remove_assessment(self, requirement: str) -> None:
        self._check_writable()
        self.db.table("assessments").remove(Query().requirement == requirement)

    def next_id(self, table: str) -> str:
        prefix = _ID_PREFIX[table]
        numbers = [int(doc["id"][len(prefix):]) for doc in self.db.table(table).all()
                   if str(doc.get("id", "")).startswith(prefix) and doc["id"][len(prefix):].isdigit()]
        return f"{prefix}{max(numbers, default=0) + 1}"

    def add(self, table: str, record: Evidence | Finding | Action) -> None:
        self._check_writable()
        self.db.table(table).insert(_document(record))

    def replace(self, table: str, record: Evidence | Finding | Action) -> None:
        self._check_writable()
        found = self.db.table(table).search(Query().id == record.id)
        if not found:
            raise KeyError(record.id)
        self.db.table(table).upsert(Document(_document(record), doc_id=found[0].doc_id))
