"""`plan`, `ecart add|edit`, and the action verbs on a structure's écart, through the entry point:
the JSON keys of the contract, the exports opened back cell by cell, every bad input refused in
one line with nothing changed."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest

from support import data_digest

FORMULA = '=HYPERLINK("http://exemple.invalid";"clic")'


def _planned(cli):
    audit = cli("new", "--referential", "mini", "--org", "Atelier du Port", "--siae-type", "ACI", "--kind",
                "internal", "--date", "2026-01-10").stdout.strip()
    structure = json.loads(cli("show", audit, "--json").stdout)["structure"]
    finding = cli("finding", audit, "2.1", "--class", "mineur", "--text", "Réclamations perdues").stdout.strip()
    late = cli("action", audit, finding, "--text", "Créer le registre", "--owner", "Claire Martin",
               "--due", "2026-02-28").stdout.strip()
    ecart = cli("ecart", "add", structure, "--source", "autre", "--text", FORMULA, "--ref", "+visite",
                "--immediate-action", "Porte débloquée").stdout.strip()
    first = cli("action", structure, ecart, "--text", "-Former les équipes", "--owner", "@Direction",
                "--due", "2099-01-31", "--type", "preventive").stdout.strip()
    second = cli("action", structure, ecart, "--text", "Afficher la consigne", "--owner", "Accueil",
                 "--due", "2099-03-31").stdout.strip()
    return {"audit": audit, "structure": structure, "finding": finding, "late": late, "ecart": ecart,
            "first": first, "second": second}


@pytest.fixture
def planned(cli, built_once):
    """An audit's écart with an overdue action, and a structure's écart « autre » with two actions."""
    return built_once(_planned, cli)


def plan_json(cli, *args: str) -> dict:
    return json.loads(cli("plan", *args, "--json").stdout)


def test_plan_json_keys_and_the_actions_of_every_source(cli, planned):
    plan = plan_json(cli)
    assert set(plan) >= {"actions", "counts"}
    assert set(plan["counts"]) == {"todo", "in-progress", "done", "overdue", "unverified"}
    row = plan["actions"][0]
    assert set(row) >= {"id", "structure", "source", "finding", "text", "type", "owner", "due", "status", "overdue",
                        "postponements", "verified_by", "verified_on", "effective"}
    assert [(a["holder"], a["id"], a["source"]["kind"]) for a in plan["actions"]] == [
        (planned["audit"], planned["late"], "audit"), (planned["structure"], planned["first"], "autre"),
        (planned["structure"], planned["second"], "autre")]
    assert (row["overdue"], row["structure"], row["source"]["ref"]) == (True, planned["structure"], planned["audit"])
    other = plan["actions"][1]
    assert (other["finding"]["text"], other["type"], other["source"]["ref"]) == (FORMULA, "preventive", "+visite")
    assert plan["counts"] == {"todo": 3, "in-progress": 0, "done": 0, "overdue": 1, "unverified": 0}
    assert plan["sources"] == {"audit": 1, "autre": 2}
    assert [a["id"] for a in plan_json(cli, "--source", "autre", "--owner", "direction")["actions"]] == [
        planned["first"]]
    assert [a["id"] for a in plan_json(cli, "--overdue", "--structure", planned["structure"])["actions"]] == [
        planned["late"]]
    assert plan_json(cli, "--referential", "mini", "--due-within", "30")["counts"]["todo"] == 1
    text = cli("plan").stdout
    assert "EN RETARD" in text and "Créer le registre" in text and "3 action(s)" in text


def test_postpone_close_and_verify_an_ecart_of_a_structure(cli, planned):
    structure, first, second = planned["structure"], planned["first"], planned["second"]
    cli("action-update", structure, first, "--due", "2099-02-28", "--reason", "Formateur indisponible")
    for action in (first, second):
        cli("action-update", structure, action, "--status", "done")
    cli("action-update", structure, first, "--verified-by", "Claire", "--effective", "yes")
    cli("action-update", structure, second, "--verified-by", "Claire", "--effective", "yes", "--comment", "Vu")
    cli("ecart", "edit", structure, planned["ecart"], "--root-cause", "Consigne inconnue")
    assert plan_json(cli, "--source", "autre")["actions"] == [], "finished actions are history"
    actions = {a["id"]: a for a in plan_json(cli, "--source", "autre", "--all")["actions"]}
    assert [(p["from"], p["to"], p["reason"]) for p in actions[first]["postponements"]] == [
        ("2099-01-31", "2099-02-28", "Formateur indisponible")]
    assert actions[second]["finding"]["closed"]
    shown = json.loads(cli("structure", "show", structure, "--json").stdout)["ecarts"]
    assert [(e["id"], e["source"], e["immediate_action"], e["root_cause"], len(e["actions"])) for e in shown] == [
        (planned["ecart"], "autre", "Porte débloquée", "Consigne inconnue", 2)]
    assert (actions[second]["verified_by"], actions[second]["effective"]) == ("Claire", True)


@pytest.mark.parametrize("args", [
    ("plan", "--status", "fini"),
    ("plan", "--source", "inconnue"),
    ("plan", "--due-within", "-1"),
    ("plan", "--due-within", "trente"),
    ("plan", "--structure", "personne"),
    ("plan", "--verified", "peut-être"),
    ("plan", "--xlsx", ""),
    ("ecart", "add", "personne", "--source", "autre", "--text", "x"),
    ("ecart", "add", "STRUCTURE", "--source", "audit", "--text", "x"),
    ("ecart", "add", "STRUCTURE", "--source", "autre", "--text", "x", "--class", "majeur"),
    ("ecart", "add", "STRUCTURE", "--source", "autre", "--text", " "),
    ("ecart", "add", "STRUCTURE", "--text", "x"),
    ("ecart", "edit", "STRUCTURE", "E9", "--root-cause", "x"),
    ("ecart", "edit", "STRUCTURE", "ECART"),
    ("action", "STRUCTURE", "E9", "--text", "x", "--owner", "y", "--due", "2027-01-01"),
    ("action", "STRUCTURE", "ECART", "--text", "x", "--owner", "y", "--due", "2027-13-01"),
    ("action", "STRUCTURE", "ECART", "--text", "x", "--owner", "y", "--due", "2027-01-01", "--type", "urgente"),
    ("action", "personne", "E1", "--text", "x", "--owner", "y", "--due", "2027-01-01"),
    ("action-update", "STRUCTURE", "FIRST", "--due", "2099-06-30"),
    ("action-update", "STRUCTURE", "FIRST", "--due", "2099-06-30", "--reason", ""),
    ("action-update", "STRUCTURE", "FIRST", "--reason", "Retard"),
    ("action-update", "STRUCTURE", "FIRST", "--due", "2099-01-31", "--reason", "Même date"),
    ("action-update", "STRUCTURE", "FIRST", "--verified-by", "Claire", "--effective", "yes"),
    ("action-update", "STRUCTURE", "FIRST", "--comment", "Vu"),
    ("action-update", "STRUCTURE", "A9", "--status", "done"),
    ("action-update", "AUDIT", "LATE", "--due", "2026-06-30"),
])
def test_bad_input_is_one_line_and_changes_nothing(cli, planned, args):
    names = {"STRUCTURE": planned["structure"], "ECART": planned["ecart"], "FIRST": planned["first"],
             "AUDIT": planned["audit"], "LATE": planned["late"]}
    before = data_digest(cli.workspace)
    refused = cli(*[names.get(arg, arg) for arg in args], check=False)
    assert refused.returncode != 0 and refused.stdout == ""
    assert refused.stderr.startswith("audit-bench: erreur : ") and refused.stderr.count("\n") == 1, refused.stderr
    assert data_digest(cli.workspace) == before


def _expected_rows(plan: dict) -> list[list[str]]:
    return [[a["structure"], a["source"]["kind"], a["source"]["ref"], a["finding"]["text"], a["text"], a["owner"],
             a["due"]] for a in plan["actions"]]


COLUMNS = {"Structure": 0, "Source": 1, "Référence": 2, "Constat": 3, "Action à mener": 4, "Responsable": 5,
           "Échéance": 6}


def test_exports_open_back_cell_by_cell_and_formula_like_text_stays_text(cli, planned, tmp_path):
    xlsx, csv_path = tmp_path / "plan.xlsx", tmp_path / "plan.csv"
    cli("plan", "--xlsx", str(xlsx), "--csv", str(csv_path))
    plan = plan_json(cli)
    names = {"Atelier du Port": planned["structure"], "Audit": "audit", "Autre": "autre"}

    sheet = openpyxl.load_workbook(xlsx).active
    headers = [cell.value for cell in sheet[1]]
    rows = [[cell for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert len(rows) == len(plan["actions"]) == 3
    picked = [[names.get(row[headers.index(h)].value, row[headers.index(h)].value) or "" for h in COLUMNS]
              for row in rows]
    assert picked == _expected_rows(plan)
    for cell in (cell for row in rows for cell in row if cell.value is not None):
        assert cell.data_type == "s", (cell.coordinate, cell.value)  # never a formula
        assert bool(cell.quotePrefix) == cell.value.startswith(("=", "+", "-", "@"))
    assert sum(cell.quotePrefix for row in rows for cell in row) == 6  # the écart's text and ref on two rows

    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert lines[0] == headers
    unescaped = [[cell[1:] if cell.startswith("'") else cell for cell in line] for line in lines[1:]]
    assert [[names.get(line[headers.index(h)], line[headers.index(h)]) for h in COLUMNS] for line in unescaped] == \
        _expected_rows(plan)
    escaped = {cell for line in lines[1:] for cell in line if cell.startswith("'")}
    assert escaped == {"'" + FORMULA, "'+visite", "'-Former les équipes", "'@Direction"}
    assert all(not cell.startswith(("=", "+", "-", "@")) for line in lines[1:] for cell in line)

    refused = cli("plan", "--csv", str(csv_path), "--xlsx", str(tmp_path / "autre.xlsx"), check=False)
    assert refused.returncode == 1 and "--force" in refused.stderr and not (tmp_path / "autre.xlsx").exists()
    inside = cli("plan", "--csv", str(cli.workspace / "plan.csv"), check=False)
    assert inside.returncode == 1 and not (cli.workspace / "plan.csv").exists()
