"""The surveys' and contrôles' records have the store's guarantees: a SIGKILL mid-write leaves the
structure file old or new, a second writer is refused, a damaged row is named.

The SIGKILL test prints the seed of its kill schedule; AUDIT_BENCH_KILL_SEED=<seed> replays it."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest

from audit_bench.services.checks import add_check, list_checks
from audit_bench.services.structures import create_structure, list_structures, open_structure, structure_path
from audit_bench.services.surveys import add_survey, import_results, list_surveys, show_survey
from audit_bench.store.errors import ReadOnlyError, StoreError
from test_store_safety import _kill_child_at_random, kill_schedule
from test_structures import HOLDER

KILLS = 60
TODAY = date(2026, 12, 1)


def _register_child(workspace, structure_id: str, table, write_fd: int, first: int) -> None:
    """In the forked child: add surveys, import their results and add contrôles (one in three an
    écart) forever, reporting each once the service has returned."""
    import os

    for n in range(first, first + 1_000_000):
        if n % 3 == 0:
            survey = add_survey(workspace, structure_id, "clients", "parcours", "2026-01-01", "2026-01-31", 100 + n % 7,
                                50, today=TODAY)
            os.write(write_fd, f"survey {survey.id} {100 + n % 7}\n".encode())
        elif n % 3 == 1:
            survey = import_results(workspace, structure_id, "S1", table)
            os.write(write_fd, f"import {survey.id} {len(survey.questions)}\n".encode())
        else:
            check = add_check(workspace, structure_id, "2026-11-03", f"Observateur {n}", "E1", n % 2 == 0,
                              f"constat {n}", today=TODAY)
            os.write(write_fd, f"check {check.id} {n} {check.ecart or '-'}\n".encode())


def test_sigkill_mid_write_never_loses_a_reported_survey_or_check(workspace, tmp_path):
    structure_id = create_structure(workspace, "Atelier", "ACI").id
    add_survey(workspace, structure_id, "personnes", "sortie", "2026-01-01", "2026-06-30", 120, 80, today=TODAY)
    table = tmp_path / "resultats.csv"
    table.write_text("Question;Non;Oui\n" + "".join(f"Question {i};{i};{i}\n" for i in range(30)), encoding="utf-8")
    rng, seed = kill_schedule()
    surveys: dict[str, int] = {}
    imported = False
    checks: dict[str, tuple[str, str]] = {}
    for kill in range(KILLS):
        for line in _kill_child_at_random(rng, lambda fd, kill=kill: _register_child(
                workspace, structure_id, table, fd, kill * 1_000_000 + kill % 3), 0.08):
            kind, record_id, value, *rest = line.split()
            if kind == "survey":
                surveys[record_id] = int(value)
            elif kind == "import":
                imported = True
            else:
                checks[record_id] = (value, rest[0])
        with open_structure(workspace, structure_id) as session:  # the dead child's lock is taken over
            assert not session.read_only
            snapshot = session.snapshot()
        stored = {s.id: s for s in snapshot.surveys}
        for survey_id, size in surveys.items():
            assert stored[survey_id].population_size == size, (seed, survey_id)
        if imported:
            assert len(stored["S1"].questions) == 30, seed
        findings = {f.id: f for f in snapshot.findings}
        stored_checks = {c.id: c for c in snapshot.checks}
        for check_id, (n, ecart) in checks.items():
            check = stored_checks[check_id]
            assert check.observer == f"Observateur {n}", (seed, check_id)
            if ecart != "-":
                assert check.ecart == ecart and findings[ecart].ref == f"contrôle {check_id}", (seed, check_id)
        assert all(c.ecart in findings for c in snapshot.checks if c.ecart), seed  # never a check without its écart
    assert surveys and imported and checks, "the children never got to save each kind of record"
    assert list_structures(workspace).errors == [], seed


def test_second_process_is_refused_the_registers_and_nothing_changes(workspace, tmp_path):
    structure_id = create_structure(workspace, "Atelier", "ACI").id
    add_survey(workspace, structure_id, "personnes", "sortie", "2026-01-01", "2026-06-30", 120, 80, today=TODAY)
    table = tmp_path / "resultats.csv"
    table.write_text("Question;Non;Oui\nAccueil;1;2\n", encoding="utf-8")
    path = structure_path(workspace, structure_id)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        before = path.read_bytes()
        for attempt in (
                lambda: add_survey(workspace, structure_id, "clients", "sortie", "2026-01-01", "2026-01-31", 9, 9,
                                   today=TODAY),
                lambda: import_results(workspace, structure_id, "S1", table),
                lambda: add_check(workspace, structure_id, "2026-11-03", "Claire", "E1", False, "constat",
                                  today=TODAY)):
            with pytest.raises(ReadOnlyError, match=f"processus {holder.pid}"):
                attempt()
        assert path.read_bytes() == before
        assert [s.id for s in list_surveys(workspace, structure_id).surveys] == ["S1"]  # reading still works
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.parametrize("table, row", [("surveys", {"id": "S1", "population": "clients"}),
                                        ("checks", {"id": "C1", "on": "2026-11-03", "conforme": "oui"}),
                                        ("survey_settings", []),
                                        ("check_frequencies", {"engagement": "E1", "every_months": "trois"})])
def test_a_damaged_register_row_names_the_file_and_nothing_is_touched(workspace, table, row):
    structure_id = create_structure(workspace, "Atelier", "ACI").id
    good = create_structure(workspace, "Autre", "AI").id
    path = structure_path(workspace, structure_id)
    document = json.loads(path.read_bytes())
    document[table] = {"1": row}
    path.write_text(json.dumps(document), encoding="utf-8")
    damaged = path.read_bytes()
    for read in (lambda: list_surveys(workspace, structure_id), lambda: list_checks(workspace, structure_id),
                 lambda: add_survey(workspace, structure_id, "clients", "sortie", "2026-01-01", "2026-01-31", 9, 9,
                                    today=TODAY)):
        with pytest.raises(StoreError, match=str(path)):
            read()
    assert path.read_bytes() == damaged
    view = list_structures(workspace)
    assert [r.id for r in view.structures] == [good] and [e.id for e in view.errors] == [structure_id]
    with pytest.raises(StoreError):
        show_survey(workspace, structure_id, "S1")
