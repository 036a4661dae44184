"""The audit report PDF at 1,000 items against the same report at 100 items (budget ≤ 3×), and at
300 items (reported).

The audits are fully rated on synthetic referentials of 100, 300 and 1,000 requirements, with
constats of varying length, evidence rows, and écarts with actions (benchmarks/tenyear.py).

- The budget is read on the whole `audit-bench report` command, what an auditor waits for: wall
  time, the small and the large report alternating.
- In process (`services.reporting.build_report`, CPU seconds, fonts and plugins loaded once as in
  a session) the figure is reported with the fixed and per-item costs it implies: a report's
  work grows with its items (every row is measured and drawn), and a warm 100-item report has
  almost no fixed part left, so this ratio stays near the ratio of items whatever the per-item
  cost; it is the figure to watch for the per-item cost.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from common import (
    Ratios, arguments, bytecode_env, command_time, interleaved, report_ratios, synthetic_tree, timed, verdict,
)
from tenyear import TODAY, Contents, write_audit
from audit_bench.services import Workspace, open_audit
from audit_bench.services.reporting import build_report

ROUNDS = 6
BUDGET = 3.0
SIZES = (100, 300, 1000)


def rated_audit(workspace: Workspace, items: int) -> str:
    """A fully rated audit of `items` requirements, with evidence, écarts and actions."""
    tree = synthetic_tree(workspace.path.parent / "data", items, f"synth{items}")
    contents = Contents(ratings=items, evidence=items // 2, findings=items // 20, actions=items // 10)
    return write_audit(workspace, tree, "Ressourcerie du Port", None, TODAY, "internal", contents,
                       random.Random(items)).id


def in_process(workspace: Workspace, audit_id: str, output: Path):
    """A measure: building the report in this process, in CPU seconds."""
    def build() -> None:
        with open_audit(workspace, audit_id, write=False) as session:
            build_report(workspace, session, output, today=date(2026, 7, 1), force=True)
    return timed(build, time.process_time)


def whole_command(workspace: Workspace, audit_id: str, output: Path, env: dict[str, str]):
    """A measure: `audit-bench report` in its own interpreter, in wall seconds."""
    return command_time([sys.executable, "-m", "audit_bench", "--workspace", str(workspace.path), "report",
                         audit_id, "-o", str(output), "--force"], env)


def cost_split(ratios: Ratios, items: tuple[int, int]) -> str:
    """The fixed cost and the cost per item that the medians of two sizes imply (a straight line
    through them)."""
    per_item = (ratios.measured - ratios.baseline) / (items[1] - items[0])
    return f"{(ratios.baseline - per_item * items[0]) * 1000:.0f} ms fixed + {per_item * 1000:.2f} ms per item"


def main() -> int:
    options = arguments(__doc__, ROUNDS)
    env = bytecode_env()
    with tempfile.TemporaryDirectory() as folder:
        workspace = Workspace(Path(folder) / "ws")
        workspace.path.mkdir()
        audits = {items: rated_audit(workspace, items) for items in SIZES}
        output = {items: Path(folder) / f"{items}.pdf" for items in SIZES}
        command = {items: whole_command(workspace, audits[items], output[items], env) for items in SIZES}
        ok = report_ratios("audit report PDF, 1,000 items vs 100 (whole `report` command)",
                           interleaved(command[100], command[1000], options.rounds), BUDGET)
        report_ratios("audit report PDF, 300 items vs 100 (whole `report` command)",
                      interleaved(command[100], command[300], options.rounds), None)
        measure = {items: in_process(workspace, audits[items], output[items]) for items in SIZES}
        measure[100]()  # reportlab, fonts and plugins loaded once, as in a session
        large = interleaved(measure[100], measure[1000], options.rounds, warmup=0)
        report_ratios("audit report PDF, 1,000 items vs 100 (in process, CPU)", large, None)
        middle = interleaved(measure[100], measure[300], options.rounds, warmup=0)
        report_ratios("audit report PDF, 300 items vs 100 (in process, CPU)", middle, None)
        verdict("audit report PDF, cost in process (CPU)",
                f"{cost_split(large, (100, 1000))}, from the medians at 100 and 1,000 items", None)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
