"""The agenda reads the registers: a survey or a contrôle of a period meets its obligation, the
contrôles fall due per engagement at the structure's frequency, complaints owe their answers and
followed indicators their values — through the services, and through the Agenda and Registres
areas with the Pilot."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import pytest

from audit_bench.services import Workspace
from audit_bench.services.agenda import agenda, todo_summary
from audit_bench.services.checks import add_check, set_frequency
from audit_bench.services.complaints import add_complaint, answer_complaint
from audit_bench.services.indicators import record_value, set_target
from audit_bench.services.structures import create_structure, set_certification
from audit_bench.services.surveys import add_survey, import_results
from audit_bench.tui.app import AuditBenchApp
from audit_bench.tui.registers.checks import ChecksTab
from audit_bench.tui.registers.complaints import ComplaintsTab
from audit_bench.tui.screens.registers import StructureRegistersScreen
from audit_bench.tui.widgets.fixed_table import FixedTable
from audit_bench.tui.widgets.key_bar import KeyBar

TODAY = date(2026, 11, 23)
RESULTS = "Question;Engagement;Pas du tout;Plutôt pas;Plutôt;Tout à fait\nAccueil;E1;2;3;30;40\n"


@pytest.fixture
def bench(tmp_path) -> Workspace:
    return Workspace(tmp_path / "ws")


@pytest.fixture
def certified(bench) -> str:
    """A structure certified AFAQ since 2025-03-01 (its obligations of chapter VI apply)."""
    structure = create_structure(bench, "Atelier du Port", "ACI").id
    set_certification(bench, structure, "afaq", "AFNOR", "123", "2025-03-01", "2028-02-28")
    return structure


def items(view, **match):
    return [item for item in view.items if all(getattr(item, key) == value for key, value in match.items())]


def test_a_survey_with_its_results_meets_the_yearly_survey_of_its_period(bench, certified, tmp_path: Path):
    survey_of_2026 = lambda: items(agenda(bench, TODAY, certified), obligation="enquete-satisfaction",  # noqa: E731
                                   starts="2026-01-01")
    survey = add_survey(bench, certified, "personnes", "sortie", "01/01/2026", "30/06/2026", 120, 80, today=TODAY).id
    [due] = survey_of_2026()
    assert (due.state, due.done_on) == ("upcoming", None)  # recorded without its results: not done
    table = tmp_path / "resultats.csv"
    table.write_text(RESULTS, encoding="utf-8")
    import_results(bench, certified, survey, table)
    [done] = survey_of_2026()
    assert (done.state, done.done_on) == ("done", "2026-06-30")
    assert done.done_by == "une enquête de satisfaction du 2026-06-30 (registre)"
    [late] = items(agenda(bench, TODAY, certified), obligation="enquete-satisfaction", starts="2025-01-01")
    assert late.state == "overdue"  # the 2025 survey was never made


def test_contrôles_fall_due_per_engagement_at_the_register_s_frequency(bench, certified):
    view = agenda(bench, TODAY, certified)
    assert ("afaq", "controles") in {(entry.referential, entry.of) for entry in view.to_set}
    set_frequency(bench, certified, "E4", 3)
    add_check(bench, certified, "03/11/2026", "Claire Martin", "E4", True, today=TODAY)
    view = agenda(bench, TODAY, certified)
    assert ("afaq", "controles") not in {(entry.referential, entry.of) for entry in view.to_set}
    quarters = items(view, obligation="controles")
    assert quarters[0].title == "Contrôle de l'engagement E4 — T4 2026"
    assert (quarters[0].state, quarters[0].done_on) == ("done", "2026-11-03")
    assert [q.state for q in quarters[1:]] == ["upcoming"] * (len(quarters) - 1)
    assert quarters[0].rule.endswith(": E4 chaque trimestre")


def test_complaints_owe_their_answer_until_answered(bench, certified):
    add_complaint(bench, certified, "2026-11-13", "courrier", "client", "Rappel jamais fait", today=TODAY)
    add_complaint(bench, certified, "2026-11-20", "orale", "prescripteur", "Accueil", today=TODAY)
    view = agenda(bench, TODAY, certified)
    first, second = items(view, kind="complaint")
    # Friday 13: Saturday 14, Monday 16 … Thursday 19 are its five jours ouvrables
    assert (first.date, first.state, first.ref) == ("2026-11-19", "overdue", f"{certified}/R1/answer")
    assert first.rule.startswith("AFAQ 6.4")
    assert (second.date, second.state) == ("2026-11-26", "due")
    assert todo_summary(bench, TODAY).overdue == len(items(view, state="overdue"))

    answer_complaint(bench, certified, "R1", "accuse-reception", "2026-11-23", final_due="2026-12-15",
                     in_charge="Responsable qualité", today=TODAY)
    answer_complaint(bench, certified, "R2", "solution", "2026-11-23", text="Rappel fait", today=TODAY)
    [final] = items(agenda(bench, TODAY, certified), kind="complaint")
    assert (final.date, final.state, final.ref) == ("2026-12-15", "due", f"{certified}/R1/final")


def test_a_followed_indicator_owes_a_value_for_each_closed_period(bench, certified):
    set_target(bench, certified, "IND2", 80, period="quarter")
    record_value(bench, certified, "IND2", "2026-T1", numerator=18, denominator=20, today=TODAY)
    missing = items(agenda(bench, TODAY, certified), kind="indicator")
    assert [(item.title, item.date, item.state) for item in missing] == [
        ("Valeur de l'indicateur IND2 — 2026-T2", "2026-06-30", "overdue"),
        ("Valeur de l'indicateur IND2 — 2026-T3", "2026-09-30", "overdue"),
    ]
    record_value(bench, certified, "IND2", "2026-T2", numerator=14, denominator=20, today=TODAY)
    assert [item.title[-7:] for item in items(agenda(bench, TODAY, certified), kind="indicator")] == ["2026-T3"]


def test_entrée_on_a_complaint_of_the_agenda_opens_its_register(bench, certified):
    asyncio.run(_agenda_to_register(bench, certified))


async def _agenda_to_register(bench, structure):
    add_complaint(bench, structure, "2026-11-13", "courrier", "client", "Rappel jamais fait", today=TODAY)
    add_complaint(bench, structure, "2026-11-16", "orale", "client", "Accueil", today=TODAY)
    set_frequency(bench, structure, "E4", 3)
    app = AuditBenchApp(bench, today=lambda: TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g")
        await pilot.pause()
        table = app.screen.query_one("#agenda", FixedTable)
        table.move_cursor(table.keys.index(f"item:{structure}/{structure}/R2/answer"))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StructureRegistersScreen)
        assert isinstance(app.focused.parent, ComplaintsTab) and app.focused.id == "complaints"
        assert app.focused.keys[app.focused.cursor_row] == "R2"  # at the complaint the line was about
        assert "Accueil" in str(app.screen.query_one("#complaint-detail").render())
        await pilot.press("escape")
        await pilot.pause()
        table = app.screen.query_one("#agenda", FixedTable)
        table.move_cursor(next(i for i, key in enumerate(table.keys) if "/controles/E4/" in key))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.focused.parent, ChecksTab)


def test_the_registres_area_opens_a_structure_s_tabs_by_their_digit(bench, certified):
    asyncio.run(_registers_area(bench, certified))


async def _registers_area(bench, structure):
    add_complaint(bench, structure, "2026-11-13", "courrier", "client", "Rappel jamais fait", today=TODAY)
    app = AuditBenchApp(bench, today=lambda: TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        assert app.screen.title == "Registres — choisir une structure"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StructureRegistersScreen)
        assert app.focused.id == "complaints" and app.focused.row_count == 1
        assert "Nouvelle réclamation" in str(app.screen.query_one(KeyBar).render())
        await pilot.press("4")
        await pilot.pause()
        assert app.focused.id == "check-list"
        assert "Fréquence" in str(app.screen.query_one(KeyBar).render())
        await pilot.press("a")  # the tab's own key, from the screen
        await pilot.pause()
        assert app.screen.title != "Registres" and app.screen.query("#observer")
