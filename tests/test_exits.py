"""The exits register and the taux de sortie dynamique: official and URIAE variants side by side
on counts where they differ (rates computed by hand below), a local variant, the rate as an
indicator; the CLI through its entry point; bad input; SIGKILL while counts are written."""

from __future__ import annotations

import json
import os
from datetime import date

import pytest

from audit_bench.services import Workspace
from audit_bench.services.exits import exit_rate, record_exits, set_local_variant
from audit_bench.services.indicators import indicator_row, propose_ecart, set_target
from audit_bench.services.structures import create_structure, open_structure, structure_path
from audit_bench.services.validation import UserError
from support import run_cli
from test_store_safety import _kill_child_at_random, kill_schedule

AT_EXIT = {"cdi": 4, "cdd-6-mois-et-plus": 1, "cdd-moins-6-mois": 2, "contrat-aide": 1, "formation-qualifiante": 2,
           "chomage": 3, "autre-situation-connue": 1, "inactif": 2, "sans-nouvelle": 3, "neutralisee": 2}
"""21 exits: 5 emploi durable, 3 de transition, 2 sorties positives (10 dynamic), 9 autres, 2 neutralisées."""
AT_SIX_MONTHS = {"cdi": 6, "chomage": 2, "sans-nouvelle": 4, "neutralisee": 1}


@pytest.fixture
def ws(tmp_path):
    return Workspace(tmp_path / "ws")


@pytest.fixture
def structure(ws):
    structure_id = create_structure(ws, "Entreprise d'insertion du Nord", "EI").id
    record_exits(ws, structure_id, 2025, 0, AT_EXIT)
    record_exits(ws, structure_id, 2025, 6, AT_SIX_MONTHS)
    return structure_id


def test_official_and_uriae_rates_side_by_side_at_each_horizon_as_computed_by_hand(ws, structure):
    view = exit_rate(ws, structure, 2025)
    by_months = {h.months: {v.id: (v.numerator, v.denominator, v.rate) for v in h.variants} for h in view.horizons}
    assert list(by_months) == [0, 3, 6, 12]
    # à la sortie: official 10 / (21 − 2 neutralisées) = 52.6 %; URIAE also removes autre situation
    # connue (1), inactif (2) and sans nouvelle (3): 10 / 13 = 76.9 %
    assert by_months[0] == {"official": (10, 19, 52.6), "uriae": (10, 13, 76.9)}
    # à 6 mois: 6 / (13 − 1) = 50 %; URIAE 6 / (12 − 4 sans nouvelle) = 75 %
    assert by_months[6] == {"official": (6, 12, 50.0), "uriae": (6, 8, 75.0)}
    assert by_months[3] == {"official": (0, 0, None), "uriae": (0, 0, None)}
    at_exit = view.horizons[0]
    assert (at_exit.total, at_exit.by_class["emploi-durable"], at_exit.by_class["autre"]) == (21, 5, 9)
    assert at_exit.variants[1].formula.endswith("− Inactif − Sans nouvelle) = 10 / 13 = 76,9 %")


def test_a_local_variant_is_data_of_the_structure_computed_beside_the_others(ws, structure):
    set_local_variant(ws, structure, "cdi-seul", "CDI seul en emploi durable", ["cdi"], ["neutralisee"])
    with pytest.raises(UserError, match="variante du référentiel"):
        set_local_variant(ws, structure, "uriae", "Autre", ["cdi"], [])
    with pytest.raises(UserError, match="ni une classe de sortie"):
        set_local_variant(ws, structure, "x", "X", ["cdi-temps-plein"], [])
    view = exit_rate(ws, structure, 2025, variant="cdi-seul")
    local = view.horizons[0].variants[2]
    assert (local.label, local.numerator, local.denominator, local.rate) == ("CDI seul en emploi durable", 4, 19, 21.1)
    assert view.to_builtins()["horizons"][0]["local"] == {"rate": 21.1, "numerator": 4, "denominator": 19}


def test_the_rate_is_an_indicator_with_a_target_a_trend_and_an_ecart_off_target(ws, structure):
    record_exits(ws, structure, 2024, 0, {"cdi": 6, "chomage": 4})
    set_target(ws, structure, "TSD", 60)
    row = indicator_row(ws, structure, "TSD", today=date(2026, 12, 5))
    assert [(v.period, v.value, v.on_target) for v in row.values] == [
        ("2024", 60.0, True), ("2025", 52.6, False)]  # official, at the exit
    assert "52,6 % pour une cible de 60 %" in propose_ecart(ws, structure, "TSD", "2025").text


def test_counts_are_replaced_per_situation_and_kept_for_the_others(ws, structure):
    record_exits(ws, structure, 2025, 0, {"cdi": 5})
    (official, _) = exit_rate(ws, structure, 2025).horizons[0].variants
    assert (official.numerator, official.denominator) == (11, 20)


@pytest.mark.parametrize("counts, months, message", [
    ({"cdi-temps-plein": 1}, 0, "situation de sortie inconnue"),
    ({"cdi": 1}, 9, "horizon inconnu"),
    ({"cdi": -1}, 0, "effectif invalide"),
    ({}, 0, "aucun effectif"),
])
def test_bad_counts_are_refused_and_change_nothing(ws, structure, counts, months, message):
    before = structure_path(ws, structure).read_bytes()
    with pytest.raises(UserError, match=message):
        record_exits(ws, structure, 2025, months, counts)
    assert structure_path(ws, structure).read_bytes() == before


def test_cli_exit_rate_json_has_the_stable_keys(tmp_path):
    ws = tmp_path / "ws"
    structure = run_cli(ws, "structure", "new", "--name", "EI du Nord", "--siae-type", "EI").stdout.strip()
    run_cli(ws, "exits", "record", structure, "--year", "2025", *[f"{s}={n}" for s, n in AT_EXIT.items()])
    document = json.loads(run_cli(ws, "exit-rate", structure, "--year", "2025", "--json").stdout)
    assert set(document) == {"horizons"}
    assert [set(h) for h in document["horizons"]] == [{"months", "official", "uriae"}] * 4
    assert document["horizons"][0] == {"months": 0, "official": {"rate": 52.6, "numerator": 10, "denominator": 19},
                                       "uriae": {"rate": 76.9, "numerator": 10, "denominator": 13}}
    text = run_cli(ws, "exit-rate", structure, "--year", "2025").stdout
    assert "à la sortie : 21 sortie(s)" in text and "= 10 / 19 = 52,6 %" in text and "= 10 / 13 = 76,9 %" in text
    before = structure_path(Workspace(ws), structure).read_bytes()
    for bad in (["cdi=quatre"], ["cdi=1", "cdi=2"], ["inconnue=1"]):
        result = run_cli(ws, "exits", "record", structure, "--year", "2025", *bad, check=False)
        assert result.returncode != 0 and len(result.stderr.strip().splitlines()) == 1
    assert structure_path(Workspace(ws), structure).read_bytes() == before


def _counting_child(ws, structure: str, write_fd: int, counter: int) -> None:
    """In the forked child: write a whole horizon's counts forever (one write each), reporting each."""
    while True:
        counter += 1
        record_exits(ws, structure, 2026, 0, {"cdi": counter % 1000, "chomage": counter % 1000})
        os.write(write_fd, f"{counter}\n".encode())


def test_sigkill_mid_write_of_counts_leaves_the_file_old_or_new(ws, structure):
    rng, seed = kill_schedule()
    reported = 0
    for kill in range(60):
        lines = _kill_child_at_random(rng, lambda fd, kill=kill: _counting_child(ws, structure, fd, kill * 1_000_000),
                                      0.1)
        reported = max([reported, *map(int, lines)])
        with open_structure(ws, structure) as session:
            counts = {c.situation: c.count for c in session.snapshot().exit_counts if c.year == 2026}
        if reported:
            assert counts["cdi"] == counts["chomage"], seed  # one write: both or neither
    assert reported, "the children never got to record counts"
