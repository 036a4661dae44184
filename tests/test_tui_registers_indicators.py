"""The Indicateurs and Sorties tabs mounted in a tiny app, driven with the Pilot: flags visible,
a value recorded through the form, the écart proposed one key away and confirmed with one more."""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual_plotext import PlotextPlot

from audit_bench.services import Workspace
from audit_bench.services.exits import record_exits
from audit_bench.services.indicators import record_value, set_target
from audit_bench.services.structures import create_structure, open_structure
from audit_bench.tui.registers.exits import ExitsTab
from audit_bench.tui.registers.indicators import IndicatorsTab, recorded_runs, value_ticks
from audit_bench.tui.widgets.fixed_table import FixedTable
from support import tab_app
from test_tui_journeys import SIZE, shown
from test_tui_structures import fill, save


def rows(app, selector: str) -> list[list[str]]:
    table = app.screen.query_one(selector, FixedTable)
    return [[str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]


def findings(workspace, structure):
    with open_structure(workspace, structure, write=False) as session:
        return session.snapshot().findings


def test_indicators_tab_flags_records_and_proposes_the_ecart(tmp_path):
    workspace = Workspace(tmp_path / "ws")
    structure = create_structure(workspace, "PLIE du Port").id
    set_target(workspace, structure, "IND2", 80, period="quarter")
    record_value(workspace, structure, "IND2", "2025-T1", numerator=9, denominator=10)
    asyncio.run(_indicators_journey(workspace, structure))


async def _indicators_journey(workspace, structure):
    app = tab_app(IndicatorsTab(workspace, structure))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        [row] = rows(app, "#indicator-table")
        assert row[0] == "IND2" and row[2] == "80 %" and row[3] == "2025-T1 90 %" and "manquante(s)" in row[4]
        assert "Année 2025 : 90 %" in shown(app, "#indicator-detail")
        assert app.query_one("#indicator-chart", PlotextPlot).plt is not None
        await pilot.press("a")
        await pilot.pause()
        await fill(pilot, "period", "2025-T2")
        await fill(pilot, "numerator", "6")
        await fill(pilot, "denominator", "10")
        await save(pilot)
        assert "L'ajouter au plan" in str(app.screen.question)  # proposed at once, not raised
        assert findings(workspace, structure) == []
        await pilot.press("escape")  # later
        await pilot.pause()
        assert "1 hors cible" in rows(app, "#indicator-table")[0][4]
        await pilot.press("e")  # one key away
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
    [finding] = findings(workspace, structure)
    assert (finding.source, finding.ref) == ("indicateur", "indicateur IND2, 2025-T2")


def test_exits_tab_shows_variants_side_by_side_and_records_counts(tmp_path):
    workspace = Workspace(tmp_path / "ws")
    structure = create_structure(workspace, "EI du Nord", "EI").id
    record_exits(workspace, structure, 2025, 0, {"cdi": 3, "sans-nouvelle": 2, "neutralisee": 1})
    asyncio.run(_exits_journey(workspace, structure))


async def _exits_journey(workspace, structure):
    app = tab_app(ExitsTab(workspace, structure, year=2025))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = rows(app, "#exit-table")
        assert table[0][:4] == ["à la sortie", "Officielle", "60,0 %", "3 / 5"]
        assert table[1][:4] == ["à la sortie", "URIAE", "100,0 %", "3 / 3"]
        assert "= 3 / 5 = 60,0 %" in shown(app, "#exit-detail")
        await pilot.press("a")
        await pilot.pause()
        await fill(pilot, "chomage", "3")
        await save(pilot)
        assert rows(app, "#exit-table")[0][:4] == ["à la sortie", "Officielle", "37,5 %", "3 / 8"]


def test_the_chart_leaves_a_gap_where_a_period_has_no_value():
    assert recorded_runs([1.0, 2.0, None, 4.0, None, None, 7.0, 8.0]) == [
        [(0, 1.0), (1, 2.0)], [(3, 4.0)], [(6, 7.0), (7, 8.0)]]
    assert recorded_runs([None, None]) == []


def test_the_chart_labels_its_values_with_a_decimal_comma(tmp_path):
    workspace = Workspace(tmp_path / "ws")
    structure = create_structure(workspace, "PLIE du Port").id
    set_target(workspace, structure, "IND2", 80, period="quarter")
    for period, numerator, denominator in (("2025-T1", 11, 12), ("2025-T2", 7, 10), ("2025-T3", 8, 10)):
        record_value(workspace, structure, "IND2", period, numerator=numerator, denominator=denominator)
    asyncio.run(_chart_labels(workspace, structure))


async def _chart_labels(workspace, structure):
    app = tab_app(IndicatorsTab(workspace, structure))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        chart = app.query_one("#indicator-chart", PlotextPlot)
        labels = [line.split("┤")[0].strip() for line in Text.from_ansi(chart.plt.build()).plain.splitlines()
                  if "┤" in line]
        assert labels[0] == "91,7" and labels[-1] == "70" and len(labels) >= 3, labels  # 11/12 and 7/10
        assert not any("." in label for label in labels) and sum("," in label for label in labels) >= 2, labels


def test_value_ticks_spread_over_the_values_drawn():
    assert value_ticks([46.0, 52.0, 48.3], 3) == ([46.0, 49.0, 52.0], ["46", "49", "52"])
    assert value_ticks([41.0, 52.0], 5)[1] == ["41", "43,8", "46,5", "49,2", "52"]
    assert value_ticks([0.0, 1000.0], 5)[1] == ["0", "250", "500", "750", "1\u00a0000"]
    assert value_ticks([3.0, 3.0], 4) == ([3.0], ["3"])
