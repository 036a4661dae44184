"""The PDF report of a fully rated IAE OS grid (budget 1.5 s), against a bare reportlab baseline.

The baseline is a minimal reportlab document with the same fonts and one table row of
Paragraphs per practice (id, text, rating, note): what any report of this audit must pay. Baseline
and report alternate, round by round; the verdict reads the median report time (wall seconds:
the budget is in seconds), and the line gives the per-round ratios to the baseline.
Needs the iae_os plugin; without it, the largest installed referential is used and said so.
"""

from __future__ import annotations

import io
import sys
import tempfile
from datetime import date
from pathlib import Path

from common import arguments, interleaved, timed, verdict
from audit_bench.services import Workspace
from audit_bench.services.reporting import build_report
from audit_bench.services.audits import create_audit, open_audit

BUDGET_SECONDS = 1.5
ROUNDS = 6
NOTE = "Pratique en place ; revue en réunion d'équipe trimestrielle, compte rendu « à jour »."


def fully_rated(workspace: Workspace, referential: str) -> str:
    """A new audit of `referential` with every applicable requirement rated, a note each, and
    an écart with an action on every tenth one."""
    tree = workspace.referential(referential)
    siae_type = tree.referential.siae_types[-1].id if tree.referential.siae_types else None
    header = create_audit(workspace, referential, "Rebond Bois Services", "self-assessment", siae_type=siae_type,
                                    audit_date="2026-11-13", auditors=["Claire Dumont"])
    levels = list(tree.scale_by_value)
    finding_class = tree.referential.finding_classes[0].id
    with open_audit(workspace, header.id) as session:
        for n, node in enumerate(session.applicable()):
            session.rate(node.id, levels[n % len(levels)], NOTE)
            if n % 10 == 0:
                finding = session.add_finding(node.id, finding_class, f"Constat n° {n} : pratique à consolider.")
                session.add_action(finding.id, "Formaliser la pratique et la revoir chaque année", "Direction",
                                   "2027-06-30")
    return header.id


def baseline(rows: int) -> None:
    """A bare reportlab document: the shipped fonts, one table of `rows` rows of Paragraphs."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    from audit_bench.reports.styles import styles

    style = styles()["small"]
    data = [[Paragraph(f"{i}", style), Paragraph("Définir les indicateurs de mesure des objectifs "
                                                 "(taux de personnes présentes aux actions)", style),
             Paragraph("2 Mis en place et à améliorer", style), Paragraph(NOTE, style)] for i in range(rows)]
    SimpleDocTemplate(io.BytesIO(), pagesize=A4).build([Table(data, colWidths=[40, 200, 80, 170], repeatRows=1)])


def main() -> int:
    options = arguments(__doc__, ROUNDS)
    with tempfile.TemporaryDirectory() as folder:
        workspace = Workspace(Path(folder) / "ws")
        installed = {tree.id: tree for tree in workspace.referentials()}
        if "iae_os" in installed:
            referential = "iae_os"
        else:
            referential = max(installed, key=lambda ref: len(installed[ref].ratable))
            print(f"iae_os plugin not installed: timing {referential} instead")
        audit_id = fully_rated(workspace, referential)
        output = Path(folder) / "rapport.pdf"
        with open_audit(workspace, audit_id, write=False) as session:
            rows = len(session.applicable())
            report = timed(lambda: build_report(workspace, session, output, today=date(2026, 11, 22), force=True))
            ratios = interleaved(timed(lambda: baseline(rows)), report, options.rounds)  # warm-up: fonts, imports
    elapsed = ratios.measured
    ok = verdict(f"report of a fully rated {referential} audit ({rows} requirements)",
                 f"{elapsed:.3f} s, median of {len(ratios.ratios)} rounds (budget ≤ {BUDGET_SECONDS} s); "
                 f"{ratios.median:.2f}× a bare reportlab table of {rows} rows (min/median/p95 "
                 f"{ratios.min:.2f}/{ratios.median:.2f}/{ratios.p95:.2f}; {ratios.baseline:.3f} s)",
                 elapsed <= BUDGET_SECONDS)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
