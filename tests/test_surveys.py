"""Satisfaction surveys (AFAQ 6.5) through the services and the CLI: a survey, its results imported
from CSV and XLSX, rates, strengths and weaknesses, the écart proposed and confirmed; hostile
tables refused with their row and column, nothing changed."""

from __future__ import annotations

import json
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from audit_bench.services import UserError, Workspace
from audit_bench.services.audits import create_audit
from audit_bench.services.structures import create_structure, open_structure, show_structure, structure_path
from audit_bench.services.surveys import (
    add_survey, import_results, list_surveys, raise_ecart, satisfaction_rate, set_settings, show_survey,
)
from test_checks import afaq_structure

TODAY = date(2026, 12, 1)
HEADER = "Question;Engagement;Pas du tout;Plutôt pas;Plutôt;Tout à fait\n"


@pytest.fixture
def structure(workspace) -> str:
    """A structure that follows the tests' referential `mini` (engagements are its node ids)."""
    return create_audit(workspace, "mini", "Atelier du Port", "internal", "ACI", "2026-10-01").structure


def survey(workspace, structure, answers=80) -> str:
    return add_survey(workspace, structure, "personnes", "sortie", "01/01/2026", "30/06/2026", 120, answers,
                      today=TODAY).id


def csv_file(tmp_path: Path, text: str, name: str = "resultats.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def xlsx_file(tmp_path: Path, rows: list[list], name: str = "resultats.xlsx") -> Path:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def test_rate_is_the_share_of_the_upper_half_of_the_levels():
    assert satisfaction_rate([10, 20, 25, 20]) == 60.0  # 45 of 75: « plutôt » and « tout à fait »
    assert satisfaction_rate([1, 1, 1, 1, 1]) == 40.0  # of five levels, the middle one is neutral
    assert satisfaction_rate([3, 1]) == 25.0
    assert satisfaction_rate([0, 0, 0, 0]) is None


def test_survey_results_strengths_weaknesses_and_the_proposed_ecart(workspace, structure, tmp_path):
    survey_id = survey(workspace, structure)
    set_settings(workspace, structure, threshold=75, min_answers=100)
    table = csv_file(tmp_path, HEADER + "Accueil;1.1;2;3;30;40\nSuivi;2.1;10;20;25;20\nLocaux;;0;;5;5\n")
    imported = import_results(workspace, structure, survey_id, table)
    assert imported.levels == ["Pas du tout", "Plutôt pas", "Plutôt", "Tout à fait"]
    assert [(q.text, q.engagement, q.counts) for q in imported.questions] == [
        ("Accueil", "1.1", [2, 3, 30, 40]), ("Suivi", "2.1", [10, 20, 25, 20]), ("Locaux", "", [0, 0, 5, 5])]
    view = show_survey(workspace, structure, survey_id)
    assert [q.rate for q in view.questions] == [93.3, 60.0, 100.0]
    assert view.survey.rate == 78.1  # (70 + 45 + 10) satisfied answers of 160
    assert view.strengths == [3, 1] and view.weaknesses == [2]
    assert view.survey.small_sample and "échantillon faible" in view.warnings[0]
    [proposal] = view.proposals
    assert proposal.question == 2 and "« Suivi » (engagement 2.1) satisfait à 60" in proposal.text
    assert show_structure(workspace, structure).ecarts == []  # proposed, not raised

    finding = raise_ecart(workspace, structure, survey_id, 2)
    assert (finding.source, finding.ref, finding.text) == ("enquete", f"enquête {survey_id} Q2", proposal.text)
    after = show_survey(workspace, structure, survey_id)
    assert after.proposals == [] and after.questions[1].ecart == finding.id
    with pytest.raises(UserError, match="déjà levé"):
        raise_ecart(workspace, structure, survey_id, 2)
    with pytest.raises(UserError, match="pas sous le seuil"):
        raise_ecart(workspace, structure, survey_id, 1)
    [row] = list_surveys(workspace, structure).surveys
    assert (row.weaknesses, row.proposals, row.under_threshold) == (1, 0, False)
    before = structure_path(workspace, structure).read_bytes()
    with pytest.raises(UserError, match=f"des écarts ont été levés des résultats de l'enquête {survey_id} "
                                        f"\\({finding.id}\\)"):
        import_results(workspace, structure, survey_id, table)  # the écart cites these results
    assert structure_path(workspace, structure).read_bytes() == before


def test_without_a_threshold_nothing_is_proposed(workspace, structure, tmp_path):
    survey_id = survey(workspace, structure)
    import_results(workspace, structure, survey_id, csv_file(tmp_path, HEADER + "Suivi;;10;20;25;20\n"))
    view = show_survey(workspace, structure, survey_id)
    assert view.proposals == [] and view.strengths == [] and view.weaknesses == []
    assert any("seuil de satisfaction non fixé" in w for w in view.warnings)
    with pytest.raises(UserError, match="seuil de satisfaction non fixé"):
        raise_ecart(workspace, structure, survey_id, 1)


def test_xlsx_and_a_french_excel_csv_import_alike(workspace, structure, tmp_path):
    survey_id = survey(workspace, structure)
    rows = [["Question", "Engagement", "Pas du tout", "Plutôt pas", "Plutôt", "Tout à fait"],
            ["Accueil", "1.1", 2, 3.0, 30, 40], [None] * 6, ["Écoute", None, 0, 1, None, 9]]
    from_xlsx = import_results(workspace, structure, survey_id, xlsx_file(tmp_path, rows))
    cp1252 = HEADER + "Accueil;1.1;2;3;30;40\nÉcoute;;0;1;;9\n"
    from_csv = import_results(workspace, structure, survey_id, csv_file(tmp_path, cp1252, encoding="cp1252"))
    assert from_csv.questions == from_xlsx.questions and from_csv.levels == from_xlsx.levels
    assert from_csv.questions[1].text == "Écoute" and from_csv.questions[1].counts == [0, 1, 0, 9]


def test_a_structure_following_no_referential_names_its_own_engagements(workspace, tmp_path):
    own = create_structure(workspace, "Sans référentiel", "ACI").id
    survey_id = survey(workspace, own)
    imported = import_results(workspace, own, survey_id, csv_file(tmp_path, HEADER + "Accueil;Notre accueil;1;1;1;1\n"))
    assert imported.questions[0].engagement == "Notre accueil"


def test_survey_dates_are_those_of_surveys_with_results(workspace, structure, tmp_path):
    first = survey(workspace, structure)
    add_survey(workspace, structure, "clients", "parcours", "2026-09-01", "2026-09-30", 10, 5, today=TODAY)
    import_results(workspace, structure, first, csv_file(tmp_path, HEADER + "Accueil;;1;1;1;1\n"))
    with open_structure(workspace, structure, write=False) as session:
        assert session.snapshot().register_dates()["survey"] == ["2026-06-30"]


@pytest.mark.parametrize("args, match", [
    (("inconnue", "sortie", "2026-01-01", "2026-06-30", 10, 5), "population inconnu"),
    (("personnes", "demain", "2026-01-01", "2026-06-30", 10, 5), "moment inconnu"),
    (("personnes", "sortie", "2026-06-30", "2026-01-01", 10, 5), "la fin .* précède le début"),
    (("personnes", "sortie", "31/02/2026", "2026-06-30", 10, 5), "ce jour n'existe pas"),
    (("personnes", "sortie", "2027-01-01", "2027-06-30", 10, 5), "période à venir"),
    (("personnes", "sortie", "2026-01-01", "2026-06-30", 0, 0), "au moins 1 personne"),
    (("personnes", "sortie", "2026-01-01", "2026-06-30", 10, 11), "pas plus de réponses que de personnes"),
])
def test_add_survey_bad_input_changes_nothing(workspace, structure, args, match):
    survey(workspace, structure)
    path = structure_path(workspace, structure)
    before = path.read_bytes()
    with pytest.raises(UserError, match=match):
        add_survey(workspace, structure, *args, today=TODAY)
    assert path.read_bytes() == before


def test_settings_bad_input(workspace, structure):
    for threshold, minimum, match in [(None, None, "rien à fixer"), (0, None, "entre 0 et 100"),
                                      (101, None, "entre 0 et 100"), (None, 0, "au moins 1")]:
        with pytest.raises(UserError, match=match):
            set_settings(workspace, structure, threshold, minimum)
    set_settings(workspace, structure, threshold=80)
    assert set_settings(workspace, structure, min_answers=30).satisfaction_threshold == 80
    stored = json.loads(structure_path(workspace, structure).read_bytes())["survey_settings"]
    assert [(row["satisfaction_threshold"], row["min_answers"]) for row in stored.values()] == [(80, 30)]


# Hostile tables ----------------------------------------------------------------------------------

HOSTILE_CSV = [
    ("", "tableau vide"),
    ("Question\nAccueil\n", "ligne 1 : l'en-tête donne 0 niveau"),
    ("Question;Oui\nAccueil;3\n", "ligne 1 : l'en-tête donne 1 niveau"),
    ("Question;Non;Oui;non\nAccueil;1;2;3\n", "ligne 1, colonne D : niveau « non » déjà en colonne B"),
    ("Question;Non;;Oui\nAccueil;1;2;3\n", "ligne 1, colonne C : niveau de réponse sans nom"),
    ("Question;Non;Oui\n", "ligne 2 : aucune question"),
    ("Question;Non;Oui\nAccueil;1;2\n;3;4\n", "ligne 3, colonne A : question vide"),
    ("Question;Non;Oui\nAccueil;1;-2\n", "ligne 2, colonne C : « -2 » n'est pas un nombre"),
    ("Question;Non;Oui\nAccueil;1;2,5\n", "ligne 2, colonne C : « 2,5 » n'est pas un nombre"),
    ("Question;Non;Oui\nAccueil;1;2;7\n", "ligne 2, colonne D : valeur hors du tableau"),
    ("Question;Non;Oui\nAccueil;100;1\n", "ligne 2 : 101 réponses à cette question, plus que les 80"),
    ("Question;Engagement;Non;Oui\nAccueil;9.9;1;2\n", "ligne 2, colonne B : engagement inconnu « 9.9 »"),
    ("Question;Non;Oui\nAcc\x1b[2Jueil;1;2\n", "ligne 2, colonne A : la question contient un caractère"),
    ("Question;Non;Oui\n\"Accueil;1;2\n", "CSV mal formé"),
    ("Question;Non;Oui\n" + "Q;1;1\n" * 301, "ligne 302 : plus de 300 questions"),
    ("Q;" + ";".join(f"N{i}" for i in range(12)) + "\nA" + ";1" * 12 + "\n", "ligne 1, colonne M : plus de 11"),
]


@pytest.mark.parametrize("text, match", HOSTILE_CSV)
def test_malformed_csv_is_refused_with_its_row_and_column_and_nothing_changes(
        workspace, structure, tmp_path, text, match):
    survey_id = survey(workspace, structure)
    import_results(workspace, structure, survey_id, csv_file(tmp_path, HEADER + "Accueil;1.1;2;3;30;40\n", "bon.csv"))
    path = structure_path(workspace, structure)
    before = path.read_bytes()
    with pytest.raises(UserError, match=match):
        import_results(workspace, structure, survey_id, csv_file(tmp_path, text))
    assert path.read_bytes() == before


def test_hostile_files_are_refused(workspace, structure, tmp_path):
    survey_id = survey(workspace, structure)
    path = structure_path(workspace, structure)
    before = path.read_bytes()
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"\x00\x01 not a workbook" * 100)
    not_a_book = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(not_a_book, "w") as archive:
        archive.writestr("hello.txt", "bonjour")
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"<" * 60_000_000)
    huge = tmp_path / "huge.csv"
    huge.write_bytes(b"Q;A;B\n" + b"x;1;1\n" * 1_000_000)
    binary = csv_file(tmp_path, "Question;Non;Oui\nA\0;1;2\n", "nul.csv")
    for table, match in [(junk, "pas un classeur XLSX"), (not_a_book, "classeur XLSX illisible"),
                         (tmp_path / "resultats.ods", "format de tableau non reconnu"),
                         (tmp_path / "absent.csv", "fichier introuvable"), (tmp_path, "format de tableau"),
                         (huge, "tableau trop gros"), (binary, "octet nul"),
                         (bomb, "classeur trop gros une fois décompressé")]:
        with pytest.raises(UserError, match=match):
            import_results(workspace, structure, survey_id, table)
    assert path.read_bytes() == before


@pytest.mark.parametrize("cell, match", [
    (True, "ligne 2, colonne C : « True » n'est pas un nombre"),
    (2.5, "ligne 2, colonne C : « 2.5 » n'est pas un nombre"),
    ("=B2*2", "ligne 2, colonne C : formule sans valeur calculée « =B2\\*2 »"),
    (date(2026, 1, 1), "ligne 2, colonne C : .* n'est pas un nombre"),
])
def test_xlsx_cells_that_are_not_counts_are_named(workspace, structure, tmp_path, cell, match):
    survey_id = survey(workspace, structure)
    with pytest.raises(UserError, match=match):
        import_results(workspace, structure, survey_id, xlsx_file(tmp_path, [["Question", "Non", "Oui"],
                                                                           ["Accueil", 1, cell]]))
    assert show_survey(workspace, structure, survey_id).questions == []


def test_unknown_survey_is_named(workspace, structure, tmp_path):
    survey(workspace, structure)
    with pytest.raises(UserError, match="enquête inconnue « S9 » .*enquêtes : S1"):
        import_results(workspace, structure, "S9", csv_file(tmp_path, HEADER + "Accueil;;1;1;1;1\n"))


# CLI ----------------------------------------------------------------------------------------------

def test_cli_survey_journey_and_json_keys(cli, tmp_path):
    structure = afaq_structure(cli)
    added = json.loads(cli("survey", "add", structure, "--population", "personnes", "--moment", "sortie",
                           "--from", "01/01/2026", "--to", "30/06/2026", "--population-size", "120",
                           "--answers", "80", "--json").stdout)
    assert added == {"id": "S1"}
    cli("survey", "settings", structure, "--threshold", "75")
    table = xlsx_file(tmp_path, [["Question", "Engagement", "Pas du tout", "Plutôt pas", "Plutôt", "Tout à fait"],
                                 ["Accueil", "E1", 2, 3, 30, 40], ["Suivi", "E4", 10, 20, 25, 20]])
    assert "2 question(s)" in cli("survey", "import", structure, "S1", str(table)).stdout
    listing = json.loads(cli("surveys", structure, "--json").stdout)
    assert set(listing) == {"structure", "threshold", "min_answers", "surveys"}
    assert set(listing["surveys"][0]) == {"id", "population", "moment", "start", "end", "population_size", "answers",
                                          "response_rate", "small_sample", "rate", "under_threshold", "weaknesses",
                                          "proposals"}
    shown = json.loads(cli("survey", "show", structure, "S1", "--json").stdout)
    assert shown["questions"][1]["engagement_title"].startswith("Nous vous proposons")
    assert shown["proposals"][0]["ref"] == "enquête S1 Q2"
    text = cli("survey", "show", structure, "S1").stdout
    assert "Points faibles : Q2" in text and "survey ecart S1 2" in text
    ecart = cli("survey", "ecart", structure, "S1", "2").stdout.strip()
    assert ecart == "E1"
    shown = json.loads(cli("structure", "show", structure, "--json").stdout)
    assert [(e["id"], e["source"], e["ref"]) for e in shown["ecarts"]] == [("E1", "enquete", "enquête S1 Q2")]


def test_cli_bad_input_is_one_line_non_zero_and_changes_nothing(cli, tmp_path):
    structure = afaq_structure(cli)
    add_survey(Workspace(cli.workspace), structure, "personnes", "sortie", "2026-01-01", "2026-06-30", 10, 5)
    path = cli.workspace / "structures" / f"{structure}.json"
    before = path.read_bytes()
    bad_table = csv_file(tmp_path, "Question;Engagement;Non;Oui\nAccueil;E1;1;2\nSuivi;E12;1;1\n")
    for args, message in [
        (("survey", "import", structure, "S1", str(bad_table)), "ligne 3, colonne B : engagement inconnu « E12 »"),
        (("survey", "add", structure, "--population", "personnes", "--moment", "sortie", "--from", "2026-01-01",
          "--to", "2026-06-30", "--population-size", "10", "--answers", "11"), "pas plus de réponses"),
        (("survey", "add", structure, "--population", "voisins", "--moment", "sortie", "--from", "2026-01-01",
          "--to", "2026-06-30", "--population-size", "10", "--answers", "1"), "voisins"),
        (("survey", "show", structure, "S7"), "enquête inconnue « S7 »"),
        (("survey", "ecart", structure, "S1", "1"), "question 1 inconnue"),
        (("survey", "settings", structure, "--threshold", "120"), "entre 0 et 100"),
        (("surveys", "inconnue"), "structure inconnue"),
    ]:
        result = cli(*args, check=False)
        assert result.returncode != 0 and message in result.stderr, (args, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1 and result.stdout == ""
    assert path.read_bytes() == before
