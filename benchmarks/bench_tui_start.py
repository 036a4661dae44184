"""TUI cold start to its first screen, headless, on the ten-year workspace, against a bare Textual
app showing one label (budget ≤ 1.3×).

Each run is a fresh interpreter (bytecode compiled first, as an installed copy has it). The clock
runs from spawning the process to the moment the app, driven by Textual's auto-pilot, has
processed its first screen and says so on stdout; the bare app and audit-bench alternate. The
workspace is the ten-year one (500 audits), listed from its index as a returning auditor sees it.

The process's own CPU time at that moment is reported beside it: on a machine shared with other
work the wall clock's ratio swings by ±0.2 from run to run, the CPU time's much less.
"""

from __future__ import annotations

import subprocess
import sys
import time

from common import Ratios, arguments, bytecode_env, interleaved, report_ratios
from tenyear import prepared

ROUNDS = 10
WARMUP = 2
BUDGET = 1.3

READY = '''
async def ready(pilot):
    await pilot.pause()
    print("ready", time.process_time(), describe(pilot.app), flush=True)
    pilot.app.exit()
'''

BARE = '''
import time
from textual.app import App
from textual.widgets import Label

class Bare(App):
    def compose(self):
        yield Label("audit-bench")

def describe(app):
    return "label"
''' + READY + '''
Bare().run(headless=True, auto_pilot=ready)
'''

AUDIT_BENCH = '''
import sys
import time
from pathlib import Path
from audit_bench.services import Workspace
from audit_bench.tui.app import AuditBenchApp

def describe(app):
    table = app.screen.query_one("#audits")
    return f"{type(app.screen).__name__} rows={table.row_count}"
''' + READY + '''
AuditBenchApp(Workspace(Path(sys.argv[1]))).run(headless=True, auto_pilot=ready)
'''


class Start:
    """One app's start as a measure; remembers what its first screen showed, and the CPU time
    each run had taken by then."""

    def __init__(self, code: str, args: list[str], env: dict[str, str]) -> None:
        self.command = [sys.executable, "-c", code, *args]
        self.env = env
        self.shown = ""
        self.cpu: list[float] = []

    def __call__(self) -> float:
        start = time.perf_counter()
        process = subprocess.Popen(self.command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   env=self.env)
        line = process.stdout.readline()
        elapsed = time.perf_counter() - start
        _, errors = process.communicate(timeout=120)
        if not line.startswith("ready"):
            raise RuntimeError(f"the app did not reach its first screen:\n{errors}")
        _, cpu, self.shown = line.strip().split(" ", 2)
        self.cpu.append(float(cpu))
        return elapsed


def main() -> int:
    options = arguments(__doc__, ROUNDS, workspace=True)
    env = bytecode_env()
    with prepared(options.workspace) as workspace:
        bare, ours = Start(BARE, [], env), Start(AUDIT_BENCH, [str(workspace)], env)
        ratios = interleaved(bare, ours, options.rounds, warmup=WARMUP)
        print(f"first screen: {ours.shown}", flush=True)
        ok = report_ratios("TUI start to first screen, ten-year workspace", ratios, BUDGET)
        report_ratios("TUI start to first screen, CPU time", Ratios.of(list(zip(bare.cpu, ours.cpu))[WARMUP:]), None)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
