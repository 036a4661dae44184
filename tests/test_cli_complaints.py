"""`complaint add|answer|show|ecart|bilan|settings` and `complaints STRUCT` through the entry point:
the stable JSON keys, and every bad input one line, non-zero, nothing changed."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from support import Cli, data_digest, run_cli


def _certified(cli) -> str:
    structure = cli("structure", "new", "--name", "Passerelle Emploi").stdout.strip()
    cli("structure", "certification", structure, "--referential", "afaq", "--body", "AFNOR", "--number", "A-1",
        "--issued", "2025-01-15", "--valid-until", "2028-01-14")
    return structure


@pytest.fixture
def afaq(tmp_path, built_once):
    """A structure certified AFAQ (5 jours ouvrables), and a command on its workspace."""
    cli = Cli(tmp_path / "ws")
    return cli, built_once(_certified, cli), cli.workspace


def test_a_complaint_is_recorded_answered_listed_and_raises_its_ecart(afaq):
    cli, structure, _ = afaq
    assert cli("complaint", "add", structure, "--received", "03/04/2026", "--channel", "courrier", "--from",
               "prescripteur", "--subject", "Rappel jamais fait", "--requirement", "E1").stdout == "R1\n"
    cli("complaint", "add", structure, "--received", "2026-04-30", "--channel", "orale", "--from", "client",
        "--subject", "Accueil")
    cli("complaint", "answer", structure, "R1", "--kind", "accuse-reception", "--on", "2026-04-08",
        "--final-due", "2026-04-30", "--in-charge", "Responsable qualité")
    cli("complaint", "answer", structure, "R1", "--kind", "solution", "--on", "2026-04-29",
        "--text", "Rendez-vous fixé")
    listed = json.loads(cli("complaints", structure, "--year", "2026", "--json").stdout)
    assert listed == {"complaints": [
        {"id": "R1", "received": "2026-04-03", "channel": "courrier", "answer_due": "2026-04-10",
         "answered_on": "2026-04-08", "answer_kind": "accuse-reception", "late": False, "status": "closed"},
        {"id": "R2", "received": "2026-04-30", "channel": "orale", "answer_due": "2026-05-07",
         "answered_on": None, "answer_kind": None, "late": True, "status": "unanswered"}]}
    assert json.loads(cli("complaints", structure, "--year", "2025", "--json").stdout) == {"complaints": []}
    text = cli("complaints", structure).stdout
    assert "R2  reçue le 2026-04-30" in text and "EN RETARD" in text
    shown = cli("complaint", "show", structure, "R2").stdout
    assert "5 jours ouvrables (AFAQ 6.4 — " in shown and "EN RETARD : sans réponse, due le 2026-05-07" in shown
    assert f"complaint ecart {structure} R2" in shown
    ecart = cli("complaint", "ecart", structure, "R2").stdout.strip()
    shown = json.loads(cli("structure", "show", structure, "--json").stdout)
    [raised] = shown["ecarts"]
    assert (raised["id"], raised["source"], raised["ref"]) == (ecart, "reclamation", "réclamation R2")
    bilan = json.loads(cli("complaint", "bilan", structure, "--year", "2026", "--json").stdout)
    assert (bilan["total"], bilan["late"], bilan["share_on_time"]) == (2, 1, 100.0)
    printed = cli("complaint", "bilan", structure, "--year", "2026").stdout
    assert "Par canal : Écrite — courrier 1, Orale 1" in printed


def test_the_structure_sets_holidays_and_its_own_delay_where_none_is_fixed(tmp_path):
    workspace = tmp_path / "ws"
    structure = run_cli(workspace, "structure", "new", "--name", "Chantier", "--siae-type", "ACI").stdout.strip()
    run_cli(workspace, "complaint", "add", structure, "--received", "2026-04-02", "--channel", "mail", "--from",
            "autre", "--subject", "Bruit")
    assert "délai non fixé" in run_cli(workspace, "complaint", "show", structure, "R1").stdout
    shown = run_cli(workspace, "complaint", "settings", structure, "--holidays", "57", "--delay", "5",
                    "--unit", "jours-ouvrables").stdout
    assert shown == ("Jours fériés : Moselle (57)\n"
                     "Délai de réponse : 5 jours ouvrables (délai fixé par la structure)\n")
    [row] = json.loads(run_cli(workspace, "complaints", structure, "--json").stdout)["complaints"]
    assert row["answer_due"] == "2026-04-10"  # Good Friday is a holiday in Moselle


@pytest.mark.parametrize(("args", "message"), [
    (("complaint", "add", "{s}", "--received", "2026-13-01", "--channel", "mail", "--from", "client",
      "--subject", "x"), "date de réception"),
    (("complaint", "add", "{s}", "--received", "2026-04-01", "--channel", "pigeon", "--from", "client",
      "--subject", "x"), "--channel"),
    (("complaint", "add", "{s}", "--received", "2026-04-01", "--channel", "mail", "--from", "client",
      "--subject", ""), "--subject ne peut pas être vide"),
    (("complaint", "add", "nulle-part", "--received", "2026-04-01", "--channel", "mail", "--from", "client",
      "--subject", "x"), "structure inconnue"),
    (("complaint", "answer", "{s}", "R1", "--kind", "solution", "--on", "2026-04-02"), "texte de la réponse"),
    (("complaint", "answer", "{s}", "R1", "--kind", "accuse-reception", "--on", "2026-04-02"), "--final-due"),
    (("complaint", "answer", "{s}", "R7", "--kind", "refus", "--on", "2026-04-02", "--text", "x"),
     "réclamation inconnue"),
    (("complaint", "show", "{s}", "R7"), "réclamation inconnue"),
    (("complaint", "ecart", "{s}", "R1", "--class", "majeur"), "--class"),
    (("complaint", "settings", "{s}", "--delay", "10", "--unit", "jours-ouvrables"), "AFAQ 6.4"),
    (("complaint", "settings", "{s}", "--holidays", "13"), "département « 13 »"),
    (("complaints", "{s}", "--year", "deux-mille"), "--year"),
    (("complaint", "bilan", "{s}"), "--year"),
])
def test_bad_input_is_one_line_non_zero_and_changes_nothing(afaq, args, message):
    cli, structure, workspace = afaq
    cli("complaint", "add", structure, "--received", "2026-04-01", "--channel", "mail", "--from", "client",
        "--subject", "Accueil")
    before = data_digest(workspace)
    result = cli(*(arg.format(s=structure) for arg in args), check=False)
    assert result.returncode != 0 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
    assert data_digest(workspace) == before


def test_a_complaint_received_tomorrow_is_refused(afaq):
    cli, structure, workspace = afaq
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    before = data_digest(workspace)
    result = cli("complaint", "add", structure, "--received", tomorrow, "--channel", "mail", "--from", "client",
                 "--subject", "x", check=False)
    assert result.returncode == 1 and "à venir" in result.stderr
    assert data_digest(workspace) == before


def test_a_second_writer_is_refused_in_one_line(afaq):
    from audit_bench.services import Workspace
    from audit_bench.services.structures import open_structure

    cli, structure, workspace = afaq
    with open_structure(Workspace(workspace), structure):  # this process writes the structure
        before = data_digest(workspace)
        result = cli("complaint", "add", structure, "--received", "2026-04-01", "--channel", "mail", "--from",
                     "client", "--subject", "Accueil", check=False)
        assert result.returncode == 1 and result.stderr.count("\n") == 1 and "lecture seule" in result.stderr
        assert data_digest(workspace) == before
