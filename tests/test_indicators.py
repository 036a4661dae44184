"""Indicateurs de performance (AFAQ 6.6): targets, values per period, yearly figures from sums,
missing periods, écarts proposed then confirmed; the CLI through its entry point; lock, corrupt
row and SIGKILL on the indicator tables."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date

import msgspec
import pytest

from audit_bench.services import Workspace
from audit_bench.services.indicators import (
    define_indicator, indicator_row, list_indicators, missing_values, propose_ecart, raise_ecart, record_value,
    set_target,
)
from audit_bench.services.structures import create_structure, open_structure, structure_path
from audit_bench.services.validation import UserError
from audit_bench.store.errors import CorruptFileError, ReadOnlyError
from support import run_cli
from test_store_safety import _kill_child_at_random, kill_schedule

TODAY = date(2026, 12, 5)
KILLS = 60


@pytest.fixture
def ws(tmp_path):
    """A workspace on the installed plugins (AFAQ's indicators, IAE OS's exit rate)."""
    return Workspace(tmp_path / "ws")


@pytest.fixture
def structure(ws):
    return create_structure(ws, "PLIE du Port").id


def test_a_year_of_a_ratio_is_the_ratio_of_its_sums_never_the_average_of_its_quarters(ws, structure):
    set_target(ws, structure, "IND2", 80, period="quarter")
    record_value(ws, structure, "IND2", "2026-T1", numerator=1, denominator=2, today=TODAY)   # 50 %
    record_value(ws, structure, "IND2", "2026-t2", numerator=9, denominator=10, today=TODAY)  # 90 %
    row = indicator_row(ws, structure, "IND2", today=TODAY)
    assert [(v.period, v.value, v.on_target) for v in row.values] == [
        ("2026-T1", 50.0, False), ("2026-T2", 90.0, True), ("2026-T3", None, None)]
    assert row.missing == ["2026-T3"]  # closed on 30 September; T4 is not closed yet
    (year,) = row.years
    assert (year.period, year.numerator, year.denominator, year.value) == ("2026", 10, 12, 83.3)  # not (50+90)/2
    assert year.on_target is True


def test_lower_is_better_where_the_engagement_sets_a_maximum(ws, structure):
    set_target(ws, structure, "IND4", 4, period="month")  # at most 4 interviews (E3)
    on = record_value(ws, structure, "IND4", "2026-10", numerator=35, denominator=10, today=TODAY)
    off = record_value(ws, structure, "IND4", "2026-11", numerator=45, denominator=10, today=TODAY)
    assert (on.value.value, on.value.on_target, on.proposal) == (3.5, True, None)
    assert (off.value.value, off.value.on_target) == (4.5, False)
    assert "4,5 entretiens par personne pour une cible de 4 entretiens par personne (plus bas est mieux)" \
        in off.proposal.text


def test_what_the_referential_leaves_open_the_target_sets_and_what_it_states_is_not_contradicted(ws, structure):
    with pytest.raises(UserError, match="ne dit pas son sens"):
        set_target(ws, structure, "IND7", 3, period="month")  # E7: a schedule, no direction stated
    set_target(ws, structure, "IND7", 3, direction="higher", period="month")
    with pytest.raises(UserError, match=r"fixe déjà le sens .*\(higher\) : retirer --direction"):
        set_target(ws, structure, "IND2", 80, direction="lower", period="quarter")
    with pytest.raises(UserError, match="ne dit pas son rythme"):
        record_value(ws, structure, "IND5", "2026", numerator=1, denominator=2)
    set_target(ws, structure, "IND7", 4)  # the direction and period set before are kept
    assert indicator_row(ws, structure, "IND7", today=TODAY).definition.direction == "higher"


def test_an_off_target_value_proposes_an_ecart_that_one_call_confirms_once(ws, structure):
    set_target(ws, structure, "IND2", 80, period="quarter")
    recorded = record_value(ws, structure, "IND2", "2026-T1", numerator=7, denominator=10, today=TODAY)
    assert recorded.proposal.ref == "indicateur IND2, 2026-T1" and recorded.proposal.existing is None
    with open_structure(ws, structure, write=False) as session:
        assert session.snapshot().findings == []  # proposed, never raised silently
    finding_id = raise_ecart(ws, structure, "IND2", "2026-T1")
    with open_structure(ws, structure, write=False) as session:
        (finding,) = session.snapshot().findings
    assert (finding.id, finding.source, finding.ref, finding.text) == (
        finding_id, "indicateur", "indicateur IND2, 2026-T1", recorded.proposal.text)
    assert "70 % pour une cible de 80 %" in finding.text
    assert propose_ecart(ws, structure, "IND2", "2026-T1").existing == finding_id
    with pytest.raises(UserError, match="déjà ouvert"):
        raise_ecart(ws, structure, "IND2", "2026-T1")
    record_value(ws, structure, "IND2", "2026-T2", numerator=9, denominator=10, today=TODAY)
    with pytest.raises(UserError, match="pas hors cible"):
        propose_ecart(ws, structure, "IND2", "2026-T2")


def test_the_structure_defines_its_own_indicators_and_a_count_adds_up_over_the_year(ws, structure):
    define_indicator(ws, structure, "ACC", "Personnes accueillies", "higher", "month", unit="personnes")
    with pytest.raises(UserError, match="indicateur d'un référentiel"):
        define_indicator(ws, structure, "IND1", "Doublon", "higher", "month")
    set_target(ws, structure, "ACC", 10)
    for month, value in (("2026-10", 12), ("2026-11", 8)):
        record_value(ws, structure, "ACC", month, value=value, today=TODAY)
    (row,) = [r for r in list_indicators(ws, structure, today=TODAY).indicators if r.definition.id == "ACC"]
    assert [(v.period, v.value, v.on_target) for v in row.values] == [("2026-10", 12, True), ("2026-11", 8, False)]
    assert row.years[0].value == 20


def test_missing_values_for_the_agenda_are_the_closed_periods_of_followed_indicators(ws, structure):
    set_target(ws, structure, "IND2", 80, period="quarter")
    record_value(ws, structure, "IND2", "2025-T3", numerator=9, denominator=10, today=TODAY)
    with open_structure(ws, structure, write=False) as session:
        snapshot = session.snapshot()
    missing = missing_values(snapshot, ws.referentials(), TODAY)
    assert [(m.indicator, m.period, m.closed_on) for m in missing] == [
        ("IND2", "2025-T4", "2025-12-31"), ("IND2", "2026-T1", "2026-03-31"), ("IND2", "2026-T2", "2026-06-30"),
        ("IND2", "2026-T3", "2026-09-30")]
    assert missing_values(snapshot, ws.referentials(), date(2025, 12, 31)) == []  # T4 closes at its end


@pytest.mark.parametrize("call, message", [
    (lambda ws, s: record_value(ws, s, "IND2", "2026-13", numerator=1, denominator=2), "période invalide"),
    (lambda ws, s: record_value(ws, s, "IND2", "2026-T1", value=50), "est un ratio"),
    (lambda ws, s: record_value(ws, s, "IND2", "2026-T1", numerator=11, denominator=10), "ne dépasse pas 100 %"),
    (lambda ws, s: record_value(ws, s, "IND2", "2026-T1", numerator=-1, denominator=10), "positifs ou nuls"),
    (lambda ws, s: record_value(ws, s, "NOPE", "2026", value=1), "indicateur inconnu"),
    (lambda ws, s: record_value(ws, s, "TSD", "2026", value=1), "registre des sorties"),
    (lambda ws, s: set_target(ws, s, "IND2", 80, period="week"), "période inconnu"),
    (lambda ws, s: define_indicator(ws, s, "a b", "X", "higher", "month"), "identifiant d'indicateur invalide"),
    (lambda ws, s: define_indicator(ws, s, "X", "X", "higher", "month", numerator="n"), "les deux"),
])
def test_bad_input_is_refused_and_changes_nothing(ws, structure, call, message):
    set_target(ws, structure, "IND2", 80, period="quarter")
    before = structure_path(ws, structure).read_bytes()
    with pytest.raises(UserError, match=message):
        call(ws, structure)
    assert structure_path(ws, structure).read_bytes() == before


def test_cli_indicators_json_has_exactly_the_stable_keys_and_the_ecart_is_one_command_away(tmp_path):
    ws = tmp_path / "ws"
    structure = run_cli(ws, "structure", "new", "--name", "PLIE du Port").stdout.strip()
    run_cli(ws, "indicator", "target", structure, "IND2", "80", "--period", "quarter")
    recorded = run_cli(ws, "indicator", "record", structure, "IND2", "2025-T1", "--numerator", "7",
                       "--denominator", "10").stdout
    assert "HORS CIBLE" in recorded and f"audit-bench indicator ecart {structure} IND2 2025-T1" in recorded
    run_cli(ws, "indicator", "record", structure, "IND2", "2025-T2", "--numerator", "8,5", "--denominator", "10")
    document = json.loads(run_cli(ws, "indicators", structure, "--year", "2025", "--json").stdout)
    (indicator,) = document["indicators"]
    assert set(document) == {"indicators"}
    assert set(indicator) == {"id", "name", "unit", "target", "values"}
    assert (indicator["id"], indicator["unit"], indicator["target"]) == ("IND2", "%", 80.0)
    assert indicator["values"] == [
        {"period": "2025-T1", "value": 70.0, "on_target": False},
        {"period": "2025-T2", "value": 85.0, "on_target": True},
        {"period": "2025-T3", "value": None, "on_target": None},
        {"period": "2025-T4", "value": None, "on_target": None}]
    finding = run_cli(ws, "indicator", "ecart", structure, "IND2", "2025-T1").stdout.strip()
    shown = json.loads(run_cli(ws, "structure", "show", structure, "--json").stdout)
    assert [(e["id"], e["source"], e["ref"]) for e in shown["ecarts"]] == [(finding, "indicateur", "indicateur IND2, 2025-T1")]


@pytest.mark.parametrize("args, message", [
    (["indicator", "target", "{s}", "IND2", "beaucoup"], "n'est pas un nombre"),
    (["indicator", "record", "{s}", "IND2", "2025-T1", "--value", "3"], "est un ratio"),
    (["indicator", "record", "{s}", "IND2", "T1-2025", "--numerator", "1", "--denominator", "2"], "période invalide"),
    (["indicators", "inconnue"], "structure inconnue"),
])
def test_cli_bad_input_is_one_line_non_zero_and_changes_nothing(tmp_path, args, message):
    ws = tmp_path / "ws"
    structure = run_cli(ws, "structure", "new", "--name", "PLIE du Port").stdout.strip()
    run_cli(ws, "indicator", "target", structure, "IND2", "80", "--period", "quarter")
    before = structure_path(Workspace(ws), structure).read_bytes()
    result = run_cli(ws, *[a.format(s=structure) for a in args], check=False)
    assert result.returncode != 0 and message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert structure_path(Workspace(ws), structure).read_bytes() == before


HOLDER = """
import sys, time
from pathlib import Path
from audit_bench.store.structure_file import StructureFile
held = StructureFile.open(Path(sys.argv[1]))
print("held", flush=True)
time.sleep(60)
"""


def test_a_second_writer_is_refused_and_told_who_holds_the_structure(ws, structure):
    path = structure_path(ws, structure)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        before = path.read_bytes()
        with pytest.raises(ReadOnlyError, match=f"processus {holder.pid}"):
            set_target(ws, structure, "IND2", 80, period="quarter")
        assert path.read_bytes() == before
    finally:
        holder.kill()
        holder.wait()


def test_a_corrupt_indicator_row_is_a_clear_error_naming_the_file(ws, structure):
    set_target(ws, structure, "IND2", 80, period="quarter")
    path = structure_path(ws, structure)
    document = msgspec.json.decode(path.read_bytes())
    document["indicator_values"] = {"1": {"indicator": "IND2", "period": 2026, "at": "x"}}
    path.write_bytes(msgspec.json.encode(document))
    with pytest.raises(CorruptFileError, match=f"{path.name}.*indicator_values"):
        list_indicators(ws, structure)


def _recording_child(ws, structure: str, write_fd: int, counter: int) -> None:
    """In the forked child: record values forever, reporting each once the service returned."""
    while True:
        counter += 1
        record_value(ws, structure, "IND2", f"{2000 + counter % 50}-T{1 + counter % 4}",
                     numerator=counter % 10, denominator=10)
        os.write(write_fd, f"{counter}\n".encode())


def test_sigkill_mid_write_of_values_leaves_the_file_old_or_new(ws, structure):
    set_target(ws, structure, "IND2", 80, period="quarter")
    rng, seed = kill_schedule()
    reported: dict[str, int] = {}
    for kill in range(KILLS):
        lines = _kill_child_at_random(rng, lambda fd, kill=kill: _recording_child(ws, structure, fd, kill * 1_000_000),
                                      0.1)
        for line in lines:
            counter = int(line)
            reported[f"{2000 + counter % 50}-T{1 + counter % 4}"] = counter
        with open_structure(ws, structure) as session:  # reads whole: old or new, never broken
            stored = {v.period: v.numerator for v in session.snapshot().indicator_values}
        for period, counter in reported.items():
            assert period in stored, (seed, period)
    assert reported, "the children never got to record a value"
