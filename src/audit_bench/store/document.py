"""One locked, atomic, migrating TinyDB document file: what audit (and structure) files share.

Every change is one durable write of the whole document (temp file, fsync, rename, folder fsync).
A writer holds the file's lock for as long as the file is open; opened while another process
writes it, the document is read-only and says who holds the lock. Reading never writes: an older
format is migrated in memory, and the file is rewritten on the first change, after a durable
backup of what was read. Whatever the bytes on disk, opening a damaged or foreign file raises
one StoreError naming it (CorruptFileError, NewerFormatError, UnsafeEntryError).
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar, Iterator, TypeVar

import msgspec
from tinydb import TinyDB

from audit_bench.store.atomic import atomic_write
from audit_bench.store.errors import CorruptFileError, LockedError, ReadOnlyError, StoreError, read_only_message
from audit_bench.store.lock import FileLock
from audit_bench.store.migrations import Formats, write_backup
from audit_bench.store.storage import AtomicJSONStorage, decode_document, read_raw

Row = dict[str, Any]
Record = TypeVar("Record", bound=msgspec.Struct)
Self = TypeVar("Self", bound="DocumentFile")


def lock_path(path: Path) -> Path:
    return path.with_suffix(".lock")


def check_layout(path: Path, data: dict[str, Any]) -> None:
    """TinyDB's layout: each table maps a canonical integer id ("1", "2", …) to an object.

    Checked once at load, so no TinyDB call later meets a row it cannot handle."""
    for name, table in data.items():
        if not isinstance(table, dict):
            raise CorruptFileError(path, f"la table « {name[:40]} » n'est pas une table")
        for doc_id, row in table.items():
            if not (len(doc_id) <= 18 and doc_id.isascii() and doc_id.isdigit()
                    and str(int(doc_id)) == doc_id):
                raise CorruptFileError(path, f"identifiant de document invalide « {doc_id[:20]} » "
                                             f"dans la table « {name[:40]} »")
            if not isinstance(row, dict):
                raise CorruptFileError(path, f"le document {doc_id} de la table « {name[:40]} » "
                                             "n'est pas un objet")


class DocumentFile:
    """An open document file. Use `open` (or a subclass's `create`), and `close()` when done.

    Subclasses name their `formats` (format numbers and migrations of their kind) and `tables`,
    and check their content in `validate`."""

    formats: ClassVar[Formats]
    tables: ClassVar[tuple[str, ...]]

    def __init__(self, path: Path, document: dict[str, Any], *, lock: FileLock | None,
                 locked_by: str | None = None, migrated_from: tuple[int, bytes] | None = None) -> None:
        self.path = path
        self._lock = lock
        self.locked_by = locked_by
        """Who holds the write lock when this process could only open the file read-only."""
        self._pending_backup = migrated_from
        self._records: dict[str, dict[str, Any]] = {}
        self._storage = AtomicJSONStorage(path, load=self._reload, before_write=self._backup_if_migrating,
                                          read_only=lock is None, preloaded=document)
        storage = self._storage
        self._db = TinyDB(storage=lambda: storage)

    # Opening and closing -------------------------------------------------------------------

    @classmethod
    def _create(cls: type[Self], path: Path, rows: dict[str, dict[str, Row]]) -> Self:
        """A new file holding `rows` (table → id → row), written durably, opened for writing."""
        document: dict[str, Any] = {"meta": {"1": cls.formats.meta()}}
        document.update({table: dict(rows.get(table, {})) for table in cls.tables})
        lock = FileLock(lock_path(path))
        _acquire_for_writing(lock, wait=False)
        try:
            if path.exists() or path.is_symlink():
                raise FileExistsError(path)
            atomic_write(path, msgspec.json.encode(document))
        except BaseException:
            lock.release()
            raise
        return cls(path, document, lock=lock)

    @classmethod
    def open(cls: type[Self], path: Path, *, write: bool = True, wait: bool = False) -> Self:
        """Open for writing (taking the lock) or read-only: when `write` is False, or when another
        process holds the lock (`locked_by` then says who)."""
        if not os.path.lexists(path):
            raise FileNotFoundError(path)  # before the lock: no lock file for an audit that is not there
        lock: FileLock | None = None
        locked_by = None
        if write:
            lock = FileLock(lock_path(path))
            try:
                _acquire_for_writing(lock, wait=wait)
            except LockedError as exc:
                lock, locked_by = None, exc.holder
        try:
            document, migrated_from = cls._load(path)  # under the lock: no writer changes it underneath
            opened = cls(path, document, lock=lock, locked_by=locked_by, migrated_from=migrated_from)
            opened._validated()
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        return opened

    @classmethod
    def check_bytes(cls, path: Path, raw: bytes) -> None:
        """Check `raw` as `open` would check the file `path` (format, layout, every row), without
        reading or writing any file: a document received from elsewhere, before it is written."""
        data, _ = cls.formats.upgrade(path, decode_document(path, raw))
        check_layout(path, data)
        document = cls(path, data, lock=None)
        try:
            document._validated()
        finally:
            document.close()

    @classmethod
    def _load(cls, path: Path) -> tuple[dict[str, Any], tuple[int, bytes] | None]:
        """The document in the current format, and (format read, bytes read) when it was older."""
        raw = read_raw(path)
        if raw is None:
            raise FileNotFoundError(path)
        data, found = cls.formats.upgrade(path, decode_document(path, raw))
        check_layout(path, data)
        return data, None if found is None else (found, raw)

    def _reload(self) -> dict[str, Any]:
        """Read the file again (after a failed write left the cache unreliable)."""
        self._records.clear()
        document, migrated_from = self._load(self.path)
        self._pending_backup = migrated_from
        return document

    def _validated(self) -> None:
        try:
            self.validate()
        except StoreError:
            raise
        except Exception as exc:
            raise CorruptFileError(self.path, f"contenu inattendu : {type(exc).__name__} {exc}") from exc

    def validate(self) -> None:
        """Check the content at open; raise CorruptFileError (any other error is turned into one)."""

    def close(self) -> None:
        self._db.close()
        self._records.clear()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self: Self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def read_only(self) -> bool:
        return self._lock is None

    # Reading -------------------------------------------------------------------------------

    def rows(self, table: str) -> dict[str, Row]:
        """The stored rows of `table` by id, as decoded: for reading only."""
        return self._storage.read().get(table, {})

    def records(self, table: str, record_type: type[Record]) -> list[Record]:
        """The rows of `table` as `record_type`, in stored order. Each row is converted once and
        kept until it changes, so a save does not rebuild (nor leave as garbage) every record."""
        rows = self.rows(table)
        cache = self._records.setdefault(table, {})
        missing = [doc_id for doc_id in rows if doc_id not in cache]
        if missing:
            try:
                converted = msgspec.convert([rows[doc_id] for doc_id in missing], list[record_type])
            except (msgspec.ValidationError, TypeError, ValueError) as exc:
                raise CorruptFileError(self.path, f"table « {table} » : {exc}") from exc
            cache.update(zip(missing, converted))
        return [cache[doc_id] for doc_id in rows]

    def record(self, table: str, doc_id: int, record_type: type[Record]) -> Record | None:
        """The row `doc_id` of `table` as `record_type`, None when there is none."""
        self.records(table, record_type)
        return self._records[table].get(str(doc_id))

    def find(self, table: str, field: str, value: object) -> list[int]:
        """Ids of the rows of `table` whose `field` equals `value` (a scan of the raw rows)."""
        return [int(doc_id) for doc_id, row in self.rows(table).items() if row.get(field) == value]

    # Writing: each call is one durable write ---------------------------------------------------

    def insert(self, table: str, row: Row) -> int:
        self._check_writable()
        return self._db.table(table).insert(row)

    def update(self, table: str, doc_id: int, fields: Row) -> None:
        """Merge `fields` into the row `doc_id` (fields it does not name are kept)."""
        self._check_writable()
        self._forget(table, [doc_id])
        self._db.table(table).update(fields, doc_ids=[doc_id])

    def remove(self, table: str, doc_ids: list[int]) -> None:
        self._check_writable()
        self._forget(table, doc_ids)
        self._db.table(table).remove(doc_ids=doc_ids)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """The changes made inside are one durable write: all of them, or none if the block raises."""
        self._check_writable()
        try:
            with self._storage.deferred():
                yield
        except BaseException:
            self._records.clear()
            raise

    def _forget(self, table: str, doc_ids: list[int]) -> None:
        cache = self._records.get(table, {})
        for doc_id in doc_ids:
            cache.pop(str(doc_id), None)

    def _check_writable(self) -> None:
        if self._lock is None:
            raise ReadOnlyError(read_only_message(self.locked_by, self.path))

    def _backup_if_migrating(self) -> None:
        """Before the first write of a document read in an older format: keep what was read."""
        if self._pending_backup is not None:
            version, raw = self._pending_backup
            write_backup(self.path, raw, version)
            self._pending_backup = None


def _acquire_for_writing(lock: FileLock, *, wait: bool) -> None:
    """Take `lock`; a folder where the lock file cannot be created is a clear refusal."""
    try:
        lock.acquire(blocking=wait)
    except StoreError:
        raise
    except OSError as exc:
        raise ReadOnlyError(f"impossible de créer le verrou {lock.path} ({exc.strerror or exc}) : "
                            "l'espace de travail est en lecture seule ; ouvrez l'audit en lecture") from exc
