"""Listing with structures: `audits --json` on 5,000 audits of 500 structures against 50 audits of
5 (budget ≤ 2×), and `structures --json` on 500 structures against 5 (budget ≤ 2×).

Both are whole `audit-bench` processes from a warm index, measured in interleaved rounds
(baseline, measured, baseline, …); each figure is the min / median / p95 of the per-round ratios.
The in-process listing times are printed for information.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import msgspec

from common import arguments, bytecode_env, percentile, run_command, synthetic_workspace, warm_until_stable

from audit_bench.services.audits import create_audit, open_audit
from audit_bench.services.listing import list_audits
from audit_bench.services.structures import list_structures
from audit_bench.services.workspace import Workspace
from audit_bench.store.migrations import STRUCTURE_FORMATS

BUDGET = 2.0
AUDITS_PER_STRUCTURE = 10


def template_audit(root: Path) -> tuple[dict, Path]:
    """One real audit file with ratings, écarts and actions (some overdue), and its workspace."""
    workspace = synthetic_workspace(root / "seed", root)
    header = create_audit(workspace, "synth", "Modèle", "internal", None, "2026-01-01", ["Claire"])
    with open_audit(workspace, header.id) as session:
        for n in range(1, 31):
            session.rate(f"1.{n}", "CPE"[n % 3], f"Constat {n}")
        for n, due in enumerate(("2025-06-30", "2026-06-30", "2027-06-30", "2028-06-30"), start=1):
            finding = session.add_finding(f"2.{n}", "mineur", f"Écart {n}")
            session.add_action(finding.id, f"Action {n}", "Direction", due)
    return msgspec.json.decode((workspace.path / f"{header.id}.json").read_bytes()), workspace.path


def fill(folder: Path, seed: Path, template: dict, structures: int) -> None:
    """`structures` structure files and ten audits of each, written in the store's format."""
    (folder / "structures").mkdir(parents=True)
    (folder / "referentials").mkdir()
    for frozen in (seed / "referentials").iterdir():
        (folder / "referentials" / frozen.name).write_bytes(frozen.read_bytes())
    for s in range(structures):
        structure_id = f"structure-{s:04d}"
        record = {"id": structure_id, "name": f"Structure d'insertion n° {s}", "siae_type": None, "siret": None,
                  "place": "", "created_at": "2026-01-01T00:00:00+01:00"}
        certification = {"referential": "synth", "body": "AFNOR Certification", "number": f"C-{s}",
                         "issued": "2025-01-01", "valid_until": "2027-12-31"}
        document = {"meta": {"1": STRUCTURE_FORMATS.meta()}, "record": {"1": record}, "people": {},
                    "certifications": {"1": certification}}
        (folder / "structures" / f"{structure_id}.json").write_bytes(msgspec.json.encode(document))
        for a in range(AUDITS_PER_STRUCTURE):
            audit_id = f"2026-01-01-copie-{s:04d}-{a:02d}"
            template["header"]["1"].update(id=audit_id, structure=structure_id, org=record["name"])
            (folder / f"{audit_id}.json").write_bytes(msgspec.json.encode(template))


def warm(command: list[str], env: dict[str, str]) -> None:
    warm_until_stable(command, env, [Path(command[command.index("--workspace") + 1]) / "index.json"])


def interleaved(baseline: list[str], measured: list[str], rounds: int, env: dict[str, str]) -> list[float]:
    """Per-round ratios measured / baseline, the two run back to back in each round."""
    warm(baseline, env), warm(measured, env)
    return [run_command(measured, env) / run_command(baseline, env) for _ in range(rounds)]


def verdict(label: str, ratios: list[float]) -> bool:
    worst = percentile(ratios, 0.95)
    ok = statistics.median(ratios) <= BUDGET
    print(f"{label}: ratio min {min(ratios):.2f} / median {statistics.median(ratios):.2f} / p95 {worst:.2f} "
          f"(budget ≤ {BUDGET}, on the median) {'OK' if ok else 'OVER BUDGET'}")
    return ok


def in_process(path: Path) -> tuple[float, float]:
    """Warm in-process times of `list_audits` and `list_structures` (median of 5, ms)."""
    workspace = Workspace(path)
    audits, structures = [], []
    for _ in range(5):
        start = time.perf_counter()
        list_audits(workspace)
        audits.append(time.perf_counter() - start)
        start = time.perf_counter()
        list_structures(workspace)
        structures.append(time.perf_counter() - start)
    return statistics.median(audits) * 1000, statistics.median(structures) * 1000


def main() -> int:
    rounds = arguments(__doc__, 15).rounds
    env = bytecode_env()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        template, seed = template_audit(root)
        small, large = root / "ws5", root / "ws500"
        fill(small, seed, template, 5)
        fill(large, seed, template, 500)
        cli = [sys.executable, "-m", "audit_bench", "--workspace"]
        listing = interleaved(cli + [str(small), "audits", "--json"], cli + [str(large), "audits", "--json"],
                              rounds, env)
        structures = interleaved(cli + [str(small), "structures", "--json"],
                                 cli + [str(large), "structures", "--json"], rounds, env)
        shown = json.loads(subprocess.run(cli + [str(large), "structures", "--json"], check=True, capture_output=True,
                                          env=env).stdout)
        assert len(shown["structures"]) == 500 and shown["structures"][0]["audits"] == AUDITS_PER_STRUCTURE
        small_ms, large_ms = in_process(small), in_process(large)
    ok = verdict(f"audits --json, 5,000 audits of 500 structures vs 50 of 5 (warm, {rounds} rounds)", listing)
    ok &= verdict(f"structures --json, 500 structures vs 5 (warm, {rounds} rounds)", structures)
    print(f"in process, warm: list_audits {large_ms[0]:.1f} ms vs {small_ms[0]:.1f} ms; "
          f"list_structures {large_ms[1]:.1f} ms vs {small_ms[1]:.1f} ms (information)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
