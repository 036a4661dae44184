"""Shared by the benchmark scripts: alternating rounds and their ratios, the verdict line,
synthetic referentials, and an interpreter environment with compiled bytecode.

Every benchmark alternates its baseline and its measure (A, B, A, B…) so that both meet the same
machine weather, and states the ratio of each round: on a shared machine one long sample says
more about the neighbours than about the code. The verdict reads the median ratio; min and p95
show the spread.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from audit_bench.plugins import hookimpl
from audit_bench.plugins.manager import load_plugins
from audit_bench.referential import ReferentialTree, content_hash, load_referential
from audit_bench.services import Workspace

ROOT = Path(__file__).resolve().parent.parent
RESULTS_ENV = "AUDIT_BENCH_RESULTS"
"""When set, each verdict is also appended to this file as one JSON line (read by run_all.py)."""


@dataclass(frozen=True)
class Ratios:
    """Measured over baseline, one ratio per round, and the median of each side's samples."""

    ratios: list[float]
    baseline: float
    measured: float

    @classmethod
    def of(cls, pairs: list[tuple[float, float]]) -> "Ratios":
        """From (baseline, measured) pairs, one per round."""
        return cls([m / b for b, m in pairs], statistics.median(b for b, _ in pairs),
                   statistics.median(m for _, m in pairs))

    @property
    def min(self) -> float:
        return min(self.ratios)

    @property
    def median(self) -> float:
        return statistics.median(self.ratios)

    @property
    def p95(self) -> float:
        return percentile(self.ratios, 0.95)


def interleaved(baseline: Callable[[], float], measured: Callable[[], float], rounds: int,
                warmup: int = 1) -> Ratios:
    """Run `baseline` then `measured`, `rounds` times after `warmup` unrecorded rounds; each call
    returns its own measure (wall seconds, CPU seconds, a percentile of its samples)."""
    for _ in range(warmup):
        baseline()
        measured()
    return Ratios.of([(baseline(), measured()) for _ in range(rounds)])


def arguments(doc: str | None, rounds: int | None, workspace: bool = False) -> argparse.Namespace:
    """The options of the benchmarks: `--quick` (a smaller run), `--rounds N` where there are
    rounds (`--quick`: a third of them, at least 3) and, for those timed on the ten-year
    workspace, its path (built when omitted)."""
    parser = argparse.ArgumentParser(description=(doc or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smaller run, for a first look")
    if rounds is not None:
        parser.add_argument("--rounds", type=int, default=rounds, help=f"alternating rounds (default {rounds})")
    if workspace:
        parser.add_argument("workspace", nargs="?", type=Path,
                            help="the ten-year workspace (run_all.py builds it once); built here if omitted")
    options = parser.parse_args()
    if options.quick and rounds is not None:
        options.rounds = max(3, options.rounds // 3)
    return options


def timed(action: Callable[[], object], clock: Callable[[], float] = time.perf_counter) -> Callable[[], float]:
    """`action` as a measure: the time of one call on `clock`, in seconds. In-process measures
    of CPU-bound work pass `time.process_time`: CPU time ignores the neighbours' load."""
    def measure() -> float:
        start = clock()
        action()
        return clock() - start
    return measure


def command_time(command: list[str], env: dict[str, str] | None = None) -> Callable[[], float]:
    """A command as a measure: the wall time of one run, which must succeed."""
    return timed(lambda: subprocess.run(command, check=True, capture_output=True, env=env))


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def verdict(label: str, figure: str, ok: bool | None) -> bool:
    """Print `label: figure OK|OVER BUDGET` (or `reported` when there is no budget) and record it."""
    word = "reported" if ok is None else "OK" if ok else "OVER BUDGET"
    print(f"{label}: {figure} {word}", flush=True)
    results = os.environ.get(RESULTS_ENV)
    if results:
        with open(results, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"label": label, "figure": figure, "ok": ok}, ensure_ascii=False) + "\n")
    return ok is not False


def report_ratios(label: str, ratios: Ratios, budget: float | None, unit: str = "ms", scale: float = 1000) -> bool:
    """The verdict of a ratio budget, on the median of the per-round ratios; reported only when
    `budget` is None."""
    figure = (f"{ratios.median:.2f}× (min/median/p95 {ratios.min:.2f}/{ratios.median:.2f}/{ratios.p95:.2f} "
              f"over {len(ratios.ratios)} rounds; {ratios.measured * scale:.1f} vs {ratios.baseline * scale:.1f} "
              f"{unit}" + (f"; budget ≤ {budget}×)" if budget is not None else ")"))
    return verdict(label, figure, None if budget is None else ratios.median <= budget)


def report(label: str, value: float, baseline: float, budget: float, unit: str = "s") -> bool:
    """The verdict of one ratio of two values (benchmarks that compute their own statistic)."""
    ratio = value / baseline
    return verdict(label, f"{ratio:.2f}× ({value:.4f} vs {baseline:.4f} {unit}; budget ≤ {budget}×)",
                   ratio <= budget)


def synthetic_referential(folder: Path, items: int = 300, referential_id: str = "synth") -> Path:
    """A referential data file of `items` requirements in chapters of 30, with French text."""
    lines = [f"id: {referential_id}", f"title: Référentiel synthétique de {items} exigences", 'version: "1"',
             "metadata: {issuer: Banc d'essai}",
             "scale:",
             "  - {value: C, label: Conforme, score: 2}",
             "  - {value: P, label: Piste de progrès, score: 1}",
             "  - {value: E, label: Écart, score: 0, finding_class: mineur}",
             "finding_classes:",
             "  - {id: mineur, label: Écart mineur, severity: 1, requires_action: true}",
             "  - {id: sensible, label: Point sensible, severity: 0}",
             "nodes:"]
    for chapter in range(1, (items + 29) // 30 + 1):
        lines += [f'  - id: "{chapter}"', f"    title: Chapitre {chapter}", "    children:"]
        for item in range(1, min(30, items - 30 * (chapter - 1)) + 1):
            lines += [f'      - id: "{chapter}.{item}"', "        ratable: true",
                      f"        text: La structure démontre la maîtrise de l'exigence {chapter}.{item} "
                      "« preuves à l'appui », y compris pour les salariés en parcours."]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{referential_id}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def synthetic_tree(folder: Path, items: int, referential_id: str = "synth") -> ReferentialTree:
    """The synthetic referential loaded as a plugin's would be (frozen into workspaces that pin it)."""
    referential = load_referential(synthetic_referential(folder, items, referential_id))
    return ReferentialTree(referential, content_hash(referential))


def synthetic_workspace(workspace: Path, data_folder: Path) -> Workspace:
    """A workspace whose only plugin provides the 300-item synthetic referential `synth`."""
    data = synthetic_referential(data_folder)
    plugin = types.SimpleNamespace(referentials=hookimpl(lambda: [data]))
    return Workspace(workspace, registry=load_plugins(extra=[("synth", plugin)], discover=list))


def bytecode_env() -> dict[str, str]:
    """The environment of an installed copy: bytecode compiled (here, once, for the editable
    sources) and `PYTHONDONTWRITEBYTECODE` unset, so no run pays for compiling."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src"), str(ROOT / "plugins")],
                   check=False, env=env, capture_output=True)
    return env


WARM_RUNS = 12


def run_command(command: list[str], env: dict[str, str]) -> float:
    """Wall seconds of one whole command."""
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)
    return time.perf_counter() - start


def warm_until_stable(command: list[str], env: dict[str, str], indexes: list[Path]) -> None:
    """Run `command` until the index files it reads stop changing: entries of files written
    within the index's timestamp granularity (its racy window) are summarised again by the next
    reads, so right after a workspace is written the first runs still rebuild part of it."""
    for _ in range(WARM_RUNS):
        before = [index.stat().st_mtime_ns if index.exists() else None for index in indexes]
        run_command(command, env)
        if None not in before and [index.stat().st_mtime_ns for index in indexes] == before:
            return
        time.sleep(0.5)
    raise RuntimeError(f"{', '.join(map(str, indexes))} kept changing over {WARM_RUNS} runs")
