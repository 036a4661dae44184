"""p99 of one durable rating save in a 300-item audit with 1,000 evidence rows, against the
minimal durable save of the same state in plain Python (json.dumps + temp + fsync + os.replace +
fsync of the folder, as DESIGN.md says). Budget: ≤ 2×.

Baseline (A) and measured (B) rounds alternate, A,B,A,B…, so both meet the same disk weather;
each round gives one ratio p99(B) / p99(A) over its saves, and the verdict reads the median of
those ratios (min/median/p95 printed).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

from common import Ratios, arguments, percentile, report_ratios, synthetic_workspace
from audit_bench.services.audits import audit_path, create_audit, open_audit

ROUNDS = 10
SAVES_PER_ROUND = 200
BUDGET = 2.0


def minimal_durable_save(path: Path, state: dict) -> None:
    temp = path.with_name(path.name + ".tmp")
    with open(temp, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(state))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)
    folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def baseline_round(path: Path, state: dict, first: int) -> list[float]:
    samples = []
    for n in range(first, first + SAVES_PER_ROUND):
        state["assessments"]["1"]["note"] = f"Constat révisé n° {n}"
        start = time.perf_counter()
        minimal_durable_save(path, state)
        samples.append(time.perf_counter() - start)
    return samples


def measured_round(session, requirements: list[str], first: int) -> list[float]:
    """Saves as the Parcours makes them: the rating, then the audit as it now is."""
    samples = []
    for n in range(first, first + SAVES_PER_ROUND):
        start = time.perf_counter()
        session.rate(requirements[n % 300], "CPE"[n % 3], f"Constat révisé n° {n}")
        session.snapshot()
        samples.append(time.perf_counter() - start)
    return samples


def main() -> int:
    options = arguments(__doc__, ROUNDS)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        workspace = synthetic_workspace(root / "ws", root)
        audit_id = create_audit(workspace, "synth", "Atelier du banc", "internal", None, "2026-11-22").id
        requirements = [node.id for node in workspace.referential("synth").ratable]
        assert len(requirements) == 300
        with open_audit(workspace, audit_id) as session:
            for n in range(1000):
                session.add_evidence(requirements[n % 300], f"Document {n}", "v1", "Classeur qualité")
            for requirement in requirements:
                session.rate(requirement, "C", "Constat initial")
            state = json.loads(audit_path(workspace, audit_id).read_text(encoding="utf-8"))
            plain = root / "baseline" / "plain.json"
            plain.parent.mkdir()
            pairs, measured_all, baseline_all = [], [], []
            for round_number in range(options.rounds):
                first = round_number * SAVES_PER_ROUND
                baseline = baseline_round(plain, state, first)
                measured = measured_round(session, requirements, first)
                pairs.append((percentile(baseline, 0.99), percentile(measured, 0.99)))
                measured_all += measured
                baseline_all += baseline
            size = plain.stat().st_size
    print(f"audit: 300 ratings, 1,000 evidence rows ({size:,} bytes); {options.rounds} rounds of "
          f"{SAVES_PER_ROUND} saves each side, alternating baseline and measured")
    print(f"pooled p99: {percentile(measured_all, 0.99) * 1000:.2f} ms vs baseline "
          f"{percentile(baseline_all, 0.99) * 1000:.2f} ms; pooled median: "
          f"{percentile(measured_all, 0.5) * 1000:.2f} ms vs {percentile(baseline_all, 0.5) * 1000:.2f} ms")
    ok = report_ratios("one durable rating save, p99 per round", Ratios.of(pairs), BUDGET)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
