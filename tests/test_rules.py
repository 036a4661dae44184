"""The audit's rules, decided once in `services.rules` and shown the same by every face."""

from __future__ import annotations

from datetime import date, timedelta

import json

import pytest

from audit_bench.services import UserError
from audit_bench.services import rules
from audit_bench.services.audits import create_audit, open_audit
from audit_bench.services.listing import list_audits
from audit_bench.services.walk import filtered_items, search


def _audit(workspace) -> str:
    return create_audit(workspace, "mini", "Atelier", "internal", "ACI", "2026-11-20", ["Claire Martin"]).id


def test_an_ineffective_verification_keeps_the_finding_open_until_a_new_action_proves_effective(workspace):
    with open_audit(workspace, _audit(workspace)) as session:
        session.rate("2.1", "E", "Aucun registre")
        finding = session.add_finding("2.1", "majeur", "Réclamations non enregistrées")
        first = session.add_action(finding.id, "Ouvrir un registre", "Direction", "2027-01-15")
        session.update_action(first.id, status="done")
        assert session.open_findings() == 1, "done but not verified is still open"
        session.update_action(first.id, verified_by="Claire Martin", effective=False)
        assert session.open_findings() == 1
        assert [p.message for p in session.pending()] == [
            f"{finding.id} (Écart majeur) : action jugée non efficace, nouvelle action à prévoir"]
        second = session.add_action(finding.id, "Former l'accueil au registre", "Direction", "2027-03-01")
        assert session.open_findings() == 1 and session.pending() == []
        session.update_action(second.id, status="done", verified_by="Claire Martin", effective=True)
        assert session.open_findings() == 0 and session.pending() == []


def test_open_findings_agree_between_session_listing_and_show(workspace, cli):
    cli.workspace = workspace.path
    audit_id = _audit(workspace)
    with open_audit(workspace, audit_id) as session:
        session.rate("2.1", "E", "Aucun registre")
        finding = session.add_finding("2.1", "majeur", "Réclamations non enregistrées")
        action = session.add_action(finding.id, "Ouvrir un registre", "Direction", "2027-01-15")
        session.update_action(action.id, status="done", verified_by="Claire Martin", effective=False)
    [row] = list_audits(workspace)
    listed = json.loads(cli("audits", "--json").stdout)["audits"][0]
    shown = json.loads(cli("show", audit_id, "--json").stdout)
    assert row.open_findings == listed["open_findings"] == 1
    assert shown["pending"] == [f"{finding.id} (Écart majeur) : action jugée non efficace, nouvelle action à prévoir"]


def test_verification_is_refused_until_the_action_is_done(workspace):
    with open_audit(workspace, _audit(workspace)) as session:
        session.rate("2.1", "E", "Aucun registre")
        finding = session.add_finding("2.1", "majeur", "Réclamations non enregistrées")
        action = session.add_action(finding.id, "Ouvrir un registre", "Direction", "2027-01-15")
        for status in ("todo", "in-progress"):
            session.update_action(action.id, status=status)
            with pytest.raises(UserError, match="réalisée"):
                session.update_action(action.id, verified_by="Claire Martin", effective=True)
        assert session.action(action.id).effective is None
        session.update_action(action.id, status="done", verified_by="Claire Martin", effective=True)
        session.update_action(action.id, status="in-progress")
        reopened = session.action(action.id)
    assert (reopened.verified_by, reopened.effective) == (None, None), "a verification no longer holds once undone"


def test_cli_refuses_verifying_an_unfinished_action_in_one_line(workspace, cli):
    cli.workspace = workspace.path
    audit_id = _audit(workspace)
    with open_audit(workspace, audit_id) as session:
        session.rate("2.1", "E", "Aucun registre")
        finding = session.add_finding("2.1", "majeur", "Réclamations non enregistrées")
        action = session.add_action(finding.id, "Ouvrir un registre", "Direction", "2027-01-15")
    result = cli("action-update", audit_id, action.id, "--verified-by", "Claire", "--effective", "yes", check=False)
    assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1
    assert "réalisée" in result.stderr


def test_a_finding_of_a_class_owing_no_action_is_not_open(workspace):
    with open_audit(workspace, _audit(workspace)) as session:
        session.add_finding("1.1", "observation", "Livret à actualiser")
        assert session.open_findings() == 0 and session.pending() == []


def test_progress_counts_na_as_assessed_everywhere(workspace):
    audit_id = _audit(workspace)
    with open_audit(workspace, audit_id) as session:
        session.rate("1.1", "C")
        session.rate("1.3", "na", "Pas de chantier cette saison")
        progress = session.progress()
        total = next(s for s in session.scores() if s.section == "total")
    [row] = list_audits(workspace)
    assert (progress.assessed, progress.total, progress.na) == (2, 5, 1)
    assert (row.assessed, row.total) == (total.rated, total.applicable) == (2, 5)


def test_counts_by_class_tell_written_open_and_still_to_write(workspace):
    with open_audit(workspace, _audit(workspace)) as session:
        session.rate("1.2", "E", "Pas d'entretien tracé")
        session.rate("2.1", "E", "Aucun registre")
        finding = session.add_finding("2.1", "majeur", "Réclamations non enregistrées")
        action = session.add_action(finding.id, "Ouvrir un registre", "Direction", "2027-01-15")
        session.update_action(action.id, status="done", verified_by="Claire Martin", effective=True)
        snapshot, tree = session.snapshot(), session.tree
    counts = {c.id: c for c in rules.counts_by_class(tree, snapshot)}
    assert (counts["majeur"].recorded, counts["majeur"].open, counts["majeur"].to_write) == (1, 0, 0)
    assert counts["mineur"].to_write == 1, "1.2 is rated E, which calls for an écart not yet written"
    assert [n.id for n in filtered_items(tree, snapshot, "findings")] == ["2.1"]
    assert [n.id for n in filtered_items(tree, snapshot, "to_write")] == ["1.2"]


def test_walk_filters_open_findings_without_evidence_and_changed_today(workspace):
    """What each filter keeps: « écarts ouverts » leaves out an écart whose action proved
    effective; « sans preuve » every requirement with no reference; « modifiées aujourd'hui » what
    was rated or written on that day."""
    with open_audit(workspace, _audit(workspace)) as session:
        session.rate("1.2", "E", "Pas d'entretien tracé")
        session.add_finding("1.2", "mineur", "Entretiens non tracés")
        session.rate("2.1", "E", "Aucun registre")
        closed = session.add_finding("2.1", "majeur", "Réclamations non enregistrées")
        action = session.add_action(closed.id, "Ouvrir un registre", "Direction", "2027-01-15")
        session.update_action(action.id, status="done", verified_by="Claire Martin", effective=True)
        session.add_evidence("1.1", "Livret d'accueil")
        snapshot, tree = session.snapshot(), session.tree
    today = date.fromisoformat(snapshot.assessments[0].at[:10])
    ids = lambda filter_id, day=today: [n.id for n in filtered_items(tree, snapshot, filter_id, day)]  # noqa: E731
    assert ids("open_findings") == ["1.2"]
    assert ids("no_evidence") == ["1.2", "1.3", "2.1", "2.2"]
    assert ids("today") == ["1.1", "1.2", "2.1"]
    assert ids("today", today + timedelta(days=1)) == []


def test_search_finds_what_the_auditor_wrote_notes_evidence_ecarts_and_actions(workspace):
    with open_audit(workspace, _audit(workspace)) as session:
        session.rate("1.1", "C", "Extincteurs vérifiés en 2026")
        session.add_evidence("1.3", "Registre de sécurité")
        session.rate("2.1", "E", "Aucun registre")
        finding = session.add_finding("2.1", "majeur", "Réclamations orales jamais écrites")
        session.add_action(finding.id, "Acheter un cahier à souches", "Direction", "2027-01-15")
        snapshot, tree = session.snapshot(), session.tree
    found = lambda query: [hit.node.id for hit in search(tree, snapshot, query)]  # noqa: E731
    assert found("extincteurs") == ["1.1"]
    assert found("registre securite") == ["1.3"]
    assert found("reclamations orales") == ["2.1"] and found("cahier souches") == ["2.1"]
    [hit] = search(tree, snapshot, "extincteur")
    assert hit.excerpt.startswith("Extincteurs vérifiés")


def test_deleting_an_ecart_deletes_its_actions_in_one_write_and_a_structure_ecart_too(workspace):
    from audit_bench.services.plan import open_holder
    from audit_bench.services.structures import create_structure

    with open_audit(workspace, _audit(workspace)) as session:
        session.rate("2.1", "E", "Aucun registre")
        finding = session.add_finding("2.1", "majeur", "Réclamations non enregistrées")
        session.add_action(finding.id, "Ouvrir un registre", "Direction", "2027-01-15")
        kept = session.add_finding("2.1", "mineur", "Affichage absent")
        session.add_action(kept.id, "Afficher", "Accueil", "2027-01-15")
        assert session.delete_finding(finding.id) == ["A1"]
        snapshot = session.snapshot()
        assert [f.id for f in snapshot.findings] == [kept.id] and [a.finding for a in snapshot.actions] == [kept.id]
    structure = create_structure(workspace, "Atelier du Port", "ACI")
    with open_holder(workspace, structure.id) as session:
        ecart = session.add_ecart("reclamation", "Appel sans réponse")
        session.add_action(ecart.id, "Rappeler", "Accueil", "2027-01-15")
        session.edit_finding(ecart.id, class_id="ecart")
        assert session.delete_finding(ecart.id) == ["A1"]
        assert session.snapshot().findings == [] and session.snapshot().actions == []
