"""A TinyDB storage that writes durably and atomically and keeps a read cache.

TinyDB's stock JSONStorage overwrites in place then truncates (a SIGKILL between the two leaves
a broken file) and re-parses the whole file on every operation. This storage replaces the file
atomically and, being the single writer of its file, trusts what it last read or wrote.
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import msgspec
from tinydb.storages import Storage

from audit_bench.store.atomic import atomic_write
from audit_bench.store.errors import CorruptFileError, ReadOnlyError

_decoder = msgspec.json.Decoder()
_encoder = msgspec.json.Encoder()


def read_json_file(path: Path) -> dict[str, Any] | None:
    """The decoded document, None when the file does not exist; CorruptFileError otherwise."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CorruptFileError(path, exc.strerror or str(exc)) from exc
    if not raw.strip():
        raise CorruptFileError(path, "fichier vide")
    try:
        data = _decoder.decode(raw)
    except msgspec.DecodeError as exc:
        raise CorruptFileError(path, f"JSON invalide : {exc}") from exc
    if not isinstance(data, dict):
        raise CorruptFileError(path, "ce n'est pas un fichier audit-bench")
    return data


class AtomicJSONStorage(Storage):
    def __init__(self, path: Path, *, read_only: bool = False, durable: bool = True,
                 preloaded: dict[str, Any] | None = None) -> None:
        """`preloaded`: the document the caller just read from `path`, so it is not decoded twice."""
        self.path = Path(path)
        self.read_only = read_only
        self.durable = durable
        self._cache: dict[str, Any] | None = None
        if preloaded is not None:
            self._adopt(preloaded)

    def read(self) -> dict[str, Any] | None:
        if self._cache is None:
            document = read_json_file(self.path)
            if document is not None:
                self._adopt(document)
        return self._cache

    def _adopt(self, document: dict[str, Any]) -> None:
        """Cache a freshly decoded document. It holds thousands of acyclic dicts that refcounting
        frees; keeping them out of the cyclic collector's full scans removes its pauses from
        every later save (p99 of a rating save 8.5 → 3.5 ms on a 1,300-row audit)."""
        self._cache = document
        gc.freeze()

    def write(self, data: dict[str, Any]) -> None:
        if self.read_only:
            raise ReadOnlyError(f"{self.path.name} est ouvert en lecture seule")
        try:
            atomic_write(self.path, _encoder.encode(data), durable=self.durable)
        except BaseException:
            self._cache = None
            raise
        self._cache = data

    def invalidate(self) -> None:
        """Forget the cache, for a reader that wants to see another process's writes."""
        self._cache = None

    def close(self) -> None:
        self._cache = None
