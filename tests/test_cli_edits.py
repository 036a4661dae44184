"""Correcting what was recorded, through the entry point: finding-, evidence- and action-edit and
-delete; every bad input one line, nothing changed; an audit's écarts and evidence frozen once closed."""

from __future__ import annotations

import json

import pytest

from test_cli_journey import new_audit


def _recorded(cli):
    audit = new_audit(cli)
    cli("assess", audit, "1.2", "E", "--note", "Pas d'entretien tracé")
    evidence = cli("evidence", audit, "1.2", "--title", "Cahier d'entretiens", "--version", "2025").stdout.strip()
    finding = cli("finding", audit, "1.2", "--class", "mineur", "--text", "Entretiens non tracés").stdout.strip()
    first = cli("action", audit, finding, "--text", "Modèle", "--owner", "CIP", "--due", "2027-01-31").stdout.strip()
    second = cli("action", audit, finding, "--text", "Former", "--owner", "CIP", "--due", "2027-02-28").stdout.strip()
    return audit, evidence, finding, first, second


@pytest.fixture
def recorded(cli, built_once):
    """An audit with a rating, an evidence, an écart and its two actions."""
    return built_once(_recorded, cli)


def shown(cli, audit: str) -> dict:
    return json.loads(cli("show", audit, "--json").stdout)


def actions(view: dict) -> list[dict]:
    return [action for finding in view["findings"] for action in finding["actions"]]


def test_edits_change_only_what_is_given(cli, recorded):
    audit, evidence, finding, first, _ = recorded
    cli("finding-edit", audit, finding, "--text", "Aucun entretien d'accueil tracé depuis mars")
    cli("finding-edit", audit, finding, "--class", "majeur")
    cli("evidence-edit", audit, evidence, "--location", "Bureau de la CIP")
    cli("action-edit", audit, first, "--owner", "Direction", "--type", "preventive")
    view = shown(cli, audit)
    [ecart] = view["findings"]
    assert (ecart["text"], ecart["class"]) == ("Aucun entretien d'accueil tracé depuis mars", "majeur")
    [proof] = view["evidence"]
    assert (proof["title"], proof["version"], proof["location"]) == ("Cahier d'entretiens", "2025", "Bureau de la CIP")
    action = next(a for a in actions(view) if a["id"] == first)
    assert (action["text"], action["owner"], action["type"], action["due"]) == ("Modèle", "Direction", "preventive",
                                                                                 "2027-01-31")


def test_deleting_an_ecart_deletes_its_actions_and_says_which(cli, recorded):
    audit, evidence, finding, first, second = recorded
    said = cli("finding-delete", audit, finding).stdout.strip()
    assert said == f"écart {finding} supprimé, avec ses actions {first}, {second}"
    cli("evidence-delete", audit, evidence)
    view = shown(cli, audit)
    assert view["findings"] == [] and view["evidence"] == []


def test_action_delete_leaves_the_other_actions(cli, recorded):
    audit, _, _, first, second = recorded
    cli("action-delete", audit, first)
    assert [a["id"] for a in actions(shown(cli, audit))] == [second]


@pytest.mark.parametrize("args, message", [
    (["finding-edit", "{audit}", "{finding}"], "rien à modifier"),
    (["finding-edit", "{audit}", "E99", "--text", "x"], "écart inconnu « E99 »"),
    (["finding-edit", "{audit}", "{finding}", "--class", "grave"], "classe"),
    (["finding-edit", "{audit}", "{finding}", "--text", ""], "--text ne peut pas être vide"),
    (["evidence-edit", "{audit}", "P99", "--title", "x"], "preuve inconnue « P99 »"),
    (["evidence-edit", "{audit}", "{evidence}"], "rien à modifier"),
    (["action-edit", "{audit}", "{first}"], "action-update --due --reason"),
    (["action-edit", "{audit}", "{first}", "--type", "magique"], "magique"),
    (["action-delete", "{audit}", "A99"], "action inconnue « A99 »"),
    (["finding-delete", "inconnu-0000", "E1"], "inconnu"),
])
def test_bad_input_is_one_line_and_changes_nothing(cli, recorded, args, message):
    audit, evidence, finding, first, _ = recorded
    before = shown(cli, audit)
    values = {"audit": audit, "evidence": evidence, "finding": finding, "first": first}
    result = cli(*[arg.format(**values) for arg in args], check=False)
    assert result.returncode != 0 and message in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert shown(cli, audit) == before


def test_a_closed_audit_keeps_its_ecarts_and_evidence_but_its_actions_stay_editable(cli, recorded):
    audit, evidence, finding, first, _ = recorded
    cli("close", audit)
    for args in (["finding-edit", audit, finding, "--text", "x"], ["finding-delete", audit, finding],
                 ["evidence-edit", audit, evidence, "--title", "x"], ["evidence-delete", audit, evidence]):
        result = cli(*args, check=False)
        assert result.returncode != 0 and "audit clos" in result.stderr, (args, result.stderr)
    cli("action-edit", audit, first, "--owner", "Direction")
    assert next(a for a in actions(shown(cli, audit)) if a["id"] == first)["owner"] == "Direction"


def test_the_header_is_completed_after_creation_and_bad_input_changes_nothing(cli, recorded):
    audit = recorded[0]
    cli("edit", audit, "--place", "Marseille, atelier du Port", "--objectives", "Préparer le renouvellement",
        "--end-date", "21/11/2026", "--auditor", "Claire Martin")
    header = shown(cli, audit)
    assert (header["place"], header["objectives"], header["end_date"], header["auditors"]) == (
        "Marseille, atelier du Port", "Préparer le renouvellement", "2026-11-21", ["Claire Martin"])
    for args, message in ((["--end-date", "2026-11-01"], "précède"), ([], "rien à modifier"),
                          (["--end-date", "31/11/2026"], "n'existe pas")):
        result = cli("edit", audit, *args, check=False)
        assert result.returncode != 0 and message in result.stderr and len(result.stderr.splitlines()) == 1
    assert shown(cli, audit)["end_date"] == "2026-11-21"
    cli("edit", audit, "--end-date", "")  # a one-day audit again
    assert shown(cli, audit)["end_date"] is None
