"""`audit-bench --help` wall time against `python -c "import textual"` (budget ≤ 1.5×)."""

from __future__ import annotations

import sys

from common import bytecode_env, report, wall_time

RUNS = 15


def main() -> int:
    env = bytecode_env()
    wall_time([sys.executable, "-c", "import textual"], 3, env)  # warm the page cache and bytecode
    baseline = wall_time([sys.executable, "-c", "import textual"], RUNS, env)
    measured = wall_time([sys.executable, "-m", "audit_bench", "--help"], RUNS, env)
    ok = report("audit-bench --help (median of %d)" % RUNS, measured, baseline, 1.5)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
