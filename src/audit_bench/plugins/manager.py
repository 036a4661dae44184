"""Load referential plugins one by one, so a broken one is reported and the others still work."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType
from typing import Any, Callable

import pluggy

from audit_bench.plugins import hookspecs
from audit_bench.referential import ReferentialError, ReferentialTree, content_hash, load_referential

ENTRY_POINT_GROUP = "audit_bench"


@dataclass(frozen=True)
class PluginError:
    plugin: str
    error: str


@dataclass
class LoadedReferential:
    tree: ReferentialTree
    plugin: str
    path: Path


@dataclass
class PluginRegistry:
    """The plugins that loaded, the referentials they provide, and what went wrong."""

    manager: pluggy.PluginManager
    errors: list[PluginError] = field(default_factory=list)
    _referentials: dict[str, LoadedReferential] | None = None

    @property
    def referentials(self) -> dict[str, LoadedReferential]:
        """The valid referentials, parsed on first use (commands that only score never parse YAML)."""
        if self._referentials is None:
            self._referentials = {}
            for plugin_name, paths in self.call_each("referentials"):
                for path in paths:
                    _load_one(self, plugin_name, Path(path))
        return self._referentials

    def call_each(self, hook_name: str, **kwargs: Any) -> list[tuple[str, Any]]:
        """Call a hook plugin by plugin; a plugin that raises is recorded and skipped."""
        results = []
        for impl in reversed(getattr(self.manager.hook, hook_name).get_hookimpls()):
            try:
                result = impl.function(**{name: kwargs[name] for name in impl.argnames})
            except Exception as exc:  # a plugin's failure must never take the app down
                self.errors.append(PluginError(impl.plugin_name, f"{hook_name}: {_describe(exc)}"))
                continue
            if result is not None:
                results.append((impl.plugin_name, result))
        return results

    def first_result(self, hook_name: str, **kwargs: Any) -> Any:
        for _, result in self.call_each(hook_name, **kwargs):
            return result
        return None


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def new_manager() -> pluggy.PluginManager:
    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    return manager


def load_plugins(extra: list[tuple[str, ModuleType | object]] | None = None,
                 discover: Callable[[], list[Any]] | None = None) -> PluginRegistry:
    """Register every `audit_bench` entry point, plus `extra` (name, plugin) pairs given directly."""
    registry = PluginRegistry(new_manager())
    found = discover() if discover else list(entry_points(group=ENTRY_POINT_GROUP))
    plugins: list[tuple[str, Any]] = []
    for entry_point in found:
        try:
            plugins.append((entry_point.name, entry_point.load()))
        except Exception as exc:  # an import error is the plugin's, not ours
            registry.errors.append(PluginError(entry_point.name, f"import: {_describe(exc)}"))
    plugins.extend(extra or [])
    for name, plugin in plugins:
        try:
            registry.manager.register(plugin, name=name)
        except (ValueError, pluggy.PluginValidationError) as exc:
            registry.errors.append(PluginError(name, f"enregistrement: {exc}"))
    return registry


def _load_one(registry: PluginRegistry, plugin_name: str, path: Path) -> None:
    try:
        referential = load_referential(path)
    except ReferentialError as exc:
        registry.errors.append(PluginError(plugin_name, str(exc)))
        return
    loaded = registry.referentials
    if referential.id in loaded:
        other = loaded[referential.id].plugin
        registry.errors.append(PluginError(
            plugin_name, f"{path}: le référentiel « {referential.id} » est déjà fourni par {other}"))
        return
    tree = ReferentialTree(referential, content_hash(referential))
    loaded[referential.id] = LoadedReferential(tree, plugin_name, path)
