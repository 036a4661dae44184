"""One writer per audit file: an advisory `flock` plus who holds it, for the message.

`flock` is released by the kernel when its holder dies, so a lock file left by a dead process
(a stale lock) is simply taken over; the pid, host and time written in it only serve to tell
the user who holds a live lock.
"""

from __future__ import annotations

import fcntl
import getpass
import os
import socket
from datetime import datetime
from pathlib import Path

import msgspec

from audit_bench.store.atomic import open_regular
from audit_bench.store.errors import LockedError, UnsafeEntryError


def describe_holder(raw: str) -> str:
    """Who holds a lock, from what it wrote in the lock file (any content: it is not trusted)."""
    try:
        info = msgspec.json.decode(raw)
        text = (f"{info['user']} (processus {info['pid']} sur {info['host']}, "
                f"depuis {info['since']})")
    except (ValueError, KeyError, TypeError, RecursionError):
        return "un autre processus"
    return "".join(c if c.isprintable() else " " for c in text)[:200]


class FileLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self, *, blocking: bool = False) -> None:
        """Take the lock, or raise LockedError naming the holder (or wait for it if `blocking`).

        The lock file is written (holder, then emptied on release): a symlink, a hard link or a
        special file in its place is refused rather than followed, so no other file is emptied."""
        fd = open_regular(self.path, os.O_RDWR | os.O_CREAT)
        if os.fstat(fd).st_nlink > 1:
            os.close(fd)
            raise UnsafeEntryError(self.path, "un lien physique vers un autre fichier")
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            holder = os.pread(fd, 4096, 0).decode("utf-8", "replace")
            os.close(fd)
            raise LockedError(self.path, describe_holder(holder)) from None
        info = {"pid": os.getpid(), "host": socket.gethostname(), "user": _user(),
                "since": datetime.now().astimezone().isoformat(timespec="seconds")}
        os.ftruncate(fd, 0)
        os.pwrite(fd, msgspec.json.encode(info), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        os.ftruncate(self._fd, 0)
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> "FileLock":
        self.acquire(blocking=True)
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid())
