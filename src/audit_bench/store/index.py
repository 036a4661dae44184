"""The workspace index: one summary row per audit and per structure, so listing never parses
every file.

The index is a cache, rebuildable from the files: each table summarises the `*.json` files of
one folder (audits in the workspace, structures in `structures/`). Each row remembers its file's
signature (size, modification and change times, inode) and when it was summarised. A row is
trusted only when the signature is unchanged and the file's last change (ctime, which no `cp -p`
nor `touch` can set back) is clearly older than the summary; otherwise the file is summarised
again. So a restored older copy, an in-place edit or a rewrite in the same clock tick never lists
stale data, and the check costs the `stat` listing already did. Each table's rows also carry the
version of their shape: when the services summarise differently, every row is made again. A crash
can leave the index stale but never wrong. The file keeps TinyDB's layout
(`{"meta": {"1": {"versions": …}}, "audits": {"1": row, …}, "structures": {…}}`).

Listing works when the index cannot be saved (read-only workspace, full disk, a symlink in its
place): rows come from the files and `Listing.index_warning` says why the index was not saved.

A warm listing costs time in proportion to the number of files, and cannot cost the same at
5,000 audits as at 50: it decodes one row per file (straight into the table's row type, ~1.5 µs
a row) and takes one `lstat` per file (~2 µs), without which a file changed behind the index's
back would be listed stale. Nothing else is done per row: 5,000 audits list in ~25 ms of CPU,
50 in ~0.2 ms. Only a whole command (interpreter, imports) can stay within twice the small one.
"""

from __future__ import annotations

import os
import stat
import time
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import msgspec

from audit_bench.store.atomic import atomic_write, describe_mode, read_raw
from audit_bench.store.errors import StoreError, UnsafeEntryError
from audit_bench.store.lock import FileLock

INDEX_NAME = "index.json"
PLAN_INDEX_NAME = "plan-index.json"
PLAN_HISTORY_NAME = "plan-history.json"
"""The improvement plan's rows (actions to follow, finished actions), apart: listing audits never
decodes 40,000 action rows."""
LOCK_NAME = "index.lock"
META = "meta"
RACY_NS = 2_000_000_000
"""A file changed less than this before its summary is summarised again: timestamps are coarse
(a clock tick, two seconds on FAT), so a change in the same tick may not move them."""


class IndexRow(msgspec.Struct, frozen=True, kw_only=True):
    """What the index keeps of every file; each table's row type adds its summary's fields (all
    with defaults: a row that says why its file cannot be read has only its `error`)."""

    id: str
    """The file's name without `.json`."""
    error: str | None = None
    """Why the file cannot be read."""
    signature: tuple[int, int, int, int] | None = None
    """The file's size, modification and change times and inode when it was summarised."""
    checked_ns: int | None = None
    """When it was summarised; None for an error row, which is never trusted."""


Summarize = Callable[[Path], dict[str, Any]]


class Table(msgspec.Struct, frozen=True):
    """One table of the index: a summary row for each `*.json` file of `folder`. (A Struct rather
    than a dataclass, here and in `Listing`: a frozen dataclass costs ~0.7 ms of the TUI's start.)"""

    folder: Path
    summarize: Summarize
    """The fields of a file's row (the row type's own), read from the file."""
    row_type: type[IndexRow]
    version: int
    """The shape of the rows `summarize` makes: raise it when it changes, so stored rows are redone."""


class Listing(msgspec.Struct, frozen=True):
    rows: dict[str, list[Any]]
    """By table, one row (of the table's row type) per file; a file that cannot be read gives a
    row with an `error`."""
    index_warning: str | None = None
    """Why the index could not be saved (the listing is right, the next one will be slower)."""


def _signature(result: os.stat_result) -> tuple[int, int, int, int]:
    return result.st_size, result.st_mtime_ns, result.st_ctime_ns, result.st_ino


def _json_entries(folder: Path) -> list[os.DirEntry]:
    """Candidate files: `*.json` entries but the index, dotfiles and folders; none when the folder
    is not there; an UnsafeEntryError when something else than a folder stands in its place."""
    try:
        mode = os.lstat(folder).st_mode
    except FileNotFoundError:
        return []
    if not stat.S_ISDIR(mode):
        raise UnsafeEntryError(folder, describe_mode(mode), "un dossier")
    with os.scandir(folder) as entries:
        return [e for e in entries if e.name.endswith(".json")
                and e.name not in (INDEX_NAME, PLAN_INDEX_NAME, PLAN_HISTORY_NAME)
                and not e.name.startswith(".") and not e.is_dir(follow_symlinks=False)]


def list_tables(root: Path, tables: dict[str, Table], index_name: str = INDEX_NAME) -> Listing:
    """Rows for every file of each table, summarising again the ones whose row cannot be
    trusted; the index (`root/index_name`) is saved when a row changed."""
    path = root / index_name
    lock = FileLock(root / LOCK_NAME)
    try:
        lock.acquire(blocking=True)
    except (OSError, StoreError) as exc:
        return _rows_without_index(path, tables, _warning(path, exc))
    try:
        stored, warning = _stored_document(path)
        rows: dict[str, list[Any]] = {}
        changed = False
        for name, table in tables.items():
            kept = _stored_rows(stored, name, table)
            rows[name], fresh = _rows(table, kept)
            changed = changed or fresh or len(rows[name]) != len(kept)
        if warning is None and changed:
            warning = _save(path, stored, tables, rows)
    finally:
        lock.release()
    return Listing(rows, warning)


def _save(path: Path, stored: dict[str, msgspec.Raw], tables: dict[str, Table], rows: dict[str, list[Any]]) -> str | None:
    """Write the index: the tables listed now, and the stored ones this listing did not ask for
    (as they were read)."""
    versions = {**_versions(stored), **{name: table.version for name, table in tables.items()}}
    document: dict[str, Any] = {name: table for name, table in stored.items()
                                if name != META and name not in tables and name in versions}
    document[META] = {"1": {"versions": versions}}
    for name, table_rows in rows.items():
        document[name] = {str(n): row for n, row in enumerate(table_rows, start=1)}
    try:
        atomic_write(path, msgspec.json.encode(document), durable=False)
    except (OSError, StoreError) as exc:
        return _warning(path, exc)
    return None


def _rows_without_index(path: Path, tables: dict[str, Table], warning: str) -> Listing:
    """When the index cannot even be locked: rows from the index if it reads, else from files."""
    stored, _ = _stored_document(path)
    return Listing({name: _rows(table, _stored_rows(stored, name, table))[0]
                    for name, table in tables.items()}, warning)


_tables_decoder = msgspec.json.Decoder(dict[str, msgspec.Raw])
"""The index as its tables, each left undecoded until a listing asks for it."""


def _stored_document(path: Path) -> tuple[dict[str, msgspec.Raw], str | None]:
    """The index's tables as stored (none if missing or damaged), and a warning when the index
    is something that must not be read nor replaced (a symlink, a special file)."""
    try:
        raw = read_raw(path)
    except UnsafeEntryError as exc:
        return {}, _warning(path, exc)
    except StoreError:
        return {}, None
    try:
        return ({} if raw is None else _tables_decoder.decode(raw)), None
    except (msgspec.DecodeError, msgspec.ValidationError, RecursionError):
        return {}, None


def _versions(stored: dict[str, msgspec.Raw]) -> dict[str, int]:
    try:
        meta = msgspec.json.decode(stored[META], type=dict[str, dict[str, dict[str, Any]]]) if META in stored else {}
    except (msgspec.DecodeError, msgspec.ValidationError, RecursionError):
        return {}
    versions = meta.get("1", {}).get("versions")
    return {k: v for k, v in versions.items() if type(v) is int} if isinstance(versions, dict) else {}


@lru_cache(maxsize=None)
def _table_decoder(row_type: type[IndexRow]) -> msgspec.json.Decoder:
    return msgspec.json.Decoder(dict[str, row_type])


def _stored_rows(stored: dict[str, msgspec.Raw], name: str, table: Table) -> dict[str, Any]:
    """The stored rows of a table by file id, decoded straight into its row type; none when they
    were made in another shape or do not decode (the files are summarised again)."""
    if name not in stored or _versions(stored).get(name) != table.version:
        return {}
    try:
        rows = _table_decoder(table.row_type).decode(stored[name])
    except (msgspec.DecodeError, msgspec.ValidationError, RecursionError):
        return {}
    return {row.id: row for row in rows.values()}


def _rows(table: Table, stored: dict[str, Any]) -> tuple[list[Any], bool]:
    """The rows of the files now in the table's folder, and whether they differ from the stored ones."""
    rows: list[Any] = []
    changed = False
    try:
        entries = _json_entries(table.folder)
    except (OSError, StoreError) as exc:
        row = table.row_type(id=table.folder.name, error=str(exc))
        return [row], stored.get(row.id) != row
    for entry in entries:
        file_id = entry.name[:-5]  # without ".json"
        try:
            result = entry.stat(follow_symlinks=False)
        except FileNotFoundError:
            continue  # removed while listing
        row = stored.get(file_id)
        if row is None or not _trusted(row, result):
            fresh = _summary(Path(entry.path), file_id, result, table)
            if fresh is None:
                continue
            changed = changed or fresh != row
            row = fresh
        rows.append(row)
    return rows, changed


def _summary(path: Path, file_id: str, result: os.stat_result, table: Table) -> IndexRow | None:
    """A fresh row for the file, an error row when it cannot be read, None if it is gone."""
    signature = _signature(result)
    if not stat.S_ISREG(result.st_mode):
        return table.row_type(id=file_id, error=str(UnsafeEntryError(path, describe_mode(result.st_mode))),
                              signature=signature)
    checked_ns = time.time_ns()
    try:
        return table.row_type(**table.summarize(path), id=file_id, signature=signature, checked_ns=checked_ns)
    except FileNotFoundError:
        return None
    except StoreError as exc:
        error = str(exc)
    except Exception as exc:  # a summary that fails on odd data costs its row, not the list
        error = f"{path} : lecture impossible ({type(exc).__name__} {exc})"
    return table.row_type(id=file_id, error=error, signature=signature)


def _trusted(row: IndexRow, result: os.stat_result) -> bool:
    """An error row (no `checked_ns`) is never trusted: its cause may be another file, such as
    the frozen referential."""
    checked_ns = row.checked_ns
    return (checked_ns is not None and row.signature == _signature(result)
            and result.st_ctime_ns < checked_ns - RACY_NS)


def _warning(path: Path, exc: Exception) -> str:
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return (f"l'index {path} n'a pas pu être enregistré ({reason}) : la liste est juste, "
            "mais elle relit les fichiers d'audit à chaque fois")
