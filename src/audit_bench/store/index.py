"""The workspace index: one summary row per audit, so listing never parses every audit file.

The index is a cache, rebuildable from the audit files: each row remembers the size and
modification time of the file it summarises, and a row whose file changed (or a file with no
row) is summarised again on the next listing. Rating an audit therefore costs no index write,
and a crash can leave the index stale but never wrong. The file keeps TinyDB's layout
(`{"audits": {"1": row, …}}`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable

import msgspec

from audit_bench.store.atomic import atomic_write
from audit_bench.store.errors import CorruptFileError
from audit_bench.store.lock import FileLock
from audit_bench.store.storage import read_json_file

INDEX_NAME = "index.json"
Summarize = Callable[[Path], dict[str, Any]]


def _signature(entry: os.DirEntry) -> list[int]:
    stat = entry.stat()
    return [stat.st_mtime_ns, stat.st_size]


def audit_file_entries(folder: Path) -> list[os.DirEntry]:
    with os.scandir(folder) as entries:
        return [e for e in entries if e.name.endswith(".json") and e.name != INDEX_NAME
                and not e.name.startswith(".") and e.is_file()]


def list_rows(folder: Path, summarize: Summarize) -> list[dict[str, Any]]:
    """Rows for every audit file, refreshing stale ones; a corrupt file gives an `error` row."""
    path = folder / INDEX_NAME
    with FileLock(folder / "index.lock"):
        try:
            stored = read_json_file(path) or {}
        except CorruptFileError:
            stored = {}
        by_id = {row["id"]: row for row in (stored.get("audits") or {}).values()
                 if isinstance(row, dict) and "id" in row}
        rows: list[dict[str, Any]] = []
        changed = False
        for entry in audit_file_entries(folder):
            audit_id = entry.name.removesuffix(".json")
            signature = _signature(entry)
            row = by_id.get(audit_id)
            if row is None or row.get("signature") != signature:
                try:
                    row = {**summarize(Path(entry.path)), "id": audit_id}
                except CorruptFileError as exc:
                    row = {"id": audit_id, "error": str(exc)}
                row["signature"] = signature
                changed = True
            rows.append(row)
        if changed or len(rows) != len(by_id):
            document = {"audits": {str(n): row for n, row in enumerate(rows, start=1)}}
            atomic_write(path, msgspec.json.encode(document), durable=False)
    return rows
