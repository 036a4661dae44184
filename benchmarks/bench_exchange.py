"""The Word report and the Excel export of the fully rated IAE OS audit, against its PDF report
(budgets: DOCX ≤ 1.5 × the PDF; XLSX ≤ 1 × the PDF).

Each round builds the PDF, then the DOCX, then the XLSX of the same audit, each through the
service a user's command calls (`build_report`, `export_xlsx`: gather the figures, lay out,
write durably), timed in process CPU seconds. The ratios are per round; the verdict reads the
median. Needs the iae_os plugin; without it, the largest installed referential is used and said so.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from bench_report import fully_rated
from common import Ratios, arguments, report_ratios, timed
from audit_bench.services import Workspace
from audit_bench.services.audits import open_audit
from audit_bench.services.exchange import export_xlsx
from audit_bench.services.reporting import build_report

ROUNDS = 6
DOCX_BUDGET = 1.5
XLSX_BUDGET = 1.0
TODAY = date(2026, 11, 22)


def main() -> int:
    options = arguments(__doc__, ROUNDS)
    with tempfile.TemporaryDirectory() as folder:
        workspace = Workspace(Path(folder) / "ws")
        installed = {tree.id: tree for tree in workspace.referentials()}
        referential = "iae_os" if "iae_os" in installed else max(installed, key=lambda r: len(installed[r].ratable))
        if referential != "iae_os":
            print(f"iae_os plugin not installed: timing {referential} instead")
        audit_id = fully_rated(workspace, referential)
        with open_audit(workspace, audit_id, write=False) as session:
            pdf = timed(lambda: build_report(workspace, session, Path(folder) / "r.pdf", today=TODAY, force=True),
                        time.process_time)
            docx = timed(lambda: build_report(workspace, session, Path(folder) / "r.docx", today=TODAY, force=True),
                         time.process_time)
            xlsx = timed(lambda: export_xlsx(workspace, session, Path(folder) / "r.xlsx", today=TODAY, force=True),
                         time.process_time)
            for measure in (pdf, docx, xlsx):  # imports, fonts, plugins: once, as in a session
                measure()
            rounds = [(pdf(), docx(), xlsx()) for _ in range(options.rounds)]
    label = f"{referential} audit, {len(installed[referential].ratable)} requirements (CPU)"
    ok = report_ratios(f"DOCX report vs its PDF, {label}", Ratios.of([(p, d) for p, d, _ in rounds]), DOCX_BUDGET)
    ok = report_ratios(f"XLSX export vs its PDF, {label}", Ratios.of([(p, x) for p, _, x in rounds]),
                       XLSX_BUDGET) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
