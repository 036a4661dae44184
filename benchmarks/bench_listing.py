"""Listing 5,000 audits against listing 50 (budget ≤ 2×: the index, not the files), and the cold
listing with the index deleted (reported; each file read once, no TinyDB `Document` per row).

The audits are generated (benchmarks/tenyear.py) with modest content, 30 ratings each. Warm means
an index every row of which is trusted: the files are left alone for the index's racy window
(`store.index.RACY_NS`) and listed again before timing, else rows of files written in the last
two seconds would be summarised anew at each listing. Warm, the listing is timed twice,
alternating 50 and 5,000:
- as a whole process (`audits --json`, mostly interpreter start): the budget;
- in process (`services.list_audits`, the listing itself, in CPU seconds: the machine is
  shared): reported, as it cannot be within 2×: it decodes one index row and takes one `lstat`
  per audit (see `store.index`), a hundred times more work at 5,000 audits than at 50.
Cold, the index is deleted before each run; then one last in-process cold listing counts how
often each audit file is opened and how many TinyDB `Document`s are built.
"""

from __future__ import annotations

import collections
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import tinydb.table

from common import arguments, bytecode_env, command_time, interleaved, report_ratios, timed, verdict
from tenyear import build
from audit_bench.services import Workspace, list_audits
from audit_bench.store.index import INDEX_NAME, RACY_NS

ROUNDS = 7
COLD_ROUNDS = 2
BUDGET = 2.0
LARGE = 5000
SIZES = dict(ratings=30, evidence=10, findings=2, actions=4, structures=500)


def settle(*workspaces: Path) -> None:
    """Build each index, let the files' racy window pass, then list again: every row trusted."""
    for workspace in workspaces:
        list_audits(Workspace(workspace))
    time.sleep(RACY_NS / 1e9 + 0.1)
    for workspace in workspaces:
        list_audits(Workspace(workspace))


def cold(workspace: Path, measure) -> float:
    """One listing after deleting the index, so that it is rebuilt from the audit files."""
    (workspace / INDEX_NAME).unlink(missing_ok=True)
    return measure()


def count_reads(workspace: Path) -> tuple[float, int]:
    """Opens per audit file and TinyDB Documents built, during one cold listing in this process.
    Installs an audit hook for good: call it last."""
    opened: collections.Counter[str] = collections.Counter()
    documents = [0]
    folder = str(workspace)

    def hook(event: str, args: tuple) -> None:
        if event == "open" and isinstance(args[0], (str, os.PathLike)):
            path = os.fspath(args[0])
            if path.endswith(".json") and os.path.dirname(path) == folder and not path.endswith(INDEX_NAME):
                opened[path] += 1

    original = tinydb.table.Document.__init__

    def counting(self, *args, **kwargs) -> None:
        documents[0] += 1
        original(self, *args, **kwargs)

    sys.addaudithook(hook)
    tinydb.table.Document.__init__ = counting
    try:
        cold(workspace, lambda: list_audits(Workspace(workspace)))
    finally:
        tinydb.table.Document.__init__ = original
    files = len([p for p in workspace.glob("*.json") if p.name != INDEX_NAME])
    return sum(opened.values()) / files, documents[0]


def main() -> int:
    options = arguments(__doc__, ROUNDS)
    env = bytecode_env()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        small, large = root / "ws50", root / "ws5000"
        build(small, audits=50, **SIZES)
        print(f"{LARGE:,}-audit workspace: {build(large, audits=LARGE, **SIZES).describe()}", flush=True)
        settle(small, large)
        command = [sys.executable, "-m", "audit_bench", "--workspace"]
        listing = {ws: command + [str(ws), "audits", "--json"] for ws in (small, large)}
        ok = report_ratios("audits --json, 5,000 audits vs 50, warm index (whole process)",
                           interleaved(command_time(listing[small], env), command_time(listing[large], env),
                                       options.rounds), BUDGET)
        workspaces = {ws: Workspace(ws) for ws in (small, large)}
        report_ratios("list_audits, 5,000 audits vs 50, warm index (in process, CPU)",
                      interleaved(timed(lambda: list_audits(workspaces[small]), time.process_time),
                                  timed(lambda: list_audits(workspaces[large]), time.process_time),
                                  options.rounds * 3),
                      None)
        process = statistics.median(cold(large, command_time(listing[large], env)) for _ in range(COLD_ROUNDS))
        in_process = statistics.median(cold(large, timed(lambda: list_audits(Workspace(large)), time.process_time))
                                       for _ in range(COLD_ROUNDS))
        reads, documents = count_reads(large)
        ok &= verdict("listing cold, index deleted, 5,000 audits",
                      f"{process:.2f} s whole process, {in_process:.2f} s CPU in process "
                      f"({in_process * 1000 / LARGE:.2f} ms per audit); each file opened {reads:.2f}×, "
                      f"{documents:,} TinyDB Documents built (want 1× and none)",
                      reads == 1 and documents == 0)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
