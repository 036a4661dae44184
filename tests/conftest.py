"""Shared fixtures: a test plugin registered through a real entry point, and the CLI as a user runs it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, Callable

import pytest

from support import MINI_PLUGIN, Cli, mini_env, mini_plugin, write_distribution


def pytest_xdist_auto_num_workers(config) -> int:
    """`-n auto`: one worker more than the cores. The TUI tests spend more than half their time
    waiting on the app's refreshes and timers, which the extra worker fills."""
    return (os.cpu_count() or 1) + 1


@pytest.fixture(scope="session", autouse=True)
def bytecode_kept_for_the_run(tmp_path_factory):
    """Every process a test starts (the CLI, hundreds of times) reads the bytecode the first one
    compiled, kept in this run's temporary folder: where PYTHONDONTWRITEBYTECODE is set, each
    would compile the package again, a third of its start."""
    with pytest.MonkeyPatch.context() as environment:
        environment.setenv("PYTHONPYCACHEPREFIX", str(tmp_path_factory.getbasetemp() / "bytecode"))
        environment.delenv("PYTHONDONTWRITEBYTECODE", raising=False)
        yield


@pytest.fixture
def plugin_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    write_distribution(site, "audit_bench_mini", "audit_bench_mini", MINI_PLUGIN, "mini")
    return site


@pytest.fixture
def cli(tmp_path: Path, plugin_site: Path) -> Cli:
    return Cli(tmp_path / "ws", mini_env(plugin_site))


@pytest.fixture(scope="session")
def built_once(tmp_path_factory) -> Callable[[Callable[[Cli], Any], Cli], Any]:
    """`built_once(build, cli)`: the workspace `build` makes through the CLI, made once per run (per
    xdist worker, in the environment of the first test asking) and copied, modes and times kept,
    into `cli.workspace` for each test: a copy costs milliseconds where each CLI call costs a
    process start. Returns what `build` returned (the ids it made)."""
    built: dict[Callable[[Cli], Any], tuple[Path, Any]] = {}

    def copy(build: Callable[[Cli], Any], cli: Cli) -> Any:
        if build not in built:
            source = tmp_path_factory.mktemp(build.__name__) / "ws"
            built[build] = source, build(Cli(source, cli.env))
        source, made = built[build]
        shutil.copytree(source, cli.workspace)
        return made

    return copy


@pytest.fixture
def workspace(tmp_path: Path):
    """A workspace whose only plugin is the tests' own, registered directly."""
    from audit_bench.plugins.manager import load_plugins
    from audit_bench.services import Workspace

    registry = load_plugins(extra=[("mini", mini_plugin())], discover=list)
    return Workspace(tmp_path / "ws", registry=registry)


@pytest.fixture
def workspace_factory(tmp_path: Path):
    """Workspaces on the tests' `mini` and `essai` referentials (the TUI tests' own), with extra plugins."""
    from test_tui_journeys import make_workspace

    return lambda *extra: make_workspace(tmp_path, *extra)


@pytest.fixture(scope="session")
def demo_source(tmp_path_factory) -> Path:
    """A workspace holding the demo audits of every installed plugin, made once per run: use
    `demo_workspace_copy` to change one."""
    from audit_bench.services import Workspace
    from audit_bench.services.demo import load_demo

    path = tmp_path_factory.mktemp("demo-source") / "ws"
    load_demo(Workspace(path))
    return path


@pytest.fixture
def demo_workspace_copy(demo_source: Path, tmp_path: Path):
    """A fresh copy of the demo workspace (modes kept), for a test that changes it."""
    from audit_bench.services import Workspace

    return Workspace(Path(shutil.copytree(demo_source, tmp_path / "demo-ws")))
