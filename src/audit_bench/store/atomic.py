"""Durable atomic file writes, safe reads (no symlink, no special file), private folders, and the
cleanup of temp files left by a crash.

A write goes to a new temp file beside its target (`.<name>.<pid>-<token>.tmp`, created with
O_EXCL | O_NOFOLLOW, mode 0600), is fsync'd, renamed over the target, and the folder is fsync'd:
after a crash at any instant the old file or the new one is there, never a mix. The pid in the
name tells a later start whether the writer is still alive.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path
from typing import Iterable

from audit_bench.store.errors import CorruptFileError, UnsafeEntryError

FILE_MODE = 0o600
DIR_MODE = 0o700
TEMP_SUFFIX = ".tmp"
TEMP_FOLDERS = (".", "evidence", "referentials", "structures")
"""Where, relative to the workspace, the store writes temp files: each is cleaned at start."""

_TEMP_NAME = re.compile(r"^\..+\.(?P<pid>[0-9]+)(?:-[0-9a-f]{8})?\.tmp$")
"""Our temp names; names without the token were written by versions before it."""
_SAFE_OPEN = os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_CHUNK = 1 << 20
_TEMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC

_writing: set[str] = set()
"""Temp files this process is writing right now: never stale, whatever their pid says."""


def ensure_dir(path: Path) -> Path:
    """Create `path` and its missing parents as private folders (0700 whatever the umask).

    Folders that already exist keep their mode: only what audit-bench creates is made private.
    Services use it for every folder they create for the user (workspace, reports)."""
    path = Path(path)
    missing: list[Path] = []
    folder = path
    while not os.path.lexists(folder) and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:
            continue  # created meanwhile by someone else: theirs, mode included
        folder.chmod(DIR_MODE)  # mkdir's mode is masked by the umask
    if not path.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "ce n'est pas un dossier", str(path))
    return path


def private_subdir(root: Path, *parts: str) -> Path:
    """A folder the store owns under `root`, created private; a symlink on the way is refused,
    so nothing is ever written outside the workspace through it."""
    folder = ensure_dir(root)
    for part in parts:
        folder = folder / part
        try:
            folder.mkdir(mode=DIR_MODE)
            folder.chmod(DIR_MODE)
        except FileExistsError:
            mode = os.lstat(folder).st_mode
            if not stat.S_ISDIR(mode):
                raise UnsafeEntryError(folder, describe_mode(mode), "un dossier") from None
    return folder


def describe_mode(mode: int) -> str:
    """What a non-regular entry is, in French, for UnsafeEntryError."""
    if stat.S_ISLNK(mode):
        return "un lien symbolique"
    if stat.S_ISDIR(mode):
        return "un dossier"
    return "un fichier spécial (tube, socket ou périphérique)"


def open_regular(path: Path, flags: int = os.O_RDONLY) -> int:
    """A descriptor on `path`, refusing symlinks and special files (a FIFO would block, a device
    would be read or written). Raises FileNotFoundError when it does not exist (without O_CREAT)."""
    try:
        fd = os.open(path, flags | _SAFE_OPEN, FILE_MODE)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnsafeEntryError(path, "un lien symbolique") from None
        raise
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise UnsafeEntryError(path, describe_mode(mode))
    return fd


def read_raw(path: Path) -> bytes | None:
    """The bytes of a regular file, None when it does not exist. A symlink or a special file
    raises UnsafeEntryError; any other failure to read is a CorruptFileError naming the file."""
    try:
        fd = open_regular(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CorruptFileError(path, exc.strerror or str(exc)) from exc
    try:
        chunks = []
        while chunk := os.read(fd, _CHUNK):
            chunks.append(chunk)
    except OSError as exc:
        raise CorruptFileError(path, exc.strerror or str(exc)) from exc
    finally:
        os.close(fd)
    return b"".join(chunks)


def check_replaceable(path: Path) -> None:
    """`os.replace` renames over whatever is there, a device node or a symlink included: only a
    regular file (or nothing) may be replaced."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if not stat.S_ISREG(mode):
        raise UnsafeEntryError(path, describe_mode(mode))


def fsync_dir(path: Path) -> None:
    """Make a rename in `path` durable: the directory entry itself must reach the disk."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_temp_file(target: Path, chunks: Iterable[bytes], *, durable: bool = True) -> Path:
    """Write `chunks` to a new private temp file beside `target` and return its path; fsync'd
    when `durable`; nothing is left behind on failure (the chunks may raise to abort)."""
    temp, fd = _create_temp(target)
    try:
        for chunk in chunks:
            view = memoryview(chunk)
            while view:
                view = view[os.write(fd, view):]
        if durable:
            os.fsync(fd)
    except BaseException:
        os.close(fd)
        discard_temp(temp)
        raise
    os.close(fd)
    return temp


def _create_temp(target: Path) -> tuple[Path, int]:
    for _ in range(3):
        temp = target.with_name(f".{target.name}.{os.getpid()}-{os.urandom(4).hex()}{TEMP_SUFFIX}")
        _writing.add(os.path.abspath(temp))
        try:
            return temp, os.open(temp, _TEMP_FLAGS, FILE_MODE)
        except FileExistsError:
            _writing.discard(os.path.abspath(temp))
        except BaseException:
            _writing.discard(os.path.abspath(temp))
            raise
    raise FileExistsError(errno.EEXIST, "nom de fichier temporaire déjà pris", str(target.parent))


def commit_temp_file(temp: Path, target: Path, *, durable: bool = True) -> None:
    """Rename `temp` over `target` (which must be a regular file or absent), durably."""
    try:
        check_replaceable(target)
        os.replace(temp, target)
    except BaseException:
        discard_temp(temp)
        raise
    _writing.discard(os.path.abspath(temp))
    if durable:
        fsync_dir(target.parent)


def discard_temp(temp: Path) -> None:
    try:
        temp.unlink(missing_ok=True)
    finally:
        _writing.discard(os.path.abspath(temp))


def atomic_write(path: Path, payload: bytes, *, durable: bool = True) -> None:
    """Write `payload` to `path`: temp file, flush, fsync, `os.replace`, fsync of the folder."""
    path = Path(path)
    commit_temp_file(write_temp_file(path, [payload], durable=durable), path, durable=durable)


def remove_stale_temp_files(workspace: Path) -> list[Path]:
    """Delete the temp files writers left when they died mid-write, in every folder the store
    writes to. Only our names, only regular files, only when the writer's pid is gone; a file
    that cannot be removed (read-only workspace) is left for a later start."""
    removed = []
    for name in TEMP_FOLDERS:
        folder = Path(workspace) / name
        if name != "." and os.path.islink(folder):
            continue  # never clean outside the workspace
        try:
            with os.scandir(folder) as entries:
                candidates = [entry for entry in entries if _is_stale(entry)]
        except (NotADirectoryError, FileNotFoundError, PermissionError):
            continue
        for entry in candidates:
            try:
                os.unlink(entry.path)
            except OSError:
                continue
            removed.append(Path(entry.path))
    return removed


def _is_stale(entry: os.DirEntry) -> bool:
    match = _TEMP_NAME.match(entry.name)
    if (match is None or not entry.is_file(follow_symlinks=False)
            or os.path.abspath(entry.path) in _writing):
        return False
    pid = int(match["pid"])
    return pid == os.getpid() or not pid_alive(pid)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except (OverflowError, ValueError):
        return False
    return True
