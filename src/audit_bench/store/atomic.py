"""Durable atomic file writes: after a crash at any instant, the old file or the new one, never a mix."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

FILE_MODE = 0o600
DIR_MODE = 0o700
TEMP_SUFFIX = ".tmp"


def ensure_dir(path: Path) -> None:
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)


def fsync_dir(path: Path) -> None:
    """Make a rename in `path` durable: the directory entry itself must reach the disk."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def temp_path_for(path: Path) -> Path:
    """A temp name in the same folder (so the rename stays atomic), unique to this process."""
    return path.with_name(f".{path.name}.{os.getpid()}{TEMP_SUFFIX}")


def write_temp_file(temp: Path, chunks: Iterable[bytes], *, durable: bool = True) -> None:
    """Write `chunks` to a new private file, fsync'd when `durable`; nothing is left on failure."""
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        for chunk in chunks:
            view = memoryview(chunk)
            while view:
                view = view[os.write(fd, view):]
        if durable:
            os.fsync(fd)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    finally:
        os.close(fd)


def atomic_write(path: Path, payload: bytes, *, durable: bool = True) -> None:
    """Write `payload` to `path`: temp file, flush, fsync, `os.replace`, fsync of the folder."""
    temp = temp_path_for(path)
    write_temp_file(temp, [payload], durable=durable)
    os.replace(temp, path)
    if durable:
        fsync_dir(path.parent)


def remove_stale_temp_files(folder: Path) -> list[Path]:
    """Delete temp files left by writers that died mid-write (their pid is gone)."""
    removed = []
    for temp in folder.glob(f".*{TEMP_SUFFIX}"):
        pid_text = temp.name.removesuffix(TEMP_SUFFIX).rsplit(".", 1)[-1]
        if pid_text.isdigit() and pid_alive(int(pid_text)) and int(pid_text) != os.getpid():
            continue
        temp.unlink(missing_ok=True)
        removed.append(temp)
    return removed


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
