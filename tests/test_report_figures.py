"""The report's figures are the services' figures: progress, écarts by class, scores, what is owed.

Each face (CLI `show --json`, the TUI's Parcours header, the PDF) reads `services.rules`; these
tests read the PDF back and compare its figures with the other faces on the same audit.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from audit_bench.reports.typography import french_number, french_percent, french_typography
from audit_bench.services import Workspace, rules
from audit_bench.services.audits import open_audit
from audit_bench.services.listing import list_audits
from audit_bench.services.reporting import build_report
from audit_bench.services.scoring import generic_scores
from test_report import TODAY, new_audit, pdf_text, squeezed

pytest.importorskip("audit_bench_iae_os")


def run(workspace, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "audit_bench", "--workspace", str(workspace), *args],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result


def iae_audit_with_na(workspace) -> str:
    """A partly rated IAE OS grid with two practices N/A (the RECAP used to leave them out)."""
    audit_id = json.loads(run(workspace, "new", "--referential", "iae_os", "--org", "EI des Dunes",
                              "--siae-type", "EI", "--kind", "self-assessment", "--date", "2026-03-02",
                              "--json").stdout)["id"]
    for practice, rating in (("1.1.1", "3"), ("1.1.2", "2"), ("1.1.3", "na"), ("1.2.1", "1"),
                             ("2.1.1", "na"), ("2.1.2", "0")):
        args = ["--note", "Sans objet cette année"] if rating == "na" else []
        run(workspace, "assess", audit_id, practice, rating, *args)
    return audit_id


def test_progress_reads_the_same_on_the_cover_summary_table_show_and_walk(tmp_path):
    from audit_bench.tui.widgets.audit_header import header_text

    folder = tmp_path / "ws"
    audit_id = iae_audit_with_na(folder)
    shown = json.loads(run(folder, "show", audit_id, "--json").stdout)["progress"]
    output = tmp_path / "figures.pdf"
    run(folder, "report", audit_id, "-o", str(output))
    with open_audit(Workspace(folder), audit_id, write=False) as session:
        progress = rules.progress(session.tree, session.snapshot())
        walk_header = header_text(session).plain

    assert (shown["assessed"], shown["total"]) == (progress.assessed, progress.total) == (6, 245)
    assert f"cotées {progress.assessed}/{progress.total} · {progress.percent}\u00a0%" in walk_header
    _, whole = pdf_text(output)
    cover = whole[:whole.index("Objectifs, champ et critères")]
    assert f"Avancement 6 exigences cotées sur 245 applicables ({progress.percent} %), dont 2 N/A" in cover
    summary = whole[whole.index("Synthèse"):whole.index("Écarts par classe")]
    assert f"6 exigences cotées sur 245 applicables ({progress.percent} %), dont 2 N/A ; " in summary
    assert "239 exigences restent à coter" in summary
    assert "Non cotées 239" in summary
    assert "Ensemble du référentiel 6 / 245" in whole


def test_ecarts_by_class_open_ecarts_and_what_is_owed_are_the_rules(workspace, tmp_path):
    audit_id = new_audit(workspace)
    with open_audit(workspace, audit_id) as session:
        session.rate("1.1", "E", "Livret absent")              # calls for an écart: none written yet
        session.rate("1.2", "E", "Aucun entretien tracé")
        unverified = session.add_finding("1.2", "majeur", "Entretiens non tracés.")
        action = session.add_action(unverified.id, "Créer la fiche", "Direction", "2026-12-31")
        session.update_action(action.id, status="done")          # done, not yet verified: still open
        verified = session.add_finding("1.3", "mineur", "Chantier présenté le troisième jour.")
        action = session.add_action(verified.id, "Présenter le chantier à l'arrivée", "Encadrant", "2026-12-01")
        session.update_action(action.id, status="done", verified_by="Yves Dupont", effective=True)
        observation = session.add_finding("2.1", "observation", "Registre tenu sur papier.")  # owes nothing
        no_plan = session.add_finding("2.2", "mineur", "Pas de revue de direction.")  # owes an action plan
        output = tmp_path / "classes.pdf"
        build_report(workspace, session, output, today=TODAY)
        counts = rules.counts_by_class(session.tree, session.snapshot())
        still_open = {f.id for f in rules.open_findings(session.tree, session.snapshot())}
        owed = rules.pending(session.tree, session.snapshot())

    _, whole = pdf_text(output)
    table = whole[whole.index("Écarts par classe"):whole.index("Degré de satisfaction des exigences")]
    assert table.startswith("Écarts par classe Classe Écarts dont ouverts à rédiger")
    for count in counts:
        assert f"{count.label} {count.recorded} {count.open} {count.to_write}" in table, count
    assert [(c.recorded, c.open, c.to_write) for c in counts] == [(1, 1, 0), (2, 1, 1), (1, 0, 0)]
    assert still_open == {unverified.id, no_plan.id}
    states = {unverified.id: "ouvert", no_plan.id: "ouvert",
              verified.id: "clos, actions réalisées et jugées efficaces",
              observation.id: "clos, aucune action requise"}
    blocks = whole[whole.index("Écarts et plans d’action"):whole.index("Liste de contrôle complète")]
    for finding_id, state in states.items():
        block = blocks[blocks.index(f"{finding_id} · "):]
        assert block[block.index("État de l’écart"):].startswith(f"État de l’écart : {state}."), finding_id
    owed_part = whole[whole.index("Reste à faire"):whole.index("Écarts et plans d’action")]
    assert len(owed) == 2
    for item in owed:
        assert french_typography(item.message).replace("\u00a0", " ") in owed_part


def test_iae_os_scores_are_the_generic_scores_and_the_recap_prints_them(demo_source, tmp_path):
    demo = Workspace(demo_source)
    rows = [row for row in list_audits(demo) if row.referential == "iae_os"]
    assert len(rows) == 2
    for row in rows:
        with open_audit(demo, row.id, write=False) as session:
            tree, snapshot = session.tree, session.snapshot()
            assert any(a.rating == "na" for a in snapshot.assessments)  # the comparison covers N/A
            generic = generic_scores(tree, snapshot)
            assert session.scores() == generic
            output = tmp_path / f"{row.id}.pdf"
            build_report(demo, session, output, today=TODAY)
        _, whole = pdf_text(output)
        recap = squeezed(whole[whole.index("RECAP et RADAR"):whole.index("RADAR des axes")])
        for score in generic:
            figures = f"{french_number(score.score)}{french_number(score.max)}{french_percent(score.percent)}"
            assert squeezed(figures) in recap, score
        summary = whole[whole.index("Degré de satisfaction des exigences par section"):whole.index("Conclusions")]
        for score in (s for s in generic if s.depth == 0):
            assert re.search(re.escape(squeezed(f"{score.section} {score.title}")) + r".*?"
                             + re.escape(squeezed(french_percent(score.percent))), squeezed(summary)), score


def test_iae_os_recap_counts_na_as_assessed(tmp_path):
    folder = tmp_path / "ws"
    audit_id = iae_audit_with_na(folder)
    output = tmp_path / "recap.pdf"
    run(folder, "report", audit_id, "-o", str(output))
    _, whole = pdf_text(output)
    assert "Évaluation du 2 mars 2026 : 6 pratiques cotées sur 245 applicables" in whole
