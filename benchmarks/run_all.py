"""Every budget of DESIGN.md measured in one run, one verdict line per figure.

Builds the ten-year workspace once (benchmarks/tenyear.py), runs each benchmark in its own
interpreter (none inherits another's imports, caches or audit hooks; those that time the TUI get
the ten-year workspace), then prints the figures in the order of DESIGN.md's table:
`[OK]`, `[OVER]`, `[..]` reported (no budget), `[--]` not built yet, `[!!]` the benchmark failed.
Exits 1 when a built budget is over or a benchmark failed.

    python benchmarks/run_all.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from common import RESULTS_ENV, bytecode_env
from tenyear import build
from audit_bench.services import Workspace, list_audits

HERE = Path(__file__).resolve().parent
TAGS = {True: "[OK]  ", False: "[OVER]", None: "[..]  "}


@dataclass(frozen=True)
class Bench:
    budget: str
    """DESIGN.md's row, named when the feature is not built yet."""
    script: str | None = None
    ten_year: bool = False
    """Takes the ten-year workspace's path."""


BENCHES = [
    Bench("audit-bench --help wall time", "bench_cli_start.py"),
    Bench("TUI cold start, ten-year workspace", "bench_tui_start.py", ten_year=True),
    Bench("one rating saved durably", "bench_save.py"),
    Bench("audit report PDF, fully rated IAE OS", "bench_report.py"),
    Bench("listing 5,000 audits vs 50, and cold", "bench_listing.py"),
    Bench("CPU per key in the Parcours", "bench_parcours_keys.py", ten_year=True),
    Bench("audit report PDF at 1,000 items vs 100", "bench_report_scale.py"),
    Bench("structures --json on 500 structures vs 5; listing 5,000 audits of 500 structures",
          "bench_structures.py"),
    Bench("plan --json over 2,000 audits and 200 structures vs 20 audits; cold rebuild", "bench_plan.py"),
    Bench("bilan annuel PDF, 3 years of records, vs the IAE OS audit report", "bench_review.py"),
    Bench("DOCX of the IAE OS audit vs its PDF; XLSX export vs its PDF", "bench_exchange.py"),
    Bench("TUI memory after opening and closing 200 audits", "bench_tui_memory.py", ten_year=True),
]


@dataclass(frozen=True)
class Line:
    tag: str
    text: str

    @property
    def failed(self) -> bool:
        return self.tag in ("[OVER]", "[!!]  ")


def run(bench: Bench, ten_year: Path, quick: bool, env: dict[str, str], results: Path) -> list[Line]:
    """Run one benchmark script, echo its output, and read its verdicts."""
    command = [sys.executable, str(HERE / bench.script)]
    command += ["--quick"] if quick else []
    command += [str(ten_year)] if bench.ten_year else []
    start = time.perf_counter()
    process = subprocess.run(command, capture_output=True, text=True, env={**env, RESULTS_ENV: str(results)},
                             cwd=HERE.parent)
    print(f"--- {bench.script} ({time.perf_counter() - start:.0f} s, exit {process.returncode})", flush=True)
    print(process.stdout.rstrip(), flush=True)
    lines = [Line(TAGS[record["ok"]], f"{record['label']}: {record['figure']}") for record in records(results)]
    lines = lines or stdout_verdicts(process.stdout)
    if process.returncode != 0 and not any(line.failed for line in lines):
        problem = (process.stderr.strip().splitlines() or ["no message"])[-1]
        lines.append(Line("[!!]  ", f"{bench.script} failed (exit {process.returncode}): {problem}"))
    return lines


def records(results: Path) -> list[dict]:
    if not results.exists():
        return []
    return [json.loads(line) for line in results.read_text(encoding="utf-8").splitlines() if line.strip()]


def stdout_verdicts(stdout: str) -> list[Line]:
    """The verdicts of a script that prints its own (`… OK` or `… OVER BUDGET` at the end of a line)."""
    lines = []
    for line in stdout.splitlines():
        if line.endswith(" OVER BUDGET"):
            lines.append(Line("[OVER]", line.removesuffix(" OVER BUDGET")))
        elif line.endswith(" OK"):
            lines.append(Line("[OK]  ", line.removesuffix(" OK")))
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds in every benchmark that has rounds")
    options = parser.parse_args()
    began = time.perf_counter()
    env = bytecode_env()
    summary: list[Line] = []
    with tempfile.TemporaryDirectory() as folder:
        ten_year = Path(folder) / "ten-year"
        start = time.perf_counter()
        built = build(ten_year)
        written = time.perf_counter() - start
        start = time.perf_counter()
        list_audits(Workspace(ten_year))
        print(f"ten-year workspace: {built.describe()}; written in {written:.1f} s, first listing "
              f"(index built from the files) {time.perf_counter() - start:.1f} s", flush=True)
        for n, bench in enumerate(BENCHES):
            if bench.script is None:
                summary.append(Line("[--]  ", f"{bench.budget}: not built yet"))
                continue
            summary += run(bench, ten_year, options.quick, env, Path(folder) / f"results-{n}.jsonl")
    print(f"\n=== Budgets of DESIGN.md ({'quick' if options.quick else 'full'} run, "
          f"{time.perf_counter() - began:.0f} s, {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f}) ===")
    for line in summary:
        print(f"{line.tag} {line.text}")
    return 1 if any(line.failed for line in summary) else 0


if __name__ == "__main__":
    sys.exit(main())
