"""The Agenda area and the Accueil's « À faire », driven with the keyboard, on the bundled AFAQ cycle."""

from __future__ import annotations

import asyncio
from datetime import date

from audit_bench.services import Workspace
from audit_bench.services.agenda import agenda
from audit_bench.services.listing import list_audits
from audit_bench.services.structures import create_structure, set_certification
from audit_bench.tui.app import AuditBenchApp
from audit_bench.tui.screens.agenda import AgendaScreen
from support import until
from test_tui_journeys import shown, type_text

TODAY = date(2027, 1, 5)


def certified(tmp_path) -> tuple[Workspace, str]:
    workspace = Workspace(tmp_path / "ws")
    structure = create_structure(workspace, "PLIE [b]Cœur[/b] de Garrigue").id
    set_certification(workspace, structure, "afaq", "AFNOR Certification", "ES-17", "2026-01-10", "2029-01-09")
    return workspace, structure


def rows(app) -> list:
    return list(app.screen.rows.values())


async def go_to(pilot, title: str) -> None:
    """Move the cursor down to the line of that title, or of that frequency to set (`what`), one
    key at a time as a user would."""
    screen = pilot.app.screen
    for _ in range(len(screen.rows)):
        value = screen.highlighted()
        if title in (getattr(value, "title", None), getattr(value, "what", None)):
            return
        await pilot.press("down")
    raise AssertionError(f"{title} not in the agenda")


def test_agenda_overdue_first_then_by_month_and_enter_opens_what_is_due(tmp_path):
    asyncio.run(_agenda_journey(tmp_path))


async def _agenda_journey(tmp_path):
    workspace, structure = certified(tmp_path)
    app = AuditBenchApp(workspace, today=lambda: TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: shown(app, "#todo").startswith("À faire"), "the home's « À faire » counted")
        await app.workers.wait_for_complete()
        assert shown(app, "#todo").startswith("À faire : 4 en retard · 2 à fixer")
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, AgendaScreen)
        listed = rows(app)
        assert listed[0] == "En retard (4)" and [r.state for r in listed[1:5]] == ["overdue"] * 4
        assert listed[5] == "Décembre 2027" and listed[-3] == "À fixer par la structure (2)"
        assert str(app.screen.query_one("#agenda").get_row_at(1)[2]).startswith("PLIE [b]Cœur[")  # not markup

        # the 2026 bilan is marked done from its line: it leaves « En retard »
        await go_to(pilot, "Bilan annuel (revue de direction) — 2026")
        assert "AFAQ 6.7 — un bilan au moins une fois par an" in shown(app, "#agenda-detail")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "18/12/2026")
        await pilot.press("tab")
        await type_text(pilot, "CR signé")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, AgendaScreen) and rows(app)[0] == "En retard (3)"
        done = next(r for r in rows(app) if getattr(r, "ref", "") == "afaq/bilan-annuel/2026-01")
        assert (done.state, done.done_on) == ("done", "2026-12-18")

        # the internal audit of 2026 opens the new-audit form for it: AFAQ, the structure, internal
        await go_to(pilot, "Audit interne — 2026")
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert form.query_one("#referential").value == "afaq" and form.query_one("#kind").value == "internal"
        assert form.picked is not None and form.picked.id == structure
        assert form.query_one("#date").value == "31/12/2026"  # a past period: its last day, to correct
        await pilot.press("escape")
        await pilot.pause()

        # the surveillance interval the referential leaves open is set from its line
        await go_to(pilot, "Intervalle des audits de surveillance")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "12")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, AgendaScreen) and "À fixer par la structure (1)" in rows(app)
        surveillance = next(r for r in rows(app) if getattr(r, "kind", "") == "surveillance")
        assert (surveillance.date, surveillance.state) == ("2027-01-10", "due")
        await pilot.press("escape")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert shown(app, "#todo").startswith("À faire : 3 en retard · 1 dans les 30 jours · 1 à fixer")
    view = agenda(workspace, TODAY, structure)
    assert [entry.of for entry in view.to_set] == ["controles"] and list_audits(workspace) == []


def test_agenda_at_120_columns_shows_wide_columns_and_h_changes_the_horizon(tmp_path):
    asyncio.run(_wide_and_horizon(tmp_path))


async def _wide_and_horizon(tmp_path):
    workspace, _ = certified(tmp_path)
    app = AuditBenchApp(workspace, today=lambda: TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("g")
        await pilot.pause()
        table = app.screen.query_one("#agenda")
        assert [width for _, width in table.columns][:3] == [10, 9, 24]
        assert "horizon 365 jours" in shown(app, "#agenda-summary")
        await pilot.press("h", "h")
        await pilot.pause()
        assert "horizon 30 jours" in shown(app, "#agenda-summary")
        assert all(r.date <= "2027-02-04" for r in rows(app) if hasattr(r, "date"))
