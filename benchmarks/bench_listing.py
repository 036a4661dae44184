"""Listing 5,000 audits against listing 50, from a warm index (budget ≤ 2×), through the CLI."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from common import bytecode_env, report, synthetic_referential, wall_time

RUNS = 7


def fill(workspace: Path, template: Path, count: int) -> None:
    """`count` copies of one real audit file, each under its own id (creating 5,000 through the
    services would only time fsync)."""
    document = json.loads(template.read_text(encoding="utf-8"))
    for n in range(count):
        audit_id = f"2026-01-01-copie-{n:05d}"
        document["header"]["1"]["id"] = audit_id
        (workspace / f"{audit_id}.json").write_text(json.dumps(document), encoding="utf-8")


def main() -> int:
    env = bytecode_env()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        site = root / "site"
        site.mkdir()
        data = synthetic_referential(root)
        (site / "audit_bench_synth.py").write_text(
            "from pathlib import Path\nfrom audit_bench.plugins import hookimpl\n"
            f"@hookimpl\ndef referentials():\n    return [Path({str(data)!r})]\n", encoding="utf-8")
        info = site / "audit_bench_synth-1.0.dist-info"
        info.mkdir()
        (info / "METADATA").write_text("Metadata-Version: 2.1\nName: audit_bench_synth\nVersion: 1.0\n")
        (info / "entry_points.txt").write_text("[audit_bench]\nsynth = audit_bench_synth\n")
        env["PYTHONPATH"] = str(site)
        seed = root / "seed"
        command = [sys.executable, "-m", "audit_bench", "--workspace"]
        wall_time(command + [str(seed), "new", "--referential", "synth", "--org", "Modèle", "--kind",
                             "internal", "--date", "2026-01-01"], 1, env)
        [template] = [p for p in seed.glob("*.json") if p.name != "index.json"]
        timings = {}
        for count in (50, 5000):
            workspace = root / f"ws{count}"
            workspace.mkdir()
            (workspace / "referentials").mkdir()
            for frozen in (seed / "referentials").iterdir():
                (workspace / "referentials" / frozen.name).write_bytes(frozen.read_bytes())
            fill(workspace, template, count)
            listing = command + [str(workspace), "audits", "--json"]
            wall_time(listing, 1, env)  # builds the index once
            timings[count] = wall_time(listing, RUNS, env)
    ok = report("audits --json, 5,000 audits vs 50 (warm index, median)", timings[5000], timings[50], 2.0)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
