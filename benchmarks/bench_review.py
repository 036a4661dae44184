"""The bilan annuel PDF of a structure with three years of records, against the IAE OS audit
report (budget: ≤ 3 × the report, same run).

The structure is certified AFAQ; each of three years has a closed internal audit with 50 écarts
and 100 actions (300 actions in all), and the first two years a signed review with decided
actions. Each round builds the audit report of the fully rated IAE OS grid (`build_report`), then
the 2026 bilan of the draft review (`write_review_report`: reading the audits, building the pack
and the check, laying out, writing durably), timed in process CPU seconds. The registers
(complaints, indicators, surveys) are not kept in audit-bench yet: their sections print one line
each, so this figure is a floor until they land.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from bench_report import fully_rated
from common import arguments, interleaved, report_ratios, timed
from audit_bench.services import Workspace
from audit_bench.services.audits import create_audit, open_audit
from audit_bench.services.reporting import build_report
from audit_bench.services.review import decide, new_review, set_participant, sign, write_review_report
from audit_bench.services.structures import create_structure, set_certification

ROUNDS = 6
BUDGET = 3.0
TODAY = date(2027, 1, 20)
YEARS = (2024, 2025, 2026)
FINDINGS_PER_AUDIT = 50


def three_years(workspace: Workspace) -> str:
    """The structure's review of 2026, as `STRUCTURE/RN`, after three years of records."""
    structure = create_structure(workspace, "Passerelle Emploi").id
    set_certification(workspace, structure, "afaq", "AFNOR Certification", "ES-209-17", "2023-03-01", "2029-02-28")
    requirements = [node.id for node in workspace.referential("afaq").ratable]
    for year in YEARS:
        header = create_audit(workspace, "afaq", kind="internal", audit_date=f"{year}-04-02", auditors=["Claire"],
                              structure=structure)
        with open_audit(workspace, header.id) as session, session.plan_file().batch():
            for n in range(FINDINGS_PER_AUDIT):
                finding = session.add_finding(requirements[n % len(requirements)], "ecart-mineur",
                                              f"Constat {year}-{n} : pratique non tracée")
                for step in range(2):
                    action = session.add_action(finding.id, f"Action {step + 1} du constat {n}", "Claire Martin",
                                                f"{year}-{6 + step:02d}-30")
                    if n % 3:
                        session.update_action(action.id, status="done")
        if year != YEARS[-1]:
            ref = f"{structure}/{new_review(workspace, structure, year).id}"
            for name, role in (("Marie Durand", "president"), ("Jean Petit", "direction"),
                               ("Claire Martin", "referent-qualite")):
                set_participant(workspace, ref, name, role)
            for n in range(5):
                decide(workspace, ref, "action", f"Décision {year}-{n}", owner="Claire Martin",
                       due=f"{year + 1}-03-31", today=TODAY)
            sign(workspace, ref, "Marie Durand", held_on=f"{year + 1}-01-15", today=TODAY)
    return f"{structure}/{new_review(workspace, structure, YEARS[-1]).id}"


def main() -> int:
    options = arguments(__doc__, ROUNDS)
    with tempfile.TemporaryDirectory() as folder:
        workspace = Workspace(Path(folder) / "ws")
        audit_id = fully_rated(workspace, "iae_os")
        review = three_years(workspace)
        with open_audit(workspace, audit_id, write=False) as session:
            report = timed(lambda: build_report(workspace, session, Path(folder) / "r.pdf", today=TODAY, force=True),
                           time.process_time)
            bilan = timed(lambda: write_review_report(workspace, review, Path(folder) / "bilan.pdf", force=True,
                                                      today=TODAY), time.process_time)
            ratios = interleaved(report, bilan, options.rounds)
    ok = report_ratios("bilan annuel PDF, 3 years (3 audits, 300 actions, 2 signed reviews; registers not filled yet) "
                       "vs the IAE OS audit report (CPU)", ratios, BUDGET)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
