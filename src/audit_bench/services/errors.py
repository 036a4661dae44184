"""What a face (the CLI, the TUI) may catch from the use cases, and how it says it in French.

Faces import errors from here, never from the store or the referential loader: the layers below
the services stay free to move."""

from __future__ import annotations

import errno
import os

from audit_bench.referential.reading import ReferentialError
from audit_bench.services.text import visible
from audit_bench.services.validation import UserError
from audit_bench.store.errors import (
    CorruptFileError, LockedError, NewerFormatError, ReadOnlyError, StoreError, read_only_message,
)

REFUSALS: tuple[type[BaseException], ...] = (UserError, StoreError, ReferentialError, OSError)
"""What a use case raises on bad input or an unusable file: shown to the user, never a crash."""

_OS_ERRORS: dict[int, str] = {
    errno.EACCES: "permission refusée",
    errno.EPERM: "permission refusée",
    errno.ENOSPC: "disque plein, écriture impossible",
    errno.EDQUOT: "quota disque dépassé, écriture impossible",
    errno.EROFS: "système de fichiers en lecture seule",
    errno.ENOENT: "fichier ou dossier introuvable",
    errno.EISDIR: "c'est un dossier, pas un fichier",
    errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
    errno.EEXIST: "existe déjà",
    errno.ENAMETOOLONG: "nom de fichier trop long",
    errno.ELOOP: "lien symbolique refusé",
}


def describe_os_error(exc: OSError) -> str:
    """One French line naming the file: « permission refusée : /chemin/x.json »."""
    what = _OS_ERRORS.get(exc.errno or 0) or exc.strerror or type(exc).__name__
    paths = [_path_text(name) for name in (exc.filename, exc.filename2) if name is not None]
    return f"{what} : {' → '.join(paths)}" if paths else what


def _path_text(name: object) -> str:
    return os.fsdecode(name) if isinstance(name, (str, bytes, os.PathLike)) else str(name)


def refusal_message(exc: BaseException) -> str:
    """The sentence a face shows for one of `REFUSALS`, safe to print on a terminal."""
    if isinstance(exc, OSError):
        return visible(describe_os_error(exc))
    return visible(str(exc))


__all__ = ["REFUSALS", "CorruptFileError", "LockedError", "NewerFormatError", "ReadOnlyError", "ReferentialError",
           "StoreError", "UserError", "describe_os_error", "read_only_message", "refusal_message"]
