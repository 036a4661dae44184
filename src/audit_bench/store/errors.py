"""Storage errors; each message is one French sentence a user can act on."""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """Base of storage errors."""


class CorruptFileError(StoreError):
    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"fichier illisible ou endommagé : {path} ({reason}) ; il n'a pas été modifié")
        self.path = path


class NewerFormatError(StoreError):
    def __init__(self, path: Path, found: int, supported: int) -> None:
        super().__init__(f"{path} est au format {found}, plus récent que celui de cette version "
                         f"d'audit-bench ({supported}) : mettez audit-bench à jour")
        self.path = path


class LockedError(StoreError):
    """Another process holds the audit's lock: this one may only read."""

    def __init__(self, path: Path, holder: str) -> None:
        super().__init__(f"audit en lecture seule : {holder} l'a ouvert en écriture ({path.name})")
        self.holder = holder


class ReadOnlyError(StoreError):
    pass
