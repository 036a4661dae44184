"""The agenda over a calendar that crosses years, on the bundled referentials' cycles (CEDRE 2.2,
AFAQ chapter VI, IAE OS), through the services."""

from __future__ import annotations

from datetime import date

import pytest

from audit_bench.services import Workspace
from audit_bench.services.agenda import add_months, agenda, period_label, period_of
from audit_bench.services.audits import create_audit, open_audit
from audit_bench.services.conclusion import conclude, recommendations
from audit_bench.services.cycle import auditor_warnings, record_met, remove_met, set_frequency
from audit_bench.services.structures import create_structure, set_certification, set_person, show_structure
from audit_bench.services.validation import UserError


@pytest.fixture
def bench(tmp_path) -> Workspace:
    return Workspace(tmp_path / "ws")


def items(view, **match):
    return [item for item in view.items if all(getattr(item, key) == value for key, value in match.items())]


def one(view, **match):
    [found] = items(view, **match)
    return found


def closed_audit(bench, structure, referential, kind, day, auditors=("Claire Martin",)):
    header = create_audit(bench, referential, kind=kind, audit_date=day, auditors=list(auditors), structure=structure)
    with open_audit(bench, header.id) as session:
        if recommendations(session):  # a certification audit closes with its conclusion
            conclude(session, "Système vivant.", recommendations(session)[0].id)
        session.close_audit()
    return header.id


def test_calendar_periods_and_months_across_years():
    assert add_months(date(2024, 3, 15), 36) == date(2027, 3, 15)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29) and add_months(date(2027, 1, 15), -3) == date(2026, 10, 15)
    assert period_of(date(2026, 11, 20), 3) == (date(2026, 10, 1), date(2026, 12, 31))
    assert period_of(date(2026, 12, 31), 12) == (date(2026, 1, 1), date(2026, 12, 31))
    assert [period_label(date(2026, 10, 1), m) for m in (12, 6, 3, 1)] == ["2026", "S2 2026", "T4 2026", "octobre 2026"]


def test_a_cedre_certificate_issued_2024_03_15_gives_its_expiry_and_renewal_due_date(bench):
    structure = create_structure(bench, "Les Jardins du Port", "ACI").id
    certificate = set_certification(bench, structure, "cedre", "COORACE", "C-118", "2024-03-15")
    assert certificate.valid_until == "2027-03-14"  # CEDRE 2.2: three years (seed 000, line 86)

    view = agenda(bench, date(2026, 10, 1), structure)
    expiry = one(view, kind="certificate")
    assert (expiry.date, expiry.state, expiry.ref) == ("2027-03-14", "upcoming", "cedre/C-118")
    assert expiry.rule == "CEDRE 2.2 — certification valable pour une période de trois ans"
    renewal = one(view, kind="renewal")
    assert (renewal.date, renewal.state, renewal.title) == ("2027-03-14", "upcoming",
                                                            "Audit de renouvellement (certificat C-118)")
    # CEDRE fixes no surveillance interval nor review interval: the structure is asked to set them
    assert {(entry.referential, entry.of) for entry in view.to_set} == {
        ("cedre", "surveillance"), ("cedre", "revue-de-direction"), ("cedre", "recueil-satisfaction")}
    assert not items(view, kind="surveillance") and not items(view, kind="obligation")

    # six months before the end: listed; then due a month before; then overdue once expired
    assert not items(agenda(bench, date(2026, 9, 1), structure), kind="certificate")
    assert one(agenda(bench, date(2027, 2, 20), structure), kind="renewal").state == "due"
    assert one(agenda(bench, date(2027, 3, 15), structure), kind="certificate").state == "overdue"

    # the structure sets a yearly surveillance: the 2026-03-15 one is late, the 2025 one is history
    set_frequency(bench, structure, "cedre", "surveillance", 12)
    view = agenda(bench, date(2026, 10, 1), structure)
    [surveillance] = items(view, kind="surveillance")
    assert (surveillance.date, surveillance.state) == ("2026-03-15", "overdue")
    assert surveillance.rule == ("CEDRE — audits de surveillance non prévus par le référentiel ; intervalle fixé par "
                                 "la structure : chaque année")
    audit = closed_audit(bench, structure, "cedre", "surveillance", "2026-04-02")
    surveillance = one(agenda(bench, date(2026, 10, 1), structure), kind="surveillance")
    assert (surveillance.state, surveillance.done_on, surveillance.audit) == ("done", "2026-04-02", audit)
    renewed = closed_audit(bench, structure, "cedre", "renewal", "2027-01-20")
    assert one(agenda(bench, date(2027, 2, 1), structure), kind="renewal").audit == renewed


def test_an_afaq_structure_with_no_internal_audit_closed_in_2026_shows_it_late_on_2027_01_01(bench):
    structure = create_structure(bench, "PLIE Cœur de Garrigue").id
    set_certification(bench, structure, "afaq", "AFNOR Certification", "ES-209-17", "2025-06-01", "2028-05-31")
    header = create_audit(bench, "afaq", kind="internal", audit_date="2026-10-13", auditors=["Nadia Benali"],
                          structure=structure)  # held, but never closed

    late = one(agenda(bench, date(2027, 1, 1), structure), obligation="audit-interne", date="2026-12-31")
    assert (late.state, late.title, late.ref) == ("overdue", "Audit interne — 2026", "afaq/audit-interne/2026-01")
    assert late.rule == "AFAQ 6.2 — un audit interne par an"
    assert (late.audit, late.done_on) == (header.id, None)  # held but not closed: the audit to open, not done
    assert one(agenda(bench, date(2026, 12, 15), structure), obligation="audit-interne",
               date="2026-12-31").state == "due"

    with open_audit(bench, header.id) as session:
        session.close_audit()
    view = agenda(bench, date(2027, 1, 1), structure)
    done = one(view, obligation="audit-interne", date="2026-12-31")
    assert (done.state, done.done_on, done.audit) == ("done", "2026-10-13", header.id)
    assert one(view, obligation="audit-interne", date="2027-12-31").state == "upcoming"
    # the year of certification counts, late while it ended less than a year ago, then history
    assert one(agenda(bench, date(2026, 6, 1), structure), obligation="audit-interne",
               date="2025-12-31").state == "overdue"
    assert not items(view, obligation="audit-interne", date="2025-12-31")


def test_a_review_signed_in_2026_satisfies_the_2026_obligation_only(bench):
    structure = create_structure(bench, "PLIE du Lez").id
    set_certification(bench, structure, "afaq", "AFNOR Certification", "ES-1", "2026-01-10", "2029-01-09")
    record_met(bench, structure, "afaq", "bilan-annuel", "2026-12-18", "Compte rendu signé, classeur Qualité",
               today=date(2027, 1, 1))
    view = agenda(bench, date(2027, 1, 1), structure)
    reviews = {item.date: item for item in items(view, obligation="bilan-annuel")}
    assert reviews["2026-12-31"].state == "done"
    assert reviews["2026-12-31"].done_by == "fait le 2026-12-18 — Compte rendu signé, classeur Qualité"
    assert reviews["2027-12-31"].state == "upcoming" and reviews["2027-12-31"].done_on is None
    assert reviews["2026-12-31"].rule == "AFAQ 6.7 — un bilan au moins une fois par an"
    [recorded] = show_structure(bench, structure).to_builtins()["fulfilments"]
    assert (recorded["obligation"], recorded["on"], recorded["note"]) == ("bilan-annuel", "2026-12-18",
                                                                          "Compte rendu signé, classeur Qualité")
    with pytest.raises(UserError, match="n'est pas dans la période du 2027-01-01 au 2027-12-31"):
        record_met(bench, structure, "afaq", "bilan-annuel", "2026-12-20", today=date(2027, 1, 1),
                   period=(reviews["2027-12-31"].starts, reviews["2027-12-31"].date))
    remove_met(bench, structure, "afaq", "bilan-annuel", "18/12/2026")
    assert one(agenda(bench, date(2027, 1, 1), structure), obligation="bilan-annuel",
               date="2026-12-31").state == "overdue"


def test_what_the_structure_may_set_and_record_and_what_it_may_not(bench):
    structure = create_structure(bench, "PLIE des Garrigues").id
    set_certification(bench, structure, "afaq", "AFNOR Certification", "ES-2", "2026-01-10", "2029-01-09")
    with pytest.raises(UserError, match="AFAQ 6.2 — un audit interne par an"):
        set_frequency(bench, structure, "afaq", "audit-interne", 6)  # the referential fixes it
    with pytest.raises(UserError, match="découpent l'année"):
        set_frequency(bench, structure, "afaq", "controles", 5)
    with pytest.raises(UserError, match="inconnu dans le cycle de afaq"):
        set_frequency(bench, structure, "afaq", "controle", 1)
    with pytest.raises(UserError, match="clore l'audit"):
        record_met(bench, structure, "afaq", "audit-interne", "2026-03-01")
    with pytest.raises(UserError, match="à venir"):
        record_met(bench, structure, "afaq", "bilan-sous-traitance", "2026-03-01", today=date(2026, 2, 1))

    assert {e.of for e in agenda(bench, date(2026, 10, 5), structure).to_set} == {"surveillance", "controles"}
    set_frequency(bench, structure, "afaq", "controles", 1)
    view = agenda(bench, date(2026, 10, 5), structure, within=60)
    checks = items(view, obligation="controles")
    assert [(c.title, c.state) for c in checks if c.date >= "2026-09-30"] == [
        ("Contrôles des engagements — septembre 2026", "overdue"),
        ("Contrôles des engagements — octobre 2026", "due"),
        ("Contrôles des engagements — novembre 2026", "upcoming")]
    assert checks[0].rule == ("AFAQ 6.1 — fréquence des contrôles définie par engagement (fixée par la structure)"
                              " : chaque mois")
    assert all(item.date <= "2026-12-04" for item in view.items)  # within 60 days
    set_frequency(bench, structure, "afaq", "controles", None)
    assert not items(agenda(bench, date(2026, 10, 5), structure), obligation="controles")


def test_a_self_assessment_grid_is_due_once_the_structure_sets_its_frequency(bench):
    structure = create_structure(bench, "Chantier du Val", "ACI").id
    closed_audit(bench, structure, "iae_os", "self-assessment", "2025-11-20")
    view = agenda(bench, date(2026, 10, 5), structure)
    assert [(e.referential, e.of) for e in view.to_set] == [("iae_os", "autodiagnostic")] and not view.items
    set_frequency(bench, structure, "iae_os", "autodiagnostic", 12)
    view = agenda(bench, date(2026, 10, 5), structure)
    [due] = items(view, obligation="autodiagnostic")
    assert (due.date, due.state, due.rule) == (
        "2026-12-31", "upcoming",
        "IAE OS — fréquence non fixée par la grille (fixée par la structure) : chaque année")


def test_open_actions_are_due_with_the_finding_they_treat_and_old_overdue_ones_stay(workspace_factory):
    from test_tui_journeys import rated_audit

    workspace = workspace_factory()
    audit_id = rated_audit(workspace)  # one action due 2026-11-30 on 1.2 of « essai »
    with open_audit(workspace, audit_id) as session:
        finding = session.snapshot().findings[0]
        session.add_action(finding.id, "Former l'équipe", "Direction", "2024-01-31")
    view = agenda(workspace, date(2026, 10, 5))
    old, current = items(view, kind="action")
    assert (old.date, old.state, old.audit) == ("2024-01-31", "overdue", audit_id)
    assert (current.date, current.state) == ("2026-11-30", "upcoming")
    assert current.rule.startswith(f"ESSAI 1.2 — écart {finding.id} (Écart mineur) de l'audit du 2026-10-01")
    assert current.ref == f"{audit_id}/{current.ref.split('/')[1]}" and current.title.startswith("Action ")
    assert [i.kind for i in agenda(workspace, date(2026, 10, 5), within=30).items] == ["action"]


def test_internal_auditors_are_checked_against_the_structure_s_people(bench):
    structure = create_structure(bench, "PLIE de la Vistrenque").id
    set_person(bench, structure, "Claire Martin", "auditeur-interne", "2025-03-01", "Direction")
    set_person(bench, structure, "Paul Roux", "auditeur-interne", "2026-11-02", "Comptabilité")
    set_person(bench, structure, "Inès Faure", "auditeur-interne", "2024-05-01", "Accompagnement")
    tree = bench.referential("afaq")
    scope = "Accompagnement des personnes en parcours, antenne nord"

    def warnings(*names, scope=scope):
        rule, found = auditor_warnings(bench, tree, "internal", structure, "2026-10-13", list(names), scope)
        assert rule == ("AFAQ 6.2 — auditeurs formés à l'audit qualité et au référentiel, indépendants de "
                        "l'activité auditée")
        return found

    assert warnings("Claire Martin") == []
    assert warnings("claire martin") == []  # names compare without case or accents
    assert warnings("Paul Roux") == ["Paul Roux : formé(e) à l'audit le 2026-11-02, après le début de l'audit"]
    assert warnings("Inès Faure") == ["Inès Faure exerce l'activité auditée « Accompagnement » : pas indépendant(e)"]
    [unknown] = warnings("Jean Dupont")
    assert unknown.startswith("Jean Dupont n'est pas enregistré(e) parmi les personnes de la structure")
    assert "champ de l'audit non précisé" in warnings("Claire Martin", scope="")[0]
    assert warnings() == ["aucun auditeur désigné pour cet audit interne"]
    assert auditor_warnings(bench, tree, "surveillance", structure, "2026-10-13", ["Jean Dupont"], scope) is None
    assert auditor_warnings(bench, bench.referential("cedre"), "internal", structure, "2026-10-13",
                            ["Jean Dupont"], scope) is None  # CEDRE asks nothing of its auditors


def test_the_actions_of_a_structure_s_own_ecarts_are_due_too(workspace_factory):
    from audit_bench.services.plan import open_holder

    workspace = workspace_factory()
    structure = create_structure(workspace, "Atelier du Port", "ACI").id
    with open_holder(workspace, structure) as session:
        ecart = session.add_ecart("reclamation", "Appel resté sans réponse", ref="R-12")
        session.add_action(ecart.id, "Rappeler la personne", "Accueil", "2026-10-20")
    [item] = items(agenda(workspace, date(2026, 10, 5), within=30), kind="action")
    assert (item.date, item.state, item.structure, item.audit) == ("2026-10-20", "due", structure, None)
    assert item.rule.startswith(f"Réclamation — écart {ecart.id} (Écart)") and item.ref == f"{structure}/A1"
