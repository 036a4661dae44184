"""The bilan annuel PDF of a structure with three years of records, against the IAE OS audit
report (budget: ≤ 3 × the report, same run).

The structure is certified AFAQ; each of three years has a closed internal audit with 50 écarts
and 100 actions (300 actions in all), and the first two years a signed review with decided
actions. Its registers hold DESIGN's records: 1,000 complaints over the three years (most answered,
some late), the nine AFAQ indicators and one of its own followed monthly for 36 months (360 values,
10 trends drawn), and a survey a year with its results. The registers' records are written in one
batch (the fixture, not what is timed). Each round builds the audit report of the fully rated IAE
OS grid (`build_report`), then the 2026 bilan of the draft review (`write_review_report`: reading
the audits and the registers, building the pack and the check, laying out, writing durably),
timed in process CPU seconds.
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
from audit_bench.model.complaints import Complaint, ComplaintAnswer
from audit_bench.model.indicators import IndicatorValue
from audit_bench.services.audits import create_audit, open_audit
from audit_bench.services.clock import now
from audit_bench.services.indicators import define_indicator, set_target
from audit_bench.services.reporting import build_report
from audit_bench.services.review import decide, new_review, set_participant, sign, write_review_report
from audit_bench.services.structures import create_structure, open_structure, set_certification
from audit_bench.services.surveys import add_survey, import_results

ROUNDS = 6
BUDGET = 3.0
TODAY = date(2027, 1, 20)
YEARS = (2024, 2025, 2026)
FINDINGS_PER_AUDIT = 50
COMPLAINTS = 1_000
CHANNELS = ("courrier", "mail", "fax", "orale")
COMPLAINANTS = ("personne-en-parcours", "client", "prescripteur", "partenaire", "autre")
OWN_INDICATOR = "ACC"


def registers(workspace: Workspace, structure: str, folder: Path) -> None:
    """Three years of complaints, monthly indicator values and yearly surveys."""
    stamp = now()
    for indicator in [f"IND{n}" for n in range(1, 10)] + [OWN_INDICATOR]:
        if indicator == OWN_INDICATOR:
            define_indicator(workspace, structure, OWN_INDICATOR, "Taux d'accueil sous huit jours", "higher", "month",
                             "%", "personnes accueillies sous huit jours", "personnes entrées")
        set_target(workspace, structure, indicator, 80, direction="lower" if indicator == "IND7" else None,
                   period="month")
    results = folder / "resultats.csv"
    results.write_text("Question;Engagement;Pas du tout;Plutôt pas;Plutôt;Tout à fait\n"
                       + "".join(f"Question {q};E{1 + q % 9};{q};{q};20;30\n" for q in range(12)), encoding="utf-8")
    for year in YEARS:
        survey = add_survey(workspace, structure, "personnes", "sortie", f"01/01/{year}", f"30/06/{year}", 120, 80,
                            today=TODAY).id
        import_results(workspace, structure, survey, results)
    with open_structure(workspace, structure) as session:
        file = session.plan_file()
        with file.batch():
            for n in range(COMPLAINTS):
                year, day = YEARS[n % 3], 1 + n % 28
                received = f"{year}-{1 + n % 12:02d}-{day:02d}"
                answers = [] if n % 20 == 0 else [ComplaintAnswer(kind="solution", on=f"{year}-{1 + n % 12:02d}-"
                                                                  f"{min(28, day + 2 + n % 9):02d}",
                                                                  text="Réponse écrite", at=stamp)]
                file.add("complaints", Complaint(id=f"R{n + 1}", received=received, channel=CHANNELS[n % 4],
                                                 complainant=COMPLAINANTS[n % 5], subject=f"Objet {n % 17}",
                                                 answers=answers, at=stamp))
            for year in YEARS:
                for month in range(1, 13):
                    for indicator in [f"IND{n}" for n in range(1, 10)] + [OWN_INDICATOR]:
                        file.set_indicator_value(IndicatorValue(indicator=indicator, period=f"{year}-{month:02d}",
                                                                numerator=60 + (month * 7) % 40, denominator=100,
                                                                value=None, at=stamp))


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
    registers(workspace, structure, workspace.path)
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
    ok = report_ratios("bilan annuel PDF, 3 years (3 audits, 300 actions, 2 signed reviews, 1,000 complaints, "
                       "10 indicators × 36 months, 3 surveys) "
                       "vs the IAE OS audit report (CPU)", ratios, BUDGET)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
