"""The Enquêtes and Contrôles tabs of the Registres area, through the Pilot in a tiny app: the
flags visible, entry by keyboard forms, a refusal shown in place, the écart one key away."""

from __future__ import annotations

import asyncio
from datetime import date

from textual.widgets import Input

from audit_bench.services.audits import create_audit
from audit_bench.services.checks import list_checks
from audit_bench.services.structures import show_structure
from audit_bench.services.surveys import add_survey, import_results, set_settings, show_survey
from audit_bench.tui.registers import checks as checks_tab
from audit_bench.tui.registers import surveys as surveys_tab
from audit_bench.tui.widgets.fixed_table import FixedTable
from support import tab_app
from test_tui_journeys import SIZE, type_text

TODAY = date(2026, 12, 1)


def rows(app, selector: str) -> list[list[str]]:
    table = app.query_one(selector, FixedTable)
    return [[str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]


def dialog_error(app) -> str:
    return str(app.screen.query_one("#dialog-error").render())


async def fill(pilot, field: str, text: str) -> None:
    widget = pilot.app.screen.query_one(f"#{field}", Input)
    widget.focus()
    widget.value = ""
    await type_text(pilot, text)


def test_surveys_tab_adds_imports_flags_and_raises_the_proposed_ecart(workspace, tmp_path):
    asyncio.run(_surveys_tab(workspace, tmp_path))


async def _surveys_tab(workspace, tmp_path):
    structure = create_audit(workspace, "mini", "Atelier du Port", "internal", "ACI", "2026-10-01").structure
    set_settings(workspace, structure, threshold=75, min_answers=100)
    table = tmp_path / "resultats.csv"
    table.write_text("Question;Engagement;Non;Plutôt non;Plutôt oui;Oui\nAccueil;1.1;2;3;30;40\n"
                     "Suivi [b]mensuel[/b];2.1;10;20;25;20\n", encoding="utf-8")
    async with tab_app(surveys_tab.SurveysTab(workspace, structure), lambda: TODAY).run_test(size=SIZE) as pilot:
        assert surveys_tab.TAB_TITLE == "Enquêtes"
        assert rows(pilot.app, "#survey-list") == []
        await pilot.press("a")
        await pilot.pause()
        await type_text(pilot, "\r\r")  # population and moment as proposed: personnes, 1er contact
        await fill(pilot, "start", "01/01/2026")
        await fill(pilot, "end", "30/06/2026")
        await fill(pilot, "size", "120")
        await fill(pilot, "answers", "130")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "pas plus de réponses que de personnes" in dialog_error(pilot.app)  # refused in place
        await fill(pilot, "answers", "80")
        await pilot.press("ctrl+s")
        await pilot.pause()
        [row] = rows(pilot.app, "#survey-list")
        assert row[:6] == ["S1", "Personnes en parcours", "1er contact", "2026-01-01 → 2026-06-30", "80/120", "—"]
        assert "échantillon faible" in row[6]
        await pilot.press("i")
        await pilot.pause()
        await type_text(pilot, str(table))
        await pilot.press("ctrl+s")
        await pilot.pause()
        questions = rows(pilot.app, "#survey-questions")
        assert [q[:5] for q in questions] == [["Q1", "Accueil", "1.1", "75", "93,3\u00a0%"],
                                              ["Q2", "Suivi [b]mensuel[/b]", "2.1", "75", "60\u00a0%"]]
        assert questions[1][5] == "SOUS LE SEUIL (e)"
        assert "1 écart(s) à lever" in rows(pilot.app, "#survey-list")[0][6]
        await pilot.press("e")
        await pilot.pause()
        assert "« Suivi [b]mensuel[/b] » (engagement 2.1)" in pilot.app.screen.query_one("#text", Input).value
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert rows(pilot.app, "#survey-questions")[1][5] == "écart E1 levé"
    [ecart] = show_structure(workspace, structure).ecarts
    assert (ecart.source, ecart.ref) == ("enquete", "enquête S1 Q2")
    assert show_survey(workspace, structure, "S1").proposals == []


def test_surveys_tab_follows_the_cursor_and_refuses_a_malformed_table_in_place(workspace, tmp_path):
    asyncio.run(_malformed(workspace, tmp_path))


async def _malformed(workspace, tmp_path):
    structure = create_audit(workspace, "mini", "Atelier du Port", "internal", "ACI", "2026-10-01").structure
    add_survey(workspace, structure, "clients", "sortie", "2026-01-01", "2026-06-30", 10, 5)
    add_survey(workspace, structure, "clients", "parcours", "2026-09-01", "2026-09-30", 10, 5)
    good = tmp_path / "bon.csv"
    good.write_text("Question;Non;Oui\nDélais;1;4\n", encoding="utf-8")
    import_results(workspace, structure, "S2", good)
    bad = tmp_path / "mauvais.csv"
    bad.write_text("Question;Non;Oui\nAccueil;1;beaucoup\n", encoding="utf-8")
    async with tab_app(surveys_tab.SurveysTab(workspace, structure), lambda: TODAY).run_test(size=SIZE) as pilot:
        assert [r[0] for r in rows(pilot.app, "#survey-list")] == ["S2", "S1"]  # newest first
        assert [q[1] for q in rows(pilot.app, "#survey-questions")] == ["Délais"]
        await pilot.press("down")
        await pilot.pause()
        assert rows(pilot.app, "#survey-questions") == []
        await pilot.press("i")
        await pilot.pause()
        await type_text(pilot, str(bad))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Ligne 2, colonne C : « beaucoup »" in dialog_error(pilot.app)
    assert show_survey(workspace, structure, "S1").questions == []


def test_checks_tab_shows_due_and_missed_and_records_a_check_with_its_ecart(workspace, monkeypatch):
    asyncio.run(_checks_tab(workspace, monkeypatch))


async def _checks_tab(workspace, monkeypatch):
    from audit_bench.services import checks

    structure = create_audit(workspace, "mini", "Atelier du Port", "internal", "ACI", "2026-10-01").structure
    monkeypatch.setattr(checks, "now", lambda: "2026-04-15T09:00:00+01:00")
    checks.set_frequency(workspace, structure, "1.2", 3)
    async with tab_app(checks_tab.ChecksTab(workspace, structure), lambda: TODAY).run_test(size=SIZE) as pilot:
        assert checks_tab.TAB_TITLE == "Contrôles"
        [row] = rows(pilot.app, "#check-frequencies")
        assert row[0] == "1.2" and row[2] == "chaque trimestre"
        assert row[4] == "À FAIRE  manqué : T2 2026, T3 2026"
        await pilot.press("e")
        await pilot.pause()
        assert pilot.app.screen.query_one("#engagement", Input).value == "1.2"  # the highlighted engagement
        await type_text(pilot, "Claire Martin")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "le constat de l'écart" in dialog_error(pilot.app)
        await fill(pilot, "observation", "Pas de point mensuel")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert rows(pilot.app, "#check-list") == [["C1", "2026-12-01", "1.2", "Claire Martin", "écart E1",
                                                   "Pas de point mensuel"]]
        assert rows(pilot.app, "#check-frequencies")[0][4] == "manqué : T2 2026, T3 2026"
        await pilot.press("f")
        await pilot.pause()
        await fill(pilot, "engagement", "2.1")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [r[0] for r in rows(pilot.app, "#check-frequencies")] == ["1.2", "2.1"]
    assert [(e.source, e.ref) for e in show_structure(workspace, structure).ecarts] == [("controle", "contrôle C1")]
    assert [f.every_months for f in list_checks(workspace, structure, TODAY).frequencies] == [3, 3]
