"""`structures` and `structure new|show|edit|person|certification`, and `new --structure`, through
the real entry point: what a user reads, the JSON keys scripts depend on, and every bad input
refused with one French line and nothing changed."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta

import pytest

from support import MINI_PLUGIN, Cli, data_digest, mini_env, write_distribution

NEW_AUDIT = ["new", "--referential", "mini", "--kind", "internal", "--date", "2026-11-20"]
SIRET = "123 456 789 00015"
"""A SIRET whose Luhn key is right."""
PAST = (date.today() - timedelta(days=30)).isoformat()
FUTURE = (date.today() + timedelta(days=30)).isoformat()


def created(cli: Cli, *args: str) -> str:
    """`structure new ARGS --json`: the new structure's id."""
    return json.loads(cli("structure", "new", *args, "--json").stdout)["id"]


def audit_with_actions(cli: Cli, structure_id: str) -> str:
    """An audit of the structure with one action overdue and one not yet due."""
    audit = cli(*NEW_AUDIT, "--structure", structure_id).stdout.strip()
    finding = cli("finding", audit, "1.2", "--class", "mineur", "--text", "Entretiens non tracés").stdout.strip()
    cli("action", audit, finding, "--text", "Fiche d'entretien", "--owner", "CIP", "--due", PAST)
    cli("action", audit, finding, "--text", "Former les CIP", "--owner", "Direction", "--due", FUTURE)
    return audit


def test_a_structure_from_creation_to_listing(cli):
    assert cli("structures").stdout == (
        "Aucune structure. Créez-en une avec « audit-bench structure new --name NOM ».\n")
    structure = cli("structure", "new", "--name", "Les Jardins du Port", "--siae-type", "ACI", "--siret", SIRET,
                    "--place", "Marseille").stdout.strip()
    cli("structure", "person", structure, "--name", "Claire Martin", "--role", "auditeur-interne",
        "--trained-on", "2025-03-01")
    cli("structure", "person", structure, "--name", "Yves Dupont", "--role", "direction")
    assert cli("structure", "certification", structure, "--referential", "mini", "--body", "AFNOR Certification",
               "--number", "C-12", "--issued", "2025-01-15").stdout == "valable jusqu'au 2028-01-14\n"
    audit = audit_with_actions(cli, structure)

    shown = json.loads(cli("structure", "show", structure, "--json").stdout)
    assert {key: shown[key] for key in ("id", "name", "siae_type", "siret", "place")} == {
        "id": structure, "name": "Les Jardins du Port", "siae_type": "ACI", "siret": "12345678900015",
        "place": "Marseille"}
    assert [(p["name"], p["role"], p["trained_on"]) for p in shown["people"]] == [
        ("Claire Martin", "auditeur-interne", "2025-03-01"), ("Yves Dupont", "direction", None)]
    assert shown["certifications"] == [{"referential": "mini", "body": "AFNOR Certification", "number": "C-12",
                                        "issued": "2025-01-15", "valid_until": "2028-01-14"}]
    [listed_audit] = shown["audits"]
    assert (listed_audit["id"], listed_audit["open_actions"], listed_audit["overdue_actions"]) == (audit, 2, 1)

    lines = cli("structure", "show", structure).stdout.splitlines()
    assert lines[:4] == [f"Les Jardins du Port (ACI) — {structure}", "SIRET : 12345678900015", "Lieu : Marseille",
                         "Personnes :"]
    assert "  Auditeur(trice) interne : Claire Martin, formé(e) à l'audit le 2025-03-01" in lines
    assert "  Direction : Yves Dupont" in lines
    assert "  mini n° C-12, AFNOR Certification, émis le 2025-01-15, valable jusqu'au 2028-01-14" in lines
    assert (f"  {audit}  mini     Audit interne  2026-11-20  0/5 cotées  1 écart(s) ouvert(s)  "
            "2 action(s) ouverte(s), 1 en retard  (en cours)") in lines
    assert lines[-1] == "Actions : 2 action(s) ouverte(s), 1 en retard"

    [row] = json.loads(cli("structures", "--json").stdout)["structures"]
    assert {"id", "name", "siae_type", "audits", "open_actions", "overdue_actions"} <= set(row)
    assert (row["id"], row["name"], row["siae_type"], row["audits"], row["open_actions"], row["overdue_actions"]) == (
        structure, "Les Jardins du Port", "ACI", 1, 2, 1)
    assert cli("structures").stdout.splitlines() == [
        f"{structure}  Les Jardins du Port (ACI)  1 audit(s)  2 action(s) ouverte(s), 1 en retard  "
        "certification(s) : mini valable jusqu'au 2028-01-14"]


def test_structures_say_which_certificates_have_expired(cli):
    structure = created(cli, "--name", "Atelier du Val", "--siae-type", "AI")
    cli("structure", "certification", structure, "--referential", "mini", "--body", "Organisme", "--number", "1",
        "--issued", "2020-01-01", "--valid-until", "2022-12-31")
    [line] = cli("structures").stdout.splitlines()
    assert line.endswith("certification(s) : mini expiré le 2022-12-31")
    assert "  mini n° 1, Organisme, émis le 2020-01-01, expiré le 2022-12-31" in cli(
        "structure", "show", structure).stdout.splitlines()


def test_an_audit_on_a_structure_shows_its_current_name(cli):
    structure = created(cli, "--name", "Atelier du Port", "--siae-type", "ACI")
    audit = json.loads(cli(*NEW_AUDIT, "--structure", structure, "--json").stdout)["id"]
    shown = json.loads(cli("show", audit, "--json").stdout)
    assert (shown["structure"], shown["org"], shown["siae_type"]) == (structure, "Atelier du Port", "ACI")

    cli("structure", "edit", structure, "--name", "Atelier du Port et des Quais")
    assert json.loads(cli("show", audit, "--json").stdout)["org"] == "Atelier du Port et des Quais"
    assert cli("show", audit).stdout.startswith("Atelier du Port et des Quais — mini version 1.0")
    [listed] = json.loads(cli("audits", "--json").stdout)["audits"]
    assert (listed["structure"], listed["org"]) == (structure, "Atelier du Port et des Quais")


def test_new_by_org_reuses_the_structure_of_that_name_and_type(cli):
    first = cli(*NEW_AUDIT, "--org", "Atelier", "--siae-type", "ACI").stdout.strip()
    second = cli(*NEW_AUDIT, "--org", "Atelier", "--siae-type", "ACI").stdout.strip()
    other = cli(*NEW_AUDIT, "--org", "Atelier", "--siae-type", "AI").stdout.strip()
    rows = json.loads(cli("structures", "--json").stdout)["structures"]
    assert sorted((row["name"], row["siae_type"], row["audits"]) for row in rows) == [
        ("Atelier", "ACI", 2), ("Atelier", "AI", 1)]
    shown = {json.loads(cli("show", audit, "--json").stdout)["structure"] for audit in (first, second, other)}
    assert len(shown) == 2


def test_edit_changes_only_the_fields_given_and_empty_removes(cli):
    structure = created(cli, "--name", "Atelier", "--siae-type", "ACI", "--siret", SIRET, "--place", "Lyon")
    cli("structure", "edit", structure, "--siae-type", "AI", "--place", "Lyon 7e")
    shown = json.loads(cli("structure", "show", structure, "--json").stdout)
    assert (shown["name"], shown["siae_type"], shown["siret"], shown["place"]) == (
        "Atelier", "AI", "12345678900015", "Lyon 7e")
    cli("structure", "edit", structure, "--siret", "", "--siae-type", "")
    shown = json.loads(cli("structure", "show", structure, "--json").stdout)
    assert (shown["siae_type"], shown["siret"], shown["place"]) == (None, None, "Lyon 7e")
    assert cli("structure", "show", structure).stdout.splitlines()[:2] == [
        f"Atelier (sans type) — {structure}", "SIRET : —"]


def test_people_and_certificates_are_removed_one_at_a_time(cli):
    structure = created(cli, "--name", "Atelier", "--siae-type", "ACI")
    for name in ("Claire", "Yves"):
        cli("structure", "person", structure, "--name", name, "--role", "auditeur-interne")
    for number in ("1", "2"):
        cli("structure", "certification", structure, "--referential", "mini", "--body", "AFNOR", "--number", number,
            "--issued", "2025-01-15")
    cli("structure", "person-delete", structure, "--name", "Claire", "--role", "auditeur-interne")
    cli("structure", "certification-delete", structure, "--referential", "mini", "--number", "2")
    shown = json.loads(cli("structure", "show", structure, "--json").stdout)
    assert [p["name"] for p in shown["people"]] == ["Yves"]
    assert [c["number"] for c in shown["certifications"]] == ["1"]


# Bad input ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Cli, str, str]:
    """One workspace (the tests' plugin installed): a structure of type ACI with an audit of the
    tests' referential, and a structure without a type."""
    root = tmp_path_factory.mktemp("structures")
    site = root / "site"
    site.mkdir()
    write_distribution(site, "audit_bench_mini", "audit_bench_mini", MINI_PLUGIN, "mini")
    cli = Cli(root / "ws", mini_env(site))
    typed = created(cli, "--name", "Atelier", "--siae-type", "ACI")
    cli(*NEW_AUDIT, "--structure", typed)
    untyped = created(cli, "--name", "Accompagnement")
    return cli, typed, untyped


PERSON = ["structure", "person", "{typed}", "--name", "Claire", "--role", "direction"]
CERTIFICATE = ["structure", "certification", "{typed}", "--referential", "mini", "--body", "AFNOR", "--number", "7",
               "--issued", "2025-01-15"]
BAD_INPUT = {
    "show unknown": (["structure", "show", "nope"], "structure inconnue « nope »"),
    "show bad id": (["structure", "show", "../x"], "identifiant de structure invalide « ../x »"),
    "edit unknown": (["structure", "edit", "nope", "--name", "X"], "structure inconnue « nope »"),
    "person unknown": (["structure", "person", "nope", "--name", "C", "--role", "direction"], "structure inconnue"),
    "certification unknown": (["structure", "certification", "nope", *CERTIFICATE[3:]], "structure inconnue"),
    "new audit unknown": ([*NEW_AUDIT, "--structure", "nope"], "structure inconnue « nope »"),
    "new audit both": ([*NEW_AUDIT, "--structure", "{typed}", "--org", "X"], "pas les deux"),
    "new audit neither": (NEW_AUDIT, "--structure ID"),
    "new audit other type": ([*NEW_AUDIT, "--structure", "{typed}", "--siae-type", "AI"],
                             "le type d'un audit est celui de sa structure (ACI)"),
    "new audit untyped": ([*NEW_AUDIT, "--structure", "{untyped}"], "n'a pas de type"),
    "new siret length": (["structure", "new", "--name", "Y", "--siret", "123"], "SIRET invalide « 123 »"),
    "new siret key": (["structure", "new", "--name", "Y", "--siret", "12345678900016"], "clé de contrôle"),
    "new unknown type": (["structure", "new", "--name", "Y", "--siae-type", "XX"],
                         "type de structure inconnu « XX »"),
    "new same name and type": (["structure", "new", "--name", "Atelier", "--siae-type", "ACI"], "existe déjà"),
    "new empty name": (["structure", "new", "--name", " "], "--name ne peut pas être vide"),
    "new json refused": (["structure", "new", "--name", "Y", "--siret", "1", "--json"], "SIRET invalide"),
    "edit nothing": (["structure", "edit", "{typed}"], "rien à modifier"),
    "edit bad siret": (["structure", "edit", "{typed}", "--siret", "1234"], "SIRET invalide"),
    "edit type its referential lacks": (["structure", "edit", "{typed}", "--siae-type", "ETTI"],
                                        "« ETTI » n'est pas défini par le référentiel mini"),
    "edit empty name": (["structure", "edit", "{typed}", "--name", ""], "--name ne peut pas être vide"),
    "person unknown role": ([*PERSON[:6], "chef"],
                            "--role : « chef » inconnu, choisir parmi president, direction, referent-qualite, "
                            "auditeur-interne"),
    "person bad date": ([*PERSON, "--trained-on", "2026-02-30"], "ce jour n'existe pas"),
    "person date format": ([*PERSON, "--trained-on", "2025/03/01"], "attendu AAAA-MM-JJ ou JJ/MM/AAAA"),
    "certification unknown referential": ([*CERTIFICATE[:4], "nope", *CERTIFICATE[5:]], "nope"),
    "certification bad issued": ([*CERTIFICATE[:-1], "2025-13-01"], "date d'émission invalide"),
    "certification bad valid until": ([*CERTIFICATE, "--valid-until", "2028"], "date de fin de validité invalide"),
    "certification ends before issued": ([*CERTIFICATE, "--valid-until", "2024-12-31"], "précède"),
    "certification no validity": (["structure", "certification", "{untyped}", "--referential", "afaq", "--body",
                                   "AFNOR", "--number", "7", "--issued", "2025-01-15"], "--valid-until"),
    "person-delete nobody": (["structure", "person-delete", "{typed}", "--name", "Personne", "--role", "direction"],
                             "aucune personne « Personne » avec le rôle « direction »"),
    "person-delete unknown role": (["structure", "person-delete", "{typed}", "--name", "X", "--role", "chef"],
                                   "--role : « chef » inconnu"),
    "certification-delete none": (["structure", "certification-delete", "{typed}", "--referential", "mini",
                                   "--number", "404"], "aucun certificat mini n° « 404 »"),
    "unknown subcommand": (["structure", "delete", "{typed}"], "commande inconnue « delete »"),
}


@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_bad_input_is_one_line_and_changes_nothing(hostile, case):
    cli, typed, untyped = hostile
    args, expected = BAD_INPUT[case]
    before = data_digest(cli.workspace)
    result = cli(*[arg.format(typed=typed, untyped=untyped) for arg in args], check=False)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], result.stderr
    assert result.stdout == ""
    assert data_digest(cli.workspace) == before


HOLDER = """
import sys
from pathlib import Path
from audit_bench.store.structure_file import StructureFile
held = StructureFile.open(Path(sys.argv[1]))
print("held", flush=True)
sys.stdin.read()
"""


def test_a_structure_another_process_writes_is_refused_naming_it(hostile):
    cli, typed, _ = hostile
    path = cli.workspace / "structures" / f"{typed}.json"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, env=cli.env)
    try:
        assert holder.stdout.readline().strip() == "held"
        before = data_digest(cli.workspace)
        result = cli("structure", "edit", typed, "--name", "Autre nom", check=False)
        assert result.returncode != 0 and result.stdout == ""
        [line] = result.stderr.splitlines()
        assert "lecture seule" in line and f"processus {holder.pid}" in line
        assert data_digest(cli.workspace) == before
        assert json.loads(cli("structure", "show", typed, "--json").stdout)["name"] == "Atelier"
    finally:
        holder.stdin.close()
        holder.wait()


def test_structures_still_list_when_the_index_cannot_be_saved_and_say_why(cli):
    structure = created(cli, "--name", "Atelier", "--siae-type", "ACI")
    (cli.workspace / "index.json").unlink(missing_ok=True)
    (cli.workspace / "index.json").mkdir()
    result = cli("structures", "--json")
    assert [row["id"] for row in json.loads(result.stdout)["structures"]] == [structure]
    [warning] = result.stderr.splitlines()
    assert warning.startswith("attention : l'index") and "est un dossier" in warning
