"""Format versions of stored documents, one numbering per kind, and the steps between them.

Each kind of document (audits, structures) has its own format numbers and migration steps.
A document read in an older format is migrated in memory only: reading never writes. The file is
rewritten on its first write, under its lock, after a durable backup of the bytes that were read
(`<name>.v<N>.bak`, mode 0600). A document in a newer format is refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from audit_bench.model import implied_structure_id
from audit_bench.store.atomic import atomic_write
from audit_bench.store.errors import CorruptFileError, NewerFormatError

Migration = Callable[[dict[str, Any]], dict[str, Any]]


class Formats:
    """The format versions of one kind of document and the migration steps between them."""

    def __init__(self, kind: str, label: str, current: int) -> None:
        self.kind = kind
        """Written in the document's meta row, so a file of another kind is told apart."""
        self.label = label
        """How messages name a file of this kind, after « fichier » (« d'audit »)."""
        self.current = current
        """The format this version writes; raise it with a step when the layout changes."""
        self.steps: dict[int, Migration] = {}
        """Step from version N (the key) to N + 1, on the raw TinyDB document."""

    def step(self, version: int) -> Callable[[Migration], Migration]:
        """Register the step from `version` to `version + 1` (a decorator)."""
        def register(function: Migration) -> Migration:
            self.steps[version] = function
            return function
        return register

    def meta(self) -> dict[str, Any]:
        return {"format": self.current, "kind": self.kind}

    def version_of(self, path: Path, data: dict[str, Any]) -> int:
        """The format of a decoded document; CorruptFileError when it is not one of ours."""
        meta = data.get("meta")
        row = meta.get("1") if isinstance(meta, dict) else None
        version = row.get("format") if isinstance(row, dict) else None
        if version is None:
            raise CorruptFileError(path, f"ce n'est pas un fichier {self.label} audit-bench "
                                         "(version de format absente)")
        if type(version) is not int or version < 1:
            raise CorruptFileError(path, f"version de format invalide : {str(version)[:40]!r}")
        kind = row.get("kind", self.kind)
        if kind != self.kind:
            raise CorruptFileError(path, f"ce n'est pas un fichier {self.label} "
                                         f"(type « {str(kind)[:40]} »)")
        return version

    def upgrade(self, path: Path, data: dict[str, Any]) -> tuple[dict[str, Any], int | None]:
        """The document in the current format, in memory, and the format it was read in when
        that is older (None when it is current)."""
        found = self.version_of(path, data)
        if found > self.current:
            raise NewerFormatError(path, found, self.current)
        if found == self.current:
            return data, None
        for version in range(found, self.current):
            step = self.steps.get(version)
            if step is None:
                raise CorruptFileError(path, f"aucune migration connue depuis le format {version}")
            try:
                data = step(data)
            except Exception as exc:
                raise CorruptFileError(path, f"migration depuis le format {version} impossible : "
                                             f"{type(exc).__name__} {exc}") from exc
            data.setdefault("meta", {})["1"] = {"format": version + 1, "kind": self.kind}
        return data, found


AUDIT_FORMATS = Formats("audit", "d'audit", current=3)
"""1: release 0.1.0. 2: the header names its structure (`structure`, an id). 3: the improvement
plan: écarts have a source, an immediate action and a root cause; actions a type, their
postponements and a verification comment."""

STRUCTURE_FORMATS = Formats("structure", "de structure", current=2)
"""1: record, people, certifications. 2: écarts of other sources than audits, and their actions;
the cycle's settings and the obligations recorded as met."""


@AUDIT_FORMATS.step(1)
def _header_names_its_structure(document: dict[str, Any]) -> dict[str, Any]:
    """Audits of the previous release knew their structure by name and type only: each points to
    the structure those imply, so audits of the same name and type share one."""
    for header in document.get("header", {}).values():
        if "structure" not in header:
            header["structure"] = implied_structure_id(header["org"], header.get("siae_type"))
    return document


_FINDING_DEFAULTS = {"source": "audit", "ref": "", "immediate_action": "", "root_cause": ""}
_ACTION_DEFAULTS = {"type": "corrective", "postponements": [], "verification_comment": ""}


@AUDIT_FORMATS.step(2)
def _plan_fields(document: dict[str, Any]) -> dict[str, Any]:
    """Écarts of format 2 were an audit's; their actions were corrective, never postponed."""
    for row in document.get("findings", {}).values():
        for field, value in _FINDING_DEFAULTS.items():
            row.setdefault(field, value)
    for row in document.get("actions", {}).values():
        for field, value in _ACTION_DEFAULTS.items():
            row.setdefault(field, list(value) if isinstance(value, list) else value)
    return document


@STRUCTURE_FORMATS.step(1)
def _plan_tables(document: dict[str, Any]) -> dict[str, Any]:
    """A structure of format 1 had no écart of its own yet, nor cycle settings or fulfilments."""
    for table in ("findings", "actions", "cycle_settings", "fulfilments"):
        document.setdefault(table, {})
    return document


def backup_path(path: Path, version: int) -> Path:
    return path.with_name(f"{path.name}.v{version}.bak")


def write_backup(path: Path, raw: bytes, version: int) -> Path:
    """Keep the bytes of `path` as read in format `version`, durably, before migrating it."""
    backup = backup_path(path, version)
    atomic_write(backup, raw)
    return backup
