"""The improvement plan: `plan --json` over 2,000 audits and 200 structures (40,000 actions) against
20 audits of 2 structures (400 actions), warm index (budget ≤ 2×); the cold rebuild (plan indexes
deleted) and `plan --json --all` (the finished actions too) are reported.

Both are whole `audit-bench` processes, measured in interleaved rounds (baseline, measured, …);
the figure is the min / median / p95 of the per-round ratios. A ten-year workspace: of each
structure's ten audits, the eight older ones have every action done and verified effective; the
two recent ones hold 18 actions in every state (todo, in progress, postponed, done, verified
effective or not); each structure holds 20 actions on écarts of other sources, half finished.
Files are written in the store's format, from files the services made.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import msgspec

from common import (
    arguments, bytecode_env, interleaved, report_ratios, run_command, synthetic_workspace, verdict,
    warm_until_stable,
)

from audit_bench.services.audits import create_audit, open_audit
from audit_bench.services.plan import add_ecart, open_holder
from audit_bench.services.structures import create_structure
from audit_bench.store.index import PLAN_HISTORY_NAME, PLAN_INDEX_NAME

BUDGET = 2.0
AUDITS_PER_STRUCTURE = 10
COLD_ROUNDS = 3


def _treat(session, finding_id: str, n: int, finished: bool) -> None:
    """Three actions on an écart: all done and verified effective when `finished`, else in the
    states a plan holds."""
    for k, due in enumerate((f"20{20 + n % 9}-0{1 + n % 9}-15", "2026-12-31", "2031-06-30")):
        action = session.add_action(finding_id, f"Action {n}.{k} : mettre à jour la procédure", f"Responsable {k}",
                                    due, ("corrective", "preventive", "curative")[k])
        if finished or k == 0:
            session.update_action(action.id, status="done")
            session.update_action(action.id, verified_by="Claire Martin", effective=finished or n % 2 == 0)
        elif k == 1:
            session.update_action(action.id, due="2027-03-31", reason="Prestataire indisponible")
            session.update_action(action.id, status="in-progress")


def templates(root: Path) -> tuple[dict, dict, dict, Path]:
    """A recent and a finished audit file with 18 actions each, and a structure file with 20
    (half finished), made by the services."""
    workspace = synthetic_workspace(root / "seed", root)
    audits = []
    for finished in (False, True):
        header = create_audit(workspace, "synth", "Modèle", "internal", None, "2026-01-01", ["Claire"])
        with open_audit(workspace, header.id) as session:
            for n in range(1, 31):
                session.rate(f"1.{n}", "CPE"[n % 3], f"Constat {n}")
            for n in range(1, 7):
                finding = session.add_finding(f"2.{n}", "mineur", f"Écart {n} : la procédure n'est pas suivie")
                _treat(session, finding.id, n, finished)
        audits.append(msgspec.json.decode((workspace.path / f"{header.id}.json").read_bytes()))
    structure = create_structure(workspace, "Modèle de structure", None)
    for n in range(1, 11):
        finding = add_ecart(workspace, structure.id, ("autre", "reclamation", "controle")[n % 3],
                            f"Écart {n} constaté hors audit", ref=f"R-{n}")
        with open_holder(workspace, structure.id) as session:
            for k in range(2):
                action = session.add_action(finding.id, f"Action {n}.{k}", "Direction", f"2026-{1 + n % 12:02d}-28")
                if n % 2:
                    session.update_action(action.id, status="done", verified_by="Claire", effective=True)
    record = msgspec.json.decode((workspace.path / "structures" / f"{structure.id}.json").read_bytes())
    return audits[0], audits[1], record, workspace.path


def fill(folder: Path, seed: Path, recent: dict, finished: dict, record: dict, structures: int) -> None:
    """`structures` structure files, ten audits of each (the two latest recent), in the store's format."""
    (folder / "structures").mkdir(parents=True)
    (folder / "referentials").mkdir()
    for frozen in (seed / "referentials").iterdir():
        (folder / "referentials" / frozen.name).write_bytes(frozen.read_bytes())
    for s in range(structures):
        structure_id = f"structure-{s:04d}"
        name = f"Structure d'insertion n° {s}"
        record["record"]["1"].update(id=structure_id, name=name)
        (folder / "structures" / f"{structure_id}.json").write_bytes(msgspec.json.encode(record))
        for a in range(AUDITS_PER_STRUCTURE):
            audit = recent if a >= AUDITS_PER_STRUCTURE - 2 else finished
            audit_id = f"20{16 + a}-01-01-copie-{s:04d}-{a:02d}"
            audit["header"]["1"].update(id=audit_id, structure=structure_id, org=name, date=audit_id[:10])
            (folder / f"{audit_id}.json").write_bytes(msgspec.json.encode(audit))


def warm(command: list[str], env: dict[str, str]) -> None:
    folder = Path(command[command.index("--workspace") + 1])
    warm_until_stable(command, env, [folder / PLAN_INDEX_NAME, folder / PLAN_HISTORY_NAME])


def cold(command: list[str], env: dict[str, str]) -> float:
    """Median time of `command` with the plan's indexes deleted before each run."""
    folder = Path(command[command.index("--workspace") + 1])
    times = []
    for _ in range(COLD_ROUNDS):
        for name in (PLAN_INDEX_NAME, PLAN_HISTORY_NAME):
            (folder / name).unlink(missing_ok=True)
        times.append(run_command(command, env))
    return statistics.median(times)


def main() -> int:
    rounds = arguments(__doc__, 15).rounds
    env = bytecode_env()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        recent, finished, record, seed = templates(root)
        small, large = root / "ws20", root / "ws2000"
        fill(small, seed, recent, finished, record, 2)
        fill(large, seed, recent, finished, record, 200)
        cli = [sys.executable, "-m", "audit_bench", "--workspace"]
        baseline, measured = cli + [str(small), "plan", "--json"], cli + [str(large), "plan", "--json"]
        everything = measured + ["--all"]
        rebuild = cold(everything, env)
        warm(baseline + ["--all"], env), warm(everything, env)
        plan = json.loads(subprocess.run(everything, check=True, capture_output=True, env=env).stdout)
        assert len(plan["actions"]) == 40_000 and not plan["errors"], (len(plan["actions"]), plan["errors"][:1])
        listed = subprocess.run(measured, check=True, capture_output=True, env=env).stdout
        to_follow = len(json.loads(listed)["actions"])
        ratios = interleaved(lambda: run_command(baseline, env), lambda: run_command(measured, env), rounds)
        history = statistics.median(run_command(everything, env) for _ in range(COLD_ROUNDS))
    ok = report_ratios(f"plan --json, 2,000 audits and 200 structures (40,000 actions, {to_follow:,} to follow) "
                       f"vs 20 audits (warm, {rounds} rounds)", ratios, BUDGET)
    verdict("plan --json --all, the 40,000 actions (warm)", f"{history:.2f} s (median of {COLD_ROUNDS})", None)
    verdict("plan --json --all, 2,000 audits and 200 structures, plan indexes deleted (cold rebuild)",
            f"{rebuild:.2f} s (median of {COLD_ROUNDS})", None)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
