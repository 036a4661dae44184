"""The « Réclamations » tab through the Pilot: the register with its flags, a complaint and its
answer typed in forms, the écart proposed one key away, the bilan."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from textual.widgets import Input, Static

from audit_bench.plugins.manager import load_plugins
from audit_bench.services import Workspace
from audit_bench.services.complaints import add_complaint, list_complaints, show_complaint
from audit_bench.services.structures import create_structure, open_structure, set_certification, show_structure
from audit_bench.tui.forms import FormDialog, TextDialog
from audit_bench.tui.registers.complaints import TAB_TITLE, ComplaintsTab
from audit_bench.tui.widgets.choice import Choice
from audit_bench.tui.widgets.fixed_table import FixedTable
from support import mini_plugin, tab_app
from test_tui_journeys import SIZE, type_text

TODAY = date(2026, 6, 30)


@pytest.fixture(scope="module")
def registry():
    """The bundled referentials: AFAQ fixes the answer delay."""
    return load_plugins(extra=[("mini", mini_plugin())])


@pytest.fixture
def workspace(tmp_path, registry) -> Workspace:
    return Workspace(tmp_path / "ws", registry=registry)


def rows(app) -> list[list[str]]:
    table = app.query_one("#complaints", FixedTable)
    return [[str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]


def text_of(app, selector: str) -> str:
    return str(app.query_one(selector, Static).content)


async def fill(pilot, field: str, text: str) -> None:
    widget = pilot.app.screen.query_one(f"#{field}", Input)
    widget.focus()
    widget.value = ""
    await type_text(pilot, text)


def afaq_structure(workspace) -> str:
    structure = create_structure(workspace, "Passerelle Emploi")
    set_certification(workspace, structure.id, "afaq", "AFNOR Certification", "AES-12", "2025-01-15", "2028-01-14")
    return structure.id


def test_the_register_shows_its_flags_and_a_complaint_and_its_answer_are_typed_in(workspace):
    asyncio.run(_register(workspace))


async def _register(workspace):
    structure_id = afaq_structure(workspace)
    add_complaint(workspace, structure_id, "2026-06-01", "mail", "client", "Rappel [b]jamais[/b] fait", today=TODAY)
    async with tab_app(ComplaintsTab(workspace, structure_id), lambda: TODAY).run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert TAB_TITLE == "Réclamations"
        assert "5 jours ouvrables — AFAQ 6.4" in text_of(pilot.app, "#complaints-rule")
        [row] = rows(pilot.app)
        assert row[0] == "R1" and row[3] == "Rappel [b]jamais[/b] fait" and row[4] == "2026-06-06"
        assert row[-2:] == ["sans réponse", "RETARD"]
        assert "En retard : sans réponse, due le 2026-06-06" in text_of(pilot.app, "#complaint-detail")

        await pilot.press("a")
        await pilot.pause()
        assert isinstance(pilot.app.screen, FormDialog)
        await type_text(pilot, "Accueil au téléphone")
        await fill(pilot, "received", "29/06/2026")
        pilot.app.screen.query_one("#channel", Choice).value = "orale"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [r[0] for r in rows(pilot.app)] == ["R2", "R1"]
        assert list_complaints(workspace, structure_id, today=TODAY).complaints[1].channel == "orale"

        await pilot.press("r")  # the cursor is on R2, received yesterday
        await pilot.pause()
        pilot.app.screen.query_one("#kind", Choice).value = "accuse-reception"
        await fill(pilot, "final_due", "15/07/2026")
        await fill(pilot, "in_charge", "Responsable qualité")
        await pilot.press("ctrl+s")
        await pilot.pause()
        view = show_complaint(workspace, structure_id, "R2", TODAY)
        assert (view.status, view.final_due, view.answers[0].on) == ("open", "2026-07-15", "2026-06-30")
        assert rows(pilot.app)[0][-2:] == ["en cours", ""]


def test_a_refused_answer_is_told_in_the_form_and_changes_nothing(workspace):
    asyncio.run(_refused(workspace))


async def _refused(workspace):
    structure_id = afaq_structure(workspace)
    add_complaint(workspace, structure_id, "2026-06-01", "mail", "client", "Accueil", today=TODAY)
    async with tab_app(ComplaintsTab(workspace, structure_id), lambda: TODAY).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("r", "ctrl+s")  # a solution without its text
        await pilot.pause()
        assert isinstance(pilot.app.screen, FormDialog)
        assert "texte de la réponse" in str(pilot.app.screen.query_one("#dialog-error").render())
        assert show_complaint(workspace, structure_id, "R1", TODAY).answers == []


def test_the_ecart_is_proposed_one_key_away_and_raised_once_confirmed(workspace):
    asyncio.run(_ecart(workspace))


async def _ecart(workspace):
    structure_id = afaq_structure(workspace)
    add_complaint(workspace, structure_id, "2026-06-01", "mail", "client", "Accueil", today=TODAY)
    async with tab_app(ComplaintsTab(workspace, structure_id), lambda: TODAY).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        proposed = pilot.app.screen.query_one("#text", Input).value
        assert proposed.startswith("Réclamation R1 « Accueil » : réponse hors délai")
        assert show_structure(workspace, structure_id).ecarts == []  # nothing raised yet
        await pilot.press("enter")
        await pilot.pause()
        [ecart] = show_structure(workspace, structure_id).ecarts
        assert (ecart.source, ecart.ref, ecart.text) == ("reclamation", "réclamation R1", proposed)
        assert f"Écart {ecart.id} : " in text_of(pilot.app, "#complaint-detail")

        await pilot.press("b")
        await pilot.pause()
        assert isinstance(pilot.app.screen, TextDialog)
        assert pilot.app.screen.title_text == "Bilan des réclamations 2026"
        page = str(pilot.app.screen.query_one("#page-text", Static).content)
        assert "Réclamations reçues : 1 ; sans réponse : 1" in page and "Écarts soulevés : 1" in page


def test_a_structure_held_by_another_writer_refuses_the_form_in_place(workspace):
    asyncio.run(_locked(workspace))


async def _locked(workspace):
    structure_id = afaq_structure(workspace)
    async with tab_app(ComplaintsTab(workspace, structure_id), lambda: TODAY).run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Aucune réclamation" in text_of(pilot.app, "#complaint-detail")
        with open_structure(workspace, structure_id):  # another session writes the structure
            await pilot.press("a")
            await pilot.pause()
            await type_text(pilot, "Accueil")
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(pilot.app.screen, FormDialog)
            assert "lecture seule" in str(pilot.app.screen.query_one("#dialog-error").render())
        assert list_complaints(workspace, structure_id, today=TODAY).complaints == []


def test_at_80_columns_the_flags_still_show(workspace):
    asyncio.run(_narrow(workspace))


async def _narrow(workspace):
    structure_id = afaq_structure(workspace)
    add_complaint(workspace, structure_id, "2026-06-01", "courrier", "client",
                  "Rappel jamais fait après l'entretien d'accueil du mois dernier", today=TODAY)
    async with tab_app(ComplaintsTab(workspace, structure_id), lambda: TODAY).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = pilot.app.query_one("#complaints", FixedTable)
        assert table.width <= 80
        [row] = rows(pilot.app)
        assert row[-2:] == ["sans réponse", "RETARD"] and row[3].endswith("…")


def test_the_structure_sets_its_holidays_and_own_delay_from_the_tab(workspace):
    asyncio.run(_settings(workspace))


async def _settings(workspace):
    structure_id = create_structure(workspace, "Chantier des Saules", "ACI").id
    add_complaint(workspace, structure_id, "2026-04-02", "mail", "client", "Bruit", today=TODAY)
    async with tab_app(ComplaintsTab(workspace, structure_id), lambda: TODAY).run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "délai non fixé" in text_of(pilot.app, "#complaints-rule")
        assert rows(pilot.app)[0][4] == "non fixé"
        await pilot.press("s")
        await pilot.pause()
        pilot.app.screen.query_one("#zone", Choice).value = "57"
        await fill(pilot, "days", "5")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "5 jours ouvrables — délai fixé par la structure" in text_of(pilot.app, "#complaints-rule")
        assert rows(pilot.app)[0][4] == "2026-04-10"  # Good Friday, a holiday in Moselle
        await pilot.press("s")
        await pilot.pause()
        await fill(pilot, "days", "")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert show_complaint(workspace, structure_id, "R1", TODAY).delay is None
