"""Schema versions of stored files, and the steps that bring an older file up to date.

Opening a file of an older version copies it aside first (`<name>.v<N>.bak`, mode 0600), then
applies each step in order and saves the result atomically. A file of a newer version is refused.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, Callable

from audit_bench.store.atomic import FILE_MODE, fsync_dir
from audit_bench.store.errors import CorruptFileError, NewerFormatError

AUDIT_FORMAT = 1
"""The format this version writes; raise it with a step in MIGRATIONS when the layout changes."""

Migration = Callable[[dict[str, Any]], dict[str, Any]]
MIGRATIONS: dict[int, Migration] = {}
"""Step from version N (the key) to N + 1, on the raw TinyDB document."""


def format_of(path: Path, data: dict[str, Any]) -> int:
    try:
        return int(data["meta"]["1"]["format"])
    except (KeyError, TypeError, ValueError):
        raise CorruptFileError(path, "ce n'est pas un fichier d'audit audit-bench (version de format absente)") from None


def set_format(data: dict[str, Any], version: int) -> None:
    data.setdefault("meta", {})["1"] = {"format": version}


def backup_path(path: Path, version: int) -> Path:
    return path.with_name(f"{path.name}.v{version}.bak")


def upgrade(path: Path, data: dict[str, Any]) -> dict[str, Any] | None:
    """The migrated document, after a durable backup of the file; None if it is current."""
    found = format_of(path, data)
    if found > AUDIT_FORMAT:
        raise NewerFormatError(path, found, AUDIT_FORMAT)
    if found == AUDIT_FORMAT:
        return None
    backup = backup_path(path, found)
    shutil.copyfile(path, backup)
    backup.chmod(FILE_MODE)
    with open(backup, "rb") as handle:
        os.fsync(handle.fileno())
    fsync_dir(path.parent)
    for version in range(found, AUDIT_FORMAT):
        step = MIGRATIONS.get(version)
        if step is None:
            raise CorruptFileError(path, f"aucune migration connue depuis le format {version}")
        data = step(data)
        set_format(data, version + 1)
    return data
