"""One locked, atomic, migrating TinyDB document file: what audit (and structure) files share.

Every change is one durable write of the whole document (temp file, fsync, rename, folder fsync).
A writer holds the file's lock for as long as the file is open; opened while another process
writes it, the document is read-only and says who holds the lock. Reading never writes: an older
format is migrated in memory, and the file is rewritten on the first change, after a durable
backup of what was read. Whatever the bytes on disk, opening a damaged or foreign file raises
one StoreError naming it (CorruptFileError, NewerFormatError, UnsafeEntryError); in a table a kind
of file names in `row_tolerant`, a damaged row costs only itself (`DamagedRow`).
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, ClassVar, Iterator, TypeVar

import msgspec
from tinydb import TinyDB

from audit_bench.store.atomic import atomic_write
from audit_bench.store.errors import CorruptFileError, LockedError, ReadOnlyError, StoreError, read_only_message
from audit_bench.store.lock import FileLock
from audit_bench.store.migrations import Formats, write_backup
from audit_bench.store.storage import AtomicJSONStorage, decode_document, read_raw

Self = TypeVar("Self", bound="DocumentFile")


def lock_path(path: Path) -> Path:
    return path.with_suffix(".lock")


def check_layout(path: Path, data: dict[str, Any], row_tolerant: frozenset[str] = frozenset()) -> None:
    """TinyDB's layout: each table maps a canonical integer id ("1", "2", …) to an object; in a
    `row_tolerant` table, a row may be any JSON value (a `DamagedRow` when it is not an object).

    Checked before TinyDB is given the document. TinyDB's writes (`insert`, `update` and `remove`
    by doc id) read only a table's ids and the rows they change, and no row that is not an object
    is ever one of those (the scans for the row to write pass it by): such a row is written back
    as it was, and its id is never given again."""
    for name, table in data.items():
        if not isinstance(table, dict):
            raise CorruptFileError(path, f"la table « {name[:40]} » n'est pas une table")
        for doc_id, row in table.items():
            if not (len(doc_id) <= 18 and doc_id.isascii() and doc_id.isdigit()
                    and str(int(doc_id)) == doc_id):
                raise CorruptFileError(path, f"identifiant de document invalide « {doc_id[:20]} » "
                                             f"dans la table « {name[:40]} »")
            if not isinstance(row, dict) and name not in row_tolerant:
                raise CorruptFileError(path, f"le document {doc_id} de la table « {name[:40]} » "
                                             "n'est pas un objet")


DocId = Annotated[str, msgspec.Meta(pattern=r"^(0|[1-9][0-9]{0,17})$")]
"""TinyDB's document ids as `check_layout` wants them, checked by msgspec while it decodes."""


@dataclass(frozen=True)
class DamagedRow:
    """A row of a `row_tolerant` table that does not convert to its record: left out of the
    records, kept in the file as it is (a write rewrites it unchanged), and named when asked for."""

    table: str
    doc_id: str
    name: str
    """The row's own `id` as stored, when it is a string (cut to 40 characters); else empty."""
    reason: str

    def describe(self) -> str:
        """« document 2 de la table « reviews » (« RD2/../x ») : what is wrong »."""
        named = f" (« {self.name} »)" if self.name else ""
        return f"document {self.doc_id} de la table « {self.table} »{named} : {self.reason}"


@dataclass(frozen=True)
class _Loaded:
    records: dict[str, dict[str, msgspec.Struct]]
    """Table → id → record, in stored order."""
    document: dict[str, Any] | None
    """The decoded document, when it had to be (an older format, migrated in memory); else None:
    TinyDB's copy is decoded at the first write."""
    migrated_from: tuple[int, bytes] | None = None
    damaged: dict[str, list[DamagedRow]] = field(default_factory=dict)
    """The rows of the `row_tolerant` tables that did not convert, by table."""


class DocumentFile:
    """An open document file. Use `open` (or a subclass's `create`), and `close()` when done.

    Subclasses name their `formats` (format numbers and migrations of their kind) and, in
    `record_types`, the record each table holds, and check their content in `validate`.

    A file in the current format is decoded straight into its records (msgspec Structs); TinyDB,
    the write path, reads its own copy of the document at the first write."""

    formats: ClassVar[Formats]
    record_types: ClassVar[dict[str, type[msgspec.Struct]]]
    row_tolerant: ClassVar[frozenset[str]] = frozenset()
    """Tables whose damaged row costs only itself: left out of the records and reported
    (`damaged`), while its neighbours and the other tables read as usual. Elsewhere a damaged row
    refuses the whole file."""

    def __init__(self, path: Path, loaded: _Loaded, *, lock: FileLock | None, locked_by: str | None = None) -> None:
        self.path = path
        self._lock = lock
        self.locked_by = locked_by
        """Who holds the write lock when this process could only open the file read-only."""
        self._pending_backup = loaded.migrated_from
        self._records: dict[str, dict[str, Any]] = loaded.records
        self._damaged: dict[str, list[DamagedRow]] = dict(loaded.damaged)
        self._storage = AtomicJSONStorage(path, load=self._document, before_write=self._backup_if_migrating,
                                          read_only=lock is None, preloaded=loaded.document)
        storage = self._storage
        self._db = TinyDB(storage=lambda: storage)

    # Opening and closing -------------------------------------------------------------------

    @classmethod
    def _create(cls: type[Self], path: Path, records: dict[str, dict[str, msgspec.Struct]]) -> Self:
        """A new file holding `records` (table → id → record), written durably, opened for writing."""
        records = {table: dict(records.get(table, {})) for table in cls.record_types}
        document: dict[str, Any] = {"meta": {"1": cls.formats.meta()}, **msgspec.to_builtins(records)}
        lock = FileLock(lock_path(path))
        _acquire_for_writing(lock, wait=False)
        try:
            if path.exists() or path.is_symlink():
                raise FileExistsError(path)
            atomic_write(path, msgspec.json.encode(document))
        except BaseException:
            lock.release()
            raise
        return cls(path, _Loaded(records, document), lock=lock)

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
            loaded = cls._load(path)  # under the lock: no writer changes it underneath
            opened = cls(path, loaded, lock=lock, locked_by=locked_by)
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
        document = cls(path, cls._loaded_from(path, raw), lock=None)
        try:
            document._validated()
        finally:
            document.close()

    @classmethod
    def _load(cls, path: Path) -> _Loaded:
        """The records of the file, read once: straight into Structs when the file is in the
        current format, else through the checked, migrated document."""
        raw = read_raw(path)
        if raw is None:
            raise FileNotFoundError(path)
        return cls._loaded_from(path, raw)

    @classmethod
    def _loaded_from(cls, path: Path, raw: bytes) -> _Loaded:
        """The records in `raw`, the bytes of the file `path` (see `_load`)."""
        try:
            typed = _typed_decoder(cls).decode(raw)
        except Exception:  # anything odd takes the checked path, which names what is wrong
            typed = None
        if typed is not None and cls.formats.version_of(path, {"meta": typed.meta}) == cls.formats.current:
            records, damaged = {}, {}
            for table in cls.record_types:
                if table in cls.row_tolerant:
                    records[table], damaged[table] = cls._rows_converted(table, getattr(typed, table))
                else:
                    records[table] = getattr(typed, table)
            return _Loaded(records, None, damaged=damaged)
        document, found = cls._document_of(path, raw)
        records, damaged = {}, {}
        for table, record_type in cls.record_types.items():
            if table in cls.row_tolerant:
                records[table], damaged[table] = cls._rows_converted(table, document.get(table, {}))
                continue
            try:
                records[table] = msgspec.convert(document.get(table, {}), dict[str, record_type])
            except (msgspec.ValidationError, TypeError, ValueError) as exc:
                raise CorruptFileError(path, f"table « {table} » : {exc}") from exc
        return _Loaded(records, document, None if found is None else (found, raw), damaged)

    @classmethod
    def _rows_converted(cls, table: str, rows: dict[str, Any]) -> tuple[dict[str, Any], list[DamagedRow]]:
        """The records of a `row_tolerant` table, row by row (each row decoded JSON or, from the
        typed decoder, its raw bytes), and the rows that do not convert."""
        record_type = cls.record_types[table]
        records: dict[str, Any] = {}
        damaged = []
        for doc_id, row in rows.items():
            try:
                records[doc_id] = (_row_decoder(record_type).decode(row) if isinstance(row, msgspec.Raw)
                                   else msgspec.convert(row, record_type))
            except (msgspec.ValidationError, msgspec.DecodeError, TypeError, ValueError) as exc:
                stored = msgspec.json.decode(row) if isinstance(row, msgspec.Raw) else row
                name = stored.get("id") if isinstance(stored, dict) else None
                damaged.append(DamagedRow(table, doc_id, name[:40] if isinstance(name, str) else "", str(exc)))
        return records, damaged

    @classmethod
    def _document_of(cls, path: Path, raw: bytes) -> tuple[dict[str, Any], int | None]:
        """The document as TinyDB holds it, checked and in the current format, and the format it
        was read in when that was older."""
        document, found = cls.formats.upgrade(path, decode_document(path, raw))
        check_layout(path, document, cls.row_tolerant)
        return document, found

    def _document(self) -> dict[str, Any]:
        """TinyDB's copy of the document, read when a write first needs it, and again after a
        failed write (what is on disk is then the truth)."""
        raw = read_raw(self.path)
        if raw is None:
            raise FileNotFoundError(self.path)
        document, found = self._document_of(self.path, raw)
        self._pending_backup = None if found is None else (found, raw)
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
        self._changed(None)
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

    def rows(self, table: str) -> dict[str, Any]:
        """The stored rows of `table` by id, as decoded: for reading only. Each is an object (a
        dict), but in a `row_tolerant` table, where a damaged row may be any JSON value."""
        return self._storage.read().get(table, {})

    def records(self, table: str) -> list[Any]:
        """The records of `table`, in stored order. Each write puts its record in place of the
        one it replaces, so a save neither converts nor rebuilds (nor leaves as garbage) the
        others."""
        return list(self._cached(table).values())

    def damaged(self, table: str) -> list[DamagedRow]:
        """The rows of `table` (a `row_tolerant` one) left out of its records because they do not convert."""
        self._cached(table)
        return self._damaged.get(table, [])

    def record(self, table: str, doc_id: int) -> Any | None:
        """The record `doc_id` of `table`, None when there is none."""
        return self._cached(table).get(str(doc_id))

    def _cached(self, table: str) -> dict[str, Any]:
        """The records of `table` by id, in stored order (a dict keeps it: a write replaces a
        record in its place, TinyDB appends an insert, as in the file); converted from TinyDB's
        document only after a failed write dropped them."""
        cache = self._records.get(table)
        if cache is None:
            if table in self.row_tolerant:
                cache, self._damaged[table] = self._rows_converted(table, self.rows(table))
            else:
                try:
                    cache = msgspec.convert(self.rows(table), dict[str, self.record_types[table]])
                except (msgspec.ValidationError, TypeError, ValueError) as exc:
                    raise CorruptFileError(self.path, f"table « {table} » : {exc}") from exc
            self._records[table] = cache
        return cache

    def find(self, table: str, field: str, value: object) -> list[int]:
        """Ids of the rows of `table` whose `field` equals `value` (a scan of the raw rows), never a
        damaged row that is not even an object."""
        return [int(doc_id) for doc_id, row in self.rows(table).items()
                if isinstance(row, dict) and row.get(field) == value]

    # Writing: each call is one durable write ---------------------------------------------------

    def insert(self, table: str, record: msgspec.Struct) -> int:
        self._check_writable()
        with self._keeping_records():
            doc_id = self._db.table(table).insert(msgspec.to_builtins(record))
        self._remember(table, doc_id, record)
        self._changed(table)
        return doc_id

    def update(self, table: str, doc_id: int, record: msgspec.Struct) -> None:
        """Write `record` over the row `doc_id` (merged: keys this version does not know are kept)."""
        self._check_writable()
        with self._keeping_records():
            self._db.table(table).update(msgspec.to_builtins(record), doc_ids=[doc_id])
        self._remember(table, doc_id, record)
        self._changed(table)

    def remove(self, table: str, doc_ids: list[int]) -> None:
        self._check_writable()
        with self._keeping_records():
            self._db.table(table).remove(doc_ids=doc_ids)
        cache = self._records.get(table, {})
        for doc_id in doc_ids:
            cache.pop(str(doc_id), None)
        self._changed(table)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """The changes made inside are one durable write: all of them, or none if the block raises."""
        self._check_writable()
        with self._keeping_records(), self._storage.deferred():
            yield

    def _remember(self, table: str, doc_id: int, record: msgspec.Struct) -> None:
        """After a write: its record in the cache, when the table's records were read."""
        cache = self._records.get(table)
        if cache is not None:
            cache[str(doc_id)] = record

    @contextmanager
    def _keeping_records(self) -> Iterator[None]:
        """A write that fails leaves the records as the file has them: read again when next asked."""
        try:
            yield
        except BaseException:
            self._records.clear()
            self._changed(None)
            raise

    def _changed(self, table: str | None) -> None:
        """After a write to `table`, or None when any table may differ from what was read: a
        subclass keeps what it derives from the records in step here."""

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


@lru_cache(maxsize=None)
def _typed_decoder(kind: type[DocumentFile]) -> msgspec.json.Decoder:
    """A decoder of a whole file of `kind` in the current format: each table straight into its
    records. A table it does not know is refused, so such a file takes the checked path."""
    fields = [("meta", dict[DocId, dict[str, Any]])]
    fields += [(table, dict[DocId, msgspec.Raw if table in kind.row_tolerant else record_type], {})
               for table, record_type in kind.record_types.items()]
    return msgspec.json.Decoder(msgspec.defstruct(f"{kind.__name__}Document", fields, forbid_unknown_fields=True))


@lru_cache(maxsize=None)
def _row_decoder(record_type: type[msgspec.Struct]) -> msgspec.json.Decoder:
    """A decoder of one row of a `row_tolerant` table, from its raw bytes."""
    return msgspec.json.Decoder(record_type)
