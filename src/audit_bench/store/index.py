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
"""

from __future__ import annotations

import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import msgspec

from audit_bench.store.atomic import atomic_write, describe_mode
from audit_bench.store.errors import StoreError, UnsafeEntryError
from audit_bench.store.lock import FileLock
from audit_bench.store.storage import read_json_file

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

Row = dict[str, Any]
Summarize = Callable[[Path], Row]


@dataclass(frozen=True)
class Table:
    """One table of the index: a summary row for each `*.json` file of `folder`."""

    folder: Path
    summarize: Summarize
    version: int
    """The shape of the rows `summarize` makes: raise it when it changes, so stored rows are redone."""


@dataclass(frozen=True)
class Listing:
    rows: dict[str, list[Row]]
    """By table, one row per file; a file that cannot be read gives a row with an `error`."""
    index_warning: str | None = None
    """Why the index could not be saved (the listing is right, the next one will be slower)."""


def _signature(result: os.stat_result) -> list[int]:
    return [result.st_size, result.st_mtime_ns, result.st_ctime_ns, result.st_ino]


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
        rows: dict[str, list[Row]] = {}
        changed = False
        for name, table in tables.items():
            kept = _stored_rows(stored, name, table.version)
            rows[name], fresh = _rows(table, kept)
            changed = changed or fresh or len(rows[name]) != len(kept)
        if warning is None and changed:
            warning = _save(path, stored, tables, rows)
    finally:
        lock.release()
    return Listing(rows, warning)


def _save(path: Path, stored: dict[str, Any], tables: dict[str, Table], rows: dict[str, list[Row]]) -> str | None:
    """Write the index: the tables listed now, and the stored ones this listing did not ask for."""
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
    return Listing({name: _rows(table, _stored_rows(stored, name, table.version))[0]
                    for name, table in tables.items()}, warning)


def _stored_document(path: Path) -> tuple[dict[str, Any], str | None]:
    """The index as stored (empty if missing or damaged), and a warning when the index is
    something that must not be read nor replaced (a symlink, a special file)."""
    try:
        return read_json_file(path) or {}, None
    except UnsafeEntryError as exc:
        return {}, _warning(path, exc)
    except StoreError:
        return {}, None


def _versions(stored: dict[str, Any]) -> dict[str, int]:
    meta = stored.get(META)
    row = meta.get("1") if isinstance(meta, dict) else None
    versions = row.get("versions") if isinstance(row, dict) else None
    return {k: v for k, v in versions.items() if type(v) is int} if isinstance(versions, dict) else {}


def _stored_rows(stored: dict[str, Any], name: str, version: int) -> dict[str, Row]:
    """The stored rows of a table by file id, none when they were made in another shape."""
    if _versions(stored).get(name) != version:
        return {}
    table = stored.get(name)
    rows = table.values() if isinstance(table, dict) else []
    return {row["id"]: row for row in rows if isinstance(row, dict) and isinstance(row.get("id"), str)}


def _rows(table: Table, stored: dict[str, Row]) -> tuple[list[Row], bool]:
    """The rows of the files now in the table's folder, and whether they differ from the stored ones."""
    rows: list[Row] = []
    changed = False
    try:
        entries = _json_entries(table.folder)
    except (OSError, StoreError) as exc:
        row = {"id": table.folder.name, "error": str(exc)}
        return [row], stored.get(row["id"]) != row
    for entry in entries:
        file_id = entry.name.removesuffix(".json")
        try:
            result = entry.stat(follow_symlinks=False)
        except FileNotFoundError:
            continue  # removed while listing
        row = stored.get(file_id)
        if row is None or not _trusted(row, result):
            fresh = _summary(Path(entry.path), file_id, result, table.summarize)
            if fresh is None:
                continue
            changed = changed or fresh != row
            row = fresh
        rows.append(row)
    return rows, changed


def _summary(path: Path, file_id: str, result: os.stat_result, summarize: Summarize) -> Row | None:
    """A fresh row for the file, an error row when it cannot be read, None if it is gone."""
    if not stat.S_ISREG(result.st_mode):
        return {"id": file_id, "error": str(UnsafeEntryError(path, describe_mode(result.st_mode)))}
    checked_ns = time.time_ns()
    try:
        row = {**summarize(path), "id": file_id, "checked_ns": checked_ns}
    except FileNotFoundError:
        return None
    except StoreError as exc:
        row = {"id": file_id, "error": str(exc)}
    except Exception as exc:  # a summary that fails on odd data costs its row, not the list
        row = {"id": file_id, "error": f"{path} : lecture impossible ({type(exc).__name__} {exc})"}
    row["signature"] = _signature(result)
    return row


def _trusted(row: Row, result: os.stat_result) -> bool:
    """An error row (no `checked_ns`) is never trusted: its cause may be another file, such as
    the frozen referential."""
    checked_ns = row.get("checked_ns")
    return (row.get("signature") == _signature(result) and isinstance(checked_ns, int)
            and result.st_ctime_ns < checked_ns - RACY_NS)


def _warning(path: Path, exc: Exception) -> str:
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return (f"l'index {path} n'a pas pu être enregistré ({reason}) : la liste est juste, "
            "mais elle relit les fichiers d'audit à chaque fois")
