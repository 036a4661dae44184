"""A TinyDB storage that writes durably and atomically and keeps a read cache.

TinyDB's stock JSONStorage overwrites in place then truncates (a SIGKILL between the two leaves
a broken file) and re-parses the whole file on every operation. This storage replaces the file
atomically and, being the single writer of its file, trusts what it last read or wrote.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

import msgspec
from tinydb.storages import Storage

from audit_bench.store.atomic import atomic_write, read_raw
from audit_bench.store.errors import CorruptFileError, ReadOnlyError, read_only_message

_decoder = msgspec.json.Decoder()
_encoder = msgspec.json.Encoder()


def decode_document(path: Path, raw: bytes) -> dict[str, Any]:
    """Decode a stored document; whatever the bytes, the only error is CorruptFileError."""
    if not raw.strip():
        raise CorruptFileError(path, "fichier vide")
    try:
        data = _decoder.decode(raw)
    except UnicodeDecodeError as exc:
        raise CorruptFileError(path, f"octets UTF-8 invalides à la position {exc.start}") from None
    except RecursionError:
        raise CorruptFileError(path, "JSON imbriqué trop profondément") from None
    except Exception as exc:  # msgspec.DecodeError, MemoryError on absurd sizes, …
        raise CorruptFileError(path, f"JSON invalide : {exc}") from None
    if not isinstance(data, dict):
        raise CorruptFileError(path, "ce n'est pas un fichier audit-bench")
    return data


def read_json_file(path: Path) -> dict[str, Any] | None:
    """The decoded document, None when the file does not exist; a StoreError otherwise."""
    raw = read_raw(path)
    return None if raw is None else decode_document(path, raw)


class AtomicJSONStorage(Storage):
    """The storage of one open document: `load` reads it (checked and migrated: the owner's job),
    `before_write` runs before each write (the owner's migration backup)."""

    def __init__(self, path: Path, *, load: Callable[[], dict[str, Any]],
                 before_write: Callable[[], None], read_only: bool = False,
                 preloaded: dict[str, Any] | None = None) -> None:
        """`preloaded`: the document the owner just loaded, so it is not decoded twice."""
        self.path = Path(path)
        self.read_only = read_only
        self._load = load
        self._before_write = before_write
        self._cache: dict[str, Any] | None = preloaded
        self._deferring = False
        self._dirty = False

    def read(self) -> dict[str, Any]:
        if self._cache is None:
            self._cache = self._load()
        return self._cache

    def write(self, data: dict[str, Any]) -> None:
        if self.read_only:
            raise ReadOnlyError(read_only_message(None, self.path))
        if self._deferring:
            self._cache, self._dirty = data, True
            return
        self._write(data)

    @contextmanager
    def deferred(self) -> Iterator[None]:
        """Changes made inside reach the disk as one durable write when the block ends; if the
        block raises, none of them does (the cache is dropped: the file on disk is the truth).
        Inside another such block, it is part of that one write."""
        if self._deferring:
            yield
            return
        self._deferring, self._dirty = True, False
        try:
            yield
        except BaseException:
            self._cache = None
            raise
        finally:
            self._deferring = False
        if self._dirty and self._cache is not None:
            self._write(self._cache)

    def _write(self, data: dict[str, Any]) -> None:
        try:
            self._before_write()
            atomic_write(self.path, _encoder.encode(data))
        except BaseException:
            self._cache = None  # TinyDB changed it in place: what is on disk is the truth
            raise
        self._cache = data

    def close(self) -> None:
        """Drop the cache and the owner's hooks (they refer back to it: no cycle outlives close)."""
        self._cache = None
        self._load = self._before_write = _closed


def _closed() -> Any:
    raise ValueError("document fermé")
