"""Packages whose public names import their submodule when first used (PEP 562).

`from audit_bench.model import Progress` then imports `model.audit` alone, not every record type,
and the TUI's start imports what its first screen needs rather than the store, the referential
loader and TinyDB behind a package's re-exports."""

from __future__ import annotations

from importlib import import_module
from typing import Any, Callable


def lazy_exports(namespace: dict[str, Any], exports: dict[str, list[str]]) -> tuple[
        Callable[[str], Any], Callable[[], list[str]]]:
    """The package's `__getattr__` and `__dir__`, from `exports` (module: the names it gives);
    `namespace` is the package's `globals()`, where each name is kept once imported."""
    package = namespace["__name__"]
    home = {name: module for module, names in exports.items() for name in names}

    def __getattr__(name: str) -> Any:
        if name not in home:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = namespace[name] = getattr(import_module(home[name]), name)
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *home})

    return __getattr__, __dir__
