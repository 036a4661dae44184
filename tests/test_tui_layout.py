"""The TUI's shape: only the Accueil loads at start, screens never import each other, the face
never imports the store (it catches what `services.errors` exports)."""

from __future__ import annotations

import ast
import asyncio
import subprocess
import threading
import sys
from pathlib import Path

import pytest

import audit_bench.tui

TUI = Path(audit_bench.tui.__file__).parent
SCREENS = sorted(path.stem for path in (TUI / "screens").glob("*.py") if path.stem != "__init__")


def loaded_after(module: str) -> set[str]:
    code = f"import sys, importlib; importlib.import_module({module!r}); print('\\n'.join(sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(result.stdout.split())


def module_level_imports(path: Path) -> set[str]:
    """Modules imported at a module's top level (imports inside functions are lazy: left out)."""
    names = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_only_the_home_screen_is_imported_at_start():
    loaded = loaded_after("audit_bench.tui.app")
    assert {m for m in loaded if m.startswith("audit_bench.tui.screens.")} == {"audit_bench.tui.screens.home"}
    assert not {m for m in loaded if m == "reportlab" or m.startswith("reportlab.")}


START_SERVICES = {f"audit_bench.services.{name}" for name in (
    "errors", "listing", "text", "validation", "workspace")} | {"audit_bench.services"}
"""The services the Accueil's first paint uses: listing the audits and the structures from the index."""

NOT_AT_START = {
    "tinydb", "yaml", "json", "audit_bench.store.storage", "audit_bench.store.document",
    "audit_bench.store.audit_file", "audit_bench.store.structure_file", "audit_bench.store.migrations",
    "audit_bench.referential.loader", "audit_bench.referential.schema", "audit_bench.referential.tree",
    "audit_bench.store.blobs", "hashlib", "secrets",
}
"""What a file's reading, the referentials and the evidence need (hashlib loads OpenSSL: 2–3 ms):
the Accueil lists from the index without them."""


def test_the_start_imports_only_the_services_of_the_first_screen():
    """The demo (and every register's services with it), the plan, the agenda, the review, the
    sessions and the rules come after the first paint: each one imported at start cost the start-up
    budget (14 ms for the demo; 27 ms for the sessions, the store's files and the loader)."""
    loaded = loaded_after("audit_bench.tui.app")
    assert {m for m in loaded if m.startswith("audit_bench.services")} - START_SERVICES == set()
    assert loaded & NOT_AT_START == set()


def test_a_returning_auditor_s_accueil_reads_no_audit_file(workspace_factory):
    """With the index warm, the Accueil is painted from it alone: the store's files, the rules
    and the referentials are not even imported (a file changed since would be, to summarise it)."""
    from test_tui_journeys import rated_audit

    from audit_bench.services import list_audits

    workspace = workspace_factory()
    rated_audit(workspace)
    list_audits(workspace)  # the index, as after a first start
    code = f"""
import sys
from pathlib import Path
import audit_bench.store.index
audit_bench.store.index.RACY_NS = 0  # the audit was written just now: trust its row all the same
from audit_bench.services import Workspace
from audit_bench.tui.app import AuditBenchApp

async def ready(pilot):
    await pilot.pause()
    print(pilot.app.screen.query_one("#audits").row_count, *sorted(set(sys.modules) & {NOT_AT_START!r}))
    pilot.app.exit()

AuditBenchApp(Workspace(Path({str(workspace.path)!r}))).run(headless=True, auto_pilot=ready)
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["1"]


def test_the_accueil_lists_audits_and_structures_from_one_read_of_the_index(workspace_factory, monkeypatch):
    asyncio.run(_one_read_of_the_index(workspace_factory, monkeypatch))


async def _one_read_of_the_index(workspace_factory, monkeypatch):
    import audit_bench.store.index as index
    from test_tui_journeys import SIZE, app_for, rated_audit

    workspace = workspace_factory()
    rated_audit(workspace)
    reads = []

    def read_raw(path: Path):
        if path.name == index.INDEX_NAME and threading.current_thread() is threading.main_thread():
            reads.append(path)  # the counts after the first paint are read in threads
        return original(path)

    original = index.read_raw
    monkeypatch.setattr(index, "read_raw", read_raw)
    async with app_for(workspace).run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert pilot.app.screen.query_one("#audits").row_count == 1
        assert pilot.app.screen.query_one("#structures").row_count == 1
        assert len(reads) == 1


@pytest.mark.parametrize("screen", SCREENS)
def test_a_screen_never_imports_another_screen_at_module_level(screen):
    imports = module_level_imports(TUI / "screens" / f"{screen}.py")
    assert not {name for name in imports if name.startswith("audit_bench.tui.screens")}


def test_widgets_and_helpers_never_import_a_screen():
    for path in TUI.rglob("*.py"):
        if path.parent.name != "screens" and path.name != "app.py":
            assert not {n for n in module_level_imports(path) if n.startswith("audit_bench.tui.screens")}, path


def test_the_tui_never_imports_the_store():
    for path in TUI.rglob("*.py"):
        imports = module_level_imports(path) | {
            node.module for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.ImportFrom) and node.module}
        assert not {name for name in imports if name.startswith("audit_bench.store")}, path


@pytest.mark.parametrize("compact", [False, True], ids=["wide", "compact"])
def test_home_columns_hold_a_three_digit_progress_unclipped(compact):
    """A 245-practice IAE OS grid fully rated: « 245/245 · 100 % » must not lose its « % »."""
    from audit_bench.services import AuditRow
    from audit_bench.tui.screens.home import COLUMNS, COMPACT_COLUMNS, HomeScreen

    row = AuditRow(id="a", referential="iae_os", org="Rebond Bois Services", siae_type="EI",
                   kind="renewal", date="2026-11-13", status="closed", assessed=999, total=999, open_findings=999)
    columns = COMPACT_COLUMNS if compact else COLUMNS
    cells = HomeScreen._cells(row, compact, org_width=20)[1:]
    for (label, width), cell in zip(columns, cells):
        assert len(str(cell)) <= width, f"{label}: « {cell} » clipped to {width}"


def test_the_collector_waits_for_the_first_paint_only_and_nothing_is_frozen(workspace_factory):
    asyncio.run(_collector_paused(workspace_factory))


async def _collector_paused(workspace_factory):
    import gc

    from test_tui_journeys import SIZE, app_for

    assert gc.isenabled()
    app = app_for(workspace_factory())
    assert not gc.isenabled()  # from the app's start to its first frame
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert gc.isenabled()
    closed_early = app_for(workspace_factory())
    async with closed_early.run_test(size=SIZE):
        pass
    assert gc.isenabled() and gc.get_freeze_count() == 0
