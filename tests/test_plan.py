"""The improvement plan through the services: every filter, the counts, the closure rule for an
audit's écart and for an écart of another source, postponements, écarts still without action."""

from __future__ import annotations

from datetime import date

import pytest

from audit_bench.services.audits import create_audit, open_audit
from audit_bench.services.errors import UserError
from audit_bench.services.plan import PlanFilter, add_ecart, open_holder, read_plan, to_watch
from audit_bench.services.structures import create_structure

TODAY = date(2026, 12, 1)


@pytest.fixture
def plan(workspace):
    """Two structures; an audit of the first with three actions, an écart « autre » of each."""
    port = create_audit(workspace, "mini", "Atelier du Port", "internal", "ACI", "2026-10-01", ["Claire"])
    with open_audit(workspace, port.id) as session:
        finding = session.add_finding("2.1", "mineur", "Réclamations non enregistrées")
        late = session.add_action(finding.id, "Créer le registre", "Claire Martin", "2026-11-15")
        soon = session.add_action(finding.id, "Former l'accueil", "Paul Girard", "2026-12-20", "preventive")
        done = session.add_action(finding.id, "Afficher la procédure", "Claire Martin", "2027-03-01")
        session.update_action(soon.id, status="in-progress")
        session.update_action(done.id, status="done")
    garrigue = create_structure(workspace, "Cœur de Garrigue", "AI")
    other = add_ecart(workspace, garrigue.id, "autre", "Extincteur non vérifié", ref="visite du 3 novembre")
    with open_holder(workspace, garrigue.id) as session:
        far = session.add_action(other.id, "Faire vérifier l'extincteur", "Direction", "2027-06-30", "curative")
    add_ecart(workspace, port.structure, "autre", "Porte coupe-feu calée", class_id="ecart")
    return {"audit": port.id, "port": port.structure, "garrigue": garrigue.id,
            "late": (port.id, late.id), "soon": (port.id, soon.id), "done": (port.id, done.id),
            "far": (garrigue.id, far.id)}


def keys(view) -> list[tuple[str, str]]:
    return [(action.holder, action.id) for action in view.records()]


def test_the_plan_lists_every_source_sorted_by_due_date_with_counts(workspace, plan):
    view = read_plan(workspace, today=TODAY)
    assert keys(view) == [plan["late"], plan["soon"], plan["done"], plan["far"]]
    assert [(a.source.kind, a.source.ref) for a in view.records()] == [("audit", plan["audit"])] * 3 + [
        ("autre", "visite du 3 novembre")]
    late = view.records()[0]
    assert (late.overdue, late.open, late.referential, late.finding.text, late.finding.closed) == (
        True, True, "mini", "Réclamations non enregistrées", False)
    assert view.to_builtins()["counts"] == {"todo": 2, "in-progress": 1, "done": 1, "overdue": 1, "unverified": 1}
    assert view.sources == {"audit": 3, "autre": 1}
    assert view.names == {plan["port"]: "Atelier du Port", plan["garrigue"]: "Cœur de Garrigue"}
    assert [(u.holder, u.finding.text) for u in view.unplanned] == [(plan["port"], "Porte coupe-feu calée")]


@pytest.mark.parametrize(("criteria", "expected"), [
    (PlanFilter(structure="GARRIGUE"), ["far"]),
    (PlanFilter(owner="claire"), ["late", "done"]),
    (PlanFilter(owner="GIRARD"), ["soon"]),
    (PlanFilter(status="in-progress"), ["soon"]),
    (PlanFilter(status="done"), ["done"]),
    (PlanFilter(source="autre"), ["far"]),
    (PlanFilter(source="audit"), ["late", "soon", "done"]),
    (PlanFilter(source="reclamation"), []),
    (PlanFilter(referential="mini"), ["late", "soon", "done"]),
    (PlanFilter(overdue=True), ["late"]),
    (PlanFilter(due_within=30), ["late", "soon"]),
    (PlanFilter(due_within=0), ["late"]),
    (PlanFilter(verified="no"), ["done"]),
    (PlanFilter(verified="yes"), []),
    (PlanFilter(history=True), ["late", "soon", "done", "far"]),
    (PlanFilter(owner="claire", status="todo", source="audit"), ["late"]),
])
def test_each_filter(workspace, plan, criteria, expected):
    if criteria.structure == "GARRIGUE":
        criteria = PlanFilter(structure=plan["garrigue"])
    view = read_plan(workspace, criteria, TODAY)
    assert keys(view) == [plan[name] for name in expected]
    assert sum(view.sources.values()) == len(expected)
    if criteria.on_actions():
        assert view.unplanned == [], "an écart without action has no owner, status nor due date"


def test_verified_filters_follow_the_verification(workspace, plan):
    holder, action_id = plan["done"]
    with open_holder(workspace, holder) as session:
        session.update_action(action_id, verified_by="Claire", effective=False, comment="Procédure non lue")
    assert keys(read_plan(workspace, PlanFilter(verified="yes"), TODAY)) == [plan["done"]]
    assert keys(read_plan(workspace, PlanFilter(verified="no"), TODAY)) == []
    done = read_plan(workspace, PlanFilter(verified="yes"), TODAY).records()[0]
    assert (done.verified_by, done.verified_on, done.effective, done.verification_comment) == (
        "Claire", date.today().isoformat(), False, "Procédure non lue")


@pytest.mark.parametrize("bad", [
    PlanFilter(status="fini"), PlanFilter(source="audit interne"), PlanFilter(verified="peut-être"),
    PlanFilter(due_within=-1), PlanFilter(structure="../x"), PlanFilter(structure="inconnue"),
])
def test_bad_filters_are_refused(workspace, plan, bad):
    with pytest.raises(UserError):
        read_plan(workspace, bad, TODAY)


def _closed(workspace, holder: str, finding_id: str) -> bool:
    view = read_plan(workspace, PlanFilter(history=True), today=TODAY)
    states = {a.finding.closed for a in view.records() if (a.holder, a.finding.id) == (holder, finding_id)}
    assert len(states) == 1
    return states.pop()


@pytest.mark.parametrize("source", ["audit", "autre"])
def test_an_ecart_closes_when_its_actions_are_done_and_the_latest_verification_is_effective(workspace, source):
    if source == "audit":
        audit = create_audit(workspace, "mini", "Atelier du Port", "internal", "ACI", "2026-10-01")
        holder = audit.id
        with open_holder(workspace, holder) as session:
            finding_id = session.add_finding("2.1", "mineur", "Registre absent").id
    else:
        holder = create_structure(workspace, "Atelier du Port", "ACI").id
        finding_id = add_ecart(workspace, holder, "autre", "Registre absent").id
    with open_holder(workspace, holder) as session:
        first = session.add_action(finding_id, "Créer le registre", "Direction", "2026-11-30").id
        session.update_action(first, status="done")
        with pytest.raises(UserError, match="--verified-by et --effective ensemble"):
            session.update_action(first, verified_by="Claire")
        session.update_action(first, verified_by="Claire", effective=False)
    assert not _closed(workspace, holder, finding_id)
    assert read_plan(workspace, today=TODAY).records()[0].open, "an ineffective action stays open"
    with open_holder(workspace, holder) as session:
        second = session.add_action(finding_id, "Relancer le registre", "Direction", "2027-01-31").id
        with pytest.raises(UserError, match="réalisée"):
            session.update_action(second, verified_by="Claire", effective=True)
        session.update_action(second, status="done", verified_by="Claire", effective=True)
    assert read_plan(workspace, today=TODAY).actions == [], "a closed écart owes nothing more"
    assert _closed(workspace, holder, finding_id)
    finished = read_plan(workspace, PlanFilter(history=True), TODAY).records()
    assert [(a.id, a.open, a.effective) for a in finished] == [(first, False, False), (second, False, True)]


def test_an_ecart_of_a_class_without_action_plan_is_not_unplanned(workspace):
    structure = create_structure(workspace, "Atelier du Port", "ACI").id
    add_ecart(workspace, structure, "controle", "Affichage à revoir", class_id="observation")
    add_ecart(workspace, structure, "reclamation", "Retard de paie", ref="R-2026-04")
    view = read_plan(workspace, today=TODAY)
    assert [(u.source.kind, u.source.ref, u.finding.text) for u in view.unplanned] == [
        ("reclamation", "R-2026-04", "Retard de paie")]


def test_a_postponement_needs_a_reason_and_is_kept_in_the_history(workspace, plan):
    holder, action_id = plan["late"]
    with open_holder(workspace, holder) as session:
        with pytest.raises(UserError, match="raison"):
            session.update_action(action_id, due="2027-01-15")
        with pytest.raises(UserError, match="raison"):
            session.update_action(action_id, due="2027-01-15", reason="  ")
        with pytest.raises(UserError, match="--due"):
            session.update_action(action_id, reason="Attente du devis")
        with pytest.raises(UserError, match="déjà"):
            session.update_action(action_id, due="2026-11-15", reason="Rien")
        with pytest.raises(UserError, match="invalide"):
            session.update_action(action_id, due="15.01.2027", reason="Attente du devis")
        session.update_action(action_id, due="2027-01-15", reason="Attente du devis")
        session.update_action(action_id, due="15/02/2027", reason="Prestataire absent")  # stored as AAAA-MM-JJ
    action = next(a for a in read_plan(workspace, today=TODAY).records() if (a.holder, a.id) == plan["late"])
    assert action.due == "2027-02-15" and not action.overdue
    assert [(p["from"], p["to"], p["reason"]) for p in action.postponements] == [
        ("2026-11-15", "2027-01-15", "Attente du devis"), ("2027-01-15", "2027-02-15", "Prestataire absent")]


def test_the_plan_follows_each_change_of_a_file(workspace, plan):
    assert read_plan(workspace, PlanFilter(overdue=True), TODAY).counts.overdue == 1
    holder, action_id = plan["late"]
    with open_holder(workspace, holder) as session:
        session.update_action(action_id, status="done")
    assert read_plan(workspace, PlanFilter(overdue=True), TODAY).actions == []
    assert (workspace.path / "plan-index.json").is_file()
    assert to_watch(workspace, TODAY).overdue == 0


def test_to_watch_counts_overdue_and_due_within_30_days(workspace, plan):
    watch = to_watch(workspace, TODAY)
    assert (watch.overdue, watch.due_soon) == (1, 1)
    assert to_watch(workspace, date(2027, 6, 1)).overdue == 2


def test_open_holder_says_when_neither_an_audit_nor_a_structure(workspace, plan):
    with pytest.raises(UserError, match="audit inconnu « personne », ni structure"):
        open_holder(workspace, "personne")
    with pytest.raises(UserError, match="invalide"):
        open_holder(workspace, "../audit")


def test_ecart_add_refuses_bad_input_and_writes_nothing(workspace, plan):
    before = read_plan(workspace, today=TODAY).to_builtins()
    for source, text, class_id in [("audit", "x", "ecart"), ("inconnue", "x", "ecart"), ("autre", " ", "ecart"),
                                   ("autre", "x", "majeur"), ("autre", "\x1b]0;x\x07", "ecart")]:
        with pytest.raises(UserError):
            add_ecart(workspace, plan["garrigue"], source, text, class_id)
    assert read_plan(workspace, today=TODAY).to_builtins() == before
