"""Helpers shared by the tests (importable: `tests` is on pytest's pythonpath)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any, Callable

import msgspec

from audit_bench.store.migrations import AUDIT_FORMATS

DATA = Path(__file__).parent / "data"
MINI_YAML = DATA / "mini.yaml"

MINI_PLUGIN = f'''
"""The tests' own referential plugin."""
from pathlib import Path
from audit_bench.plugins import hookimpl
from audit_bench.model import DemoAudit, DemoRating, DemoFinding, DemoAction, DemoEvidence

@hookimpl
def referentials():
    return [Path({str(MINI_YAML)!r})]

@hookimpl
def demo_audits():
    return [DemoAudit(referential="mini", org="Atelier de démonstration", siae_type="ACI",
                      kind="internal", date="2026-10-01", auditors=["Claire Martin"],
                      ratings=[DemoRating(requirement="1.1", rating="C", note="Livret remis."),
                               DemoRating(requirement="2.1", rating="E", note="Registre absent.")],
                      evidence=[DemoEvidence(requirement="1.1", title="Livret d'accueil", version="2026")],
                      findings=[DemoFinding(requirement="2.1", class_="mineur", text="Pas de registre.",
                                            actions=[DemoAction(text="Créer le registre", owner="Direction",
                                                                due="2026-12-31")])])]
'''


def write_distribution(site: Path, dist: str, module: str, source: str, entry_name: str) -> None:
    """Install a plugin the way pip would, as far as entry points go: a module and its dist-info."""
    (site / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    info = site / f"{dist}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[audit_bench]\n{entry_name} = {module}\n", encoding="utf-8")



def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under `folder` with the hash of its bytes, to prove nothing changed."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def data_digest(folder: Path) -> dict[str, str]:
    """`tree_digest` of the data files alone: not the locks nor the indexes (index.json,
    plan-index.json: caches that a read may refresh), to prove a refused command changed nothing."""
    return {name: sha for name, sha in tree_digest(folder).items() if not name.endswith((".lock", "index.json"))}


def mini_plugin() -> ModuleType:
    """The tests' plugin as a module object, for registries built directly (no entry point)."""
    namespace: dict = {}
    exec(compile(MINI_PLUGIN, "audit_bench_mini", "exec"), namespace)
    module = type(sys)("audit_bench_mini")
    module.__dict__.update(namespace)
    return module


def run_cli(workspace: Path | None, *args: str, check: bool = True, env: dict[str, str] | None = None,
            **options: Any) -> subprocess.CompletedProcess:
    """`audit-bench [--workspace WORKSPACE] ARGS…` through `python -m audit_bench`, as a user runs it:
    the one CLI runner of the core and plugin tests. A str argument holding surrogates reaches the
    command as the bytes they escape (`"\\udcff"` is the byte 0xFF); output is text, undecodable
    bytes kept as surrogates. `env` replaces the environment (default: this one, less
    $AUDIT_BENCH_WORKSPACE); `options` go to `subprocess.run` (cwd, stdout, user…). `check`: fail
    the test, with stderr, if the command fails."""
    if env is None:
        env = {name: value for name, value in os.environ.items() if name != "AUDIT_BENCH_WORKSPACE"}
    where = [] if workspace is None else ["--workspace", str(workspace)]
    options.setdefault("stdout", subprocess.PIPE)
    result = subprocess.run([sys.executable, "-m", "audit_bench", *where, *args], stderr=subprocess.PIPE,
                            encoding="utf-8", errors="surrogateescape", env=env, timeout=120, **options)
    if check and result.returncode != 0:
        raise AssertionError(f"audit-bench {' '.join(args)} failed ({result.returncode}):\n{result.stderr}")
    return result


@dataclass
class Cli:
    """The CLI on one workspace, in one environment (e.g. with the tests' plugin installed; None:
    `run_cli`'s default)."""

    workspace: Path
    env: dict[str, str] | None = None

    def __call__(self, *args: str, check: bool = True, **options: Any) -> subprocess.CompletedProcess:
        return run_cli(self.workspace, *args, check=check, env=self.env, **options)


def mini_env(site: Path) -> dict[str, str]:
    """This environment with the plugins installed in `site` (see `write_distribution`)."""
    env = {name: value for name, value in os.environ.items() if name != "AUDIT_BENCH_WORKSPACE"}
    env["PYTHONPATH"] = os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])
    return env


def write_older_format(path, monkeypatch) -> bytes:
    """Turn the audit at `path` into an older format (the note was called "constat") and make
    the store one format newer, with the step that renames the field."""
    old = msgspec.json.decode(path.read_bytes())
    old["assessments"] = {"1": {"requirement": "1.1", "rating": "C", "constat": "vu", "at": "2026-11-20T10:00:00"}}
    old_bytes = msgspec.json.encode(old)
    path.write_bytes(old_bytes)

    def rename_note_field(document):
        for row in document["assessments"].values():
            row["note"] = row.pop("constat")
        return document

    monkeypatch.setitem(AUDIT_FORMATS.steps, AUDIT_FORMATS.current, rename_note_field)
    monkeypatch.setattr(AUDIT_FORMATS, "current", AUDIT_FORMATS.current + 1)
    return old_bytes


def as_before(now, before):
    """`now` restricted to the keys the release printed: later releases may add keys, never drop."""
    if isinstance(before, dict) and isinstance(now, dict):
        return {k: as_before(now.get(k), v) for k, v in before.items()}
    if isinstance(before, list) and isinstance(now, list) and len(now) == len(before):
        return [as_before(n, b) for n, b in zip(now, before)]
    return now


async def until(pilot: Any, condition: Callable[[], bool], what: str, timeout: float = 5.0) -> None:
    """Let the app run until `condition()` holds (work done in a thread, a debounced search),
    rather than for a fixed delay: as short as the machine allows, as long as it needs."""
    for _ in range(int(timeout / 0.02)):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"never happened: {what}")


def tab_app(tab: Any, today: Callable[[], date] = date.today) -> Any:
    """An app holding one register tab alone, as the Registres area holds it, on the day `today`."""
    from textual.app import App, ComposeResult

    class TabApp(App):
        def compose(self) -> ComposeResult:
            yield tab

        def on_mount(self) -> None:
            tab.focus_main()

    app = TabApp()
    app.today = today
    app.tab = tab
    return app
