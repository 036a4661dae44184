"""Contrôles (AFAQ 6.1) through the services and the CLI: the frequency per engagement, contrôles
conforme or écart (the écart raised with it, the observation as constat), periods due and missed."""

from __future__ import annotations

import json
from datetime import date

import pytest

from audit_bench.services import UserError
from audit_bench.services import checks
from audit_bench.services.audits import create_audit
from audit_bench.services.checks import add_check, list_checks, set_frequency
from audit_bench.services.structures import create_structure, open_structure, show_structure, structure_path

TODAY = date(2026, 12, 1)


@pytest.fixture
def structure(workspace) -> str:
    """A structure that follows the tests' referential `mini` (engagements are its node ids)."""
    return create_audit(workspace, "mini", "Atelier du Port", "internal", "ACI", "2026-10-01").structure


def test_quarterly_engagement_periods_done_missed_and_due(workspace, structure, monkeypatch):
    monkeypatch.setattr(checks, "now", lambda: "2026-02-15T09:00:00+01:00")
    set_frequency(workspace, structure, "1.2", 3)
    set_frequency(workspace, structure, "2.1", 12)
    add_check(workspace, structure, "10/03/2026", "Claire Martin", "1.2", True, today=TODAY)
    add_check(workspace, structure, "2026-08-20", "Claire Martin", "1.2", True, "Entretiens tenus", today=TODAY)
    add_check(workspace, structure, "2026-09-01", "Paul Durand", "2.1", True, today=TODAY)
    view = list_checks(workspace, structure, today=TODAY)
    quarterly, yearly = view.frequencies
    assert [(p.label, p.state, p.checks) for p in quarterly.periods] == [
        ("T1 2026", "done", ["C1"]), ("T2 2026", "missed", []), ("T3 2026", "done", ["C2"]), ("T4 2026", "due", [])]
    assert (quarterly.engagement, quarterly.last, quarterly.due, quarterly.missed) == ("1.2", "2026-08-20", True, 1)
    assert [(p.label, p.state) for p in yearly.periods] == [("2026", "done")] and not yearly.due
    assert [c.id for c in view.checks] == ["C3", "C2", "C1"]


def test_lookback_is_a_year(workspace, structure, monkeypatch):
    monkeypatch.setattr(checks, "now", lambda: "2023-05-01T09:00:00+01:00")
    set_frequency(workspace, structure, "1.2", 6)
    [row] = list_checks(workspace, structure, today=TODAY).frequencies
    assert [(p.label, p.state) for p in row.periods] == [("S2 2025", "missed"), ("S1 2026", "missed"),
                                                         ("S2 2026", "due")]


def test_an_ecart_is_raised_with_its_check_in_one_write(workspace, structure):
    check = add_check(workspace, structure, "2026-11-03", "Claire Martin", "1.2", False, "Pas de point mensuel",
                      today=TODAY)
    [ecart] = show_structure(workspace, structure).ecarts
    assert (check.id, check.ecart) == ("C1", ecart.id)
    assert (ecart.source, ecart.ref, ecart.text, ecart.class_) == ("controle", "contrôle C1", "Pas de point mensuel",
                                                                  "ecart")
    with open_structure(workspace, structure, write=False) as session:
        assert session.snapshot().register_dates()["check"] == ["2026-11-03"]


def test_frequency_replaced_then_cleared(workspace, structure):
    set_frequency(workspace, structure, "1.2", 3)
    set_frequency(workspace, structure, "1.2", 1)
    assert [(f.engagement, f.every_months) for f in list_checks(workspace, structure, TODAY).frequencies] == [("1.2", 1)]
    set_frequency(workspace, structure, "1.2", None)
    assert list_checks(workspace, structure, TODAY).frequencies == []
    with pytest.raises(UserError, match="aucune fréquence de contrôle pour l'engagement « 1.2 »"):
        set_frequency(workspace, structure, "1.2", None)


def test_a_structure_following_no_referential_names_its_own_engagements(workspace):
    own = create_structure(workspace, "Sans référentiel", "ACI").id
    set_frequency(workspace, own, "Accueil téléphonique", 1)
    assert add_check(workspace, own, "2026-11-03", "Claire", "Accueil téléphonique", True, today=TODAY).id == "C1"


@pytest.mark.parametrize("args, match", [
    (("2026-11-03", "Claire", "9.9", True), "engagement inconnu « 9.9 »"),
    (("2026-13-03", "Claire", "1.2", True), "date du contrôle invalide"),
    (("2026-12-02", "Claire", "1.2", True), "date du contrôle à venir"),
    (("2026-11-03", " ", "1.2", True), "l'observateur ne peut pas être vide"),
    (("2026-11-03", "Claire", "1.2", False, ""), "le constat de l'écart"),
    (("2026-11-03", "Cla\x1b[2Jire", "1.2", True), "caractère de contrôle"),
])
def test_add_check_bad_input_changes_nothing(workspace, structure, args, match):
    add_check(workspace, structure, "2026-11-01", "Claire", "1.2", True, today=TODAY)
    path = structure_path(workspace, structure)
    before = path.read_bytes()
    with pytest.raises(UserError, match=match):
        add_check(workspace, structure, *args, today=TODAY)
    assert path.read_bytes() == before


@pytest.mark.parametrize("engagement, months, match", [("1.2", 5, "fréquence invalide"),
                                                       ("9.9", 3, "engagement inconnu")])
def test_frequency_bad_input_changes_nothing(workspace, structure, engagement, months, match):
    set_frequency(workspace, structure, "1.1", 3)
    path = structure_path(workspace, structure)
    before = path.read_bytes()
    with pytest.raises(UserError, match=match):
        set_frequency(workspace, structure, engagement, months)
    assert path.read_bytes() == before


def test_cli_controles_journey_json_and_bad_input(cli):
    structure = afaq_structure(cli)
    cli("controle", "frequency", structure, "E4", "--months", "3")
    added = json.loads(cli("controle", "add", structure, "--date", "03/11/2026", "--observer", "Claire Martin",
                           "--engagement", "E4", "--result", "ecart", "--observation", "Pas de point mensuel",
                           "--json").stdout)
    assert added == {"id": "C1", "ecart": "E1"}
    view = json.loads(cli("controles", structure, "--json").stdout)
    assert set(view) == {"structure", "frequencies", "checks"}
    [row] = view["frequencies"]
    assert set(row) == {"engagement", "title", "every_months", "last", "due", "missed", "periods"}
    assert set(row["periods"][0]) == {"start", "end", "label", "state", "checks"}
    assert view["checks"] == [{"id": "C1", "date": "2026-11-03", "observer": "Claire Martin", "engagement": "E4",
                               "conforme": False, "observation": "Pas de point mensuel", "ecart": "E1"}]
    assert "C1  2026-11-03  E4  Claire Martin  écart E1" in cli("controles", structure).stdout
    path = cli.workspace / "structures" / f"{structure}.json"
    before = path.read_bytes()
    for args, message in [
        (("controle", "add", structure, "--date", "2026-11-03", "--observer", "Claire", "--engagement", "E12",
          "--result", "conforme"), "engagement inconnu « E12 »"),
        (("controle", "add", structure, "--date", "2026-11-03", "--observer", "Claire", "--engagement", "E4",
          "--result", "ecart"), "le constat de l'écart"),
        (("controle", "add", structure, "--date", "2026-11-03", "--observer", "Claire", "--engagement", "E4",
          "--result", "peut-etre"), "peut-etre"),
        (("controle", "frequency", structure, "E4", "--months", "5"), "fréquence invalide"),
        (("controle", "frequency", structure, "E4"), "donner --months N, ou --clear"),
        (("controles", "inconnue"), "structure inconnue"),
    ]:
        result = cli(*args, check=False)
        assert result.returncode != 0 and message in result.stderr, (args, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1 and result.stdout == ""
    assert path.read_bytes() == before


def afaq_structure(cli) -> str:
    """A structure of the CLI's workspace certified AFAQ (its engagements are E1…E9), made through
    the services: the commands under test are the ones run as a user runs them."""
    from audit_bench.services import Workspace
    from audit_bench.services.structures import set_certification

    workspace = Workspace(cli.workspace)
    structure = create_structure(workspace, "Atelier", "ACI").id
    set_certification(workspace, structure, "afaq", "AFNOR", "N1", "2026-01-10", "2029-01-09")
    return structure
