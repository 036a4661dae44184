"""Journeys through the structures (home, list, one structure) and the wizard's type-ahead."""

from __future__ import annotations

import asyncio

from textual.widgets import Input

from audit_bench.tui.widgets.choice import Choice
from audit_bench.tui.widgets.fixed_table import FixedTable

from audit_bench.services.audits import create_audit, open_audit
from audit_bench.services.listing import list_audits
from audit_bench.services.structures import create_structure, list_structures, set_person, show_structure
from test_tui_journeys import SIZE, app_for, choose, rated_audit, shown, type_text


def cells(app, selector: str) -> list[list[str]]:
    table = app.screen.query_one(selector, FixedTable)
    return [[str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]


async def fill(pilot, field: str, text: str) -> None:
    """Replace a form field's text with `text`, typed."""
    widget = pilot.app.screen.query_one(f"#{field}", Input)
    widget.focus()
    widget.value = ""
    await type_text(pilot, text)


async def save(pilot) -> None:
    await pilot.press("ctrl+s")
    await pilot.pause()


def test_home_shows_structures_and_one_key_opens_them_and_a_rename_is_seen_on_the_home(workspace_factory):
    asyncio.run(_rename_seen_on_home(workspace_factory))


async def _rename_seen_on_home(workspace_factory):
    workspace = workspace_factory()
    rated_audit(workspace)  # Chantier du Val, ACI, one action due 2026-11-30
    structure_id = list_structures(workspace).structures[0].id
    async with app_for(workspace).run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "a  Audits" in shown(pilot.app, "#areas") and "s  Structures" in shown(pilot.app, "#areas")
        [row] = cells(pilot.app, "#structures")
        assert row[0] == "Chantier du Val" and row[1] == "ACI" and row[3:] == ["1", "0", "2026-10-01"]
        await pilot.press("s")
        await pilot.pause()
        assert pilot.app.screen.title == "Structures"
        await pilot.press("enter")
        await pilot.pause()
        assert pilot.app.screen.title == "Structure"
        assert "Chantier du Val" in shown(pilot.app, "#record")
        await pilot.press("e")
        await pilot.pause()
        await fill(pilot, "name", "Val [b]d'Oc[/b]")
        await save(pilot)
        assert "Val [b]d'Oc[/b]" in shown(pilot.app, "#record")
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert pilot.app.screen.title == "Accueil"
        assert cells(pilot.app, "#structures")[0][0] == "Val [b]d'Oc[/b]"
        assert cells(pilot.app, "#audits")[0][0] == "Val [b]d'Oc[/b]"
    assert show_structure(workspace, structure_id).name == "Val [b]d'Oc[/b]"


def test_structure_screen_refuses_bad_input_in_place_then_records_people_and_certifications(workspace_factory):
    asyncio.run(_structure_edits(workspace_factory))


async def _structure_edits(workspace_factory):
    workspace = workspace_factory()
    record = create_structure(workspace, "Régie des Écluses", "ACI")
    async with app_for(workspace).run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        await fill(pilot, "siret", "123")
        await save(pilot)
        assert "SIRET invalide" in shown(pilot.app, "#dialog-error")
        await fill(pilot, "name", "")
        await fill(pilot, "siret", "732 829 320 00074")
        await save(pilot)
        assert "nom de la structure" in shown(pilot.app, "#dialog-error")
        await pilot.press("escape")
        await pilot.pause()
        assert show_structure(workspace, record.id).siret is None

        await pilot.press("p")
        await pilot.pause()
        await type_text(pilot, "Claire Martin")
        await choose(pilot, "#role", "auditeur-interne")
        await fill(pilot, "trained_on", "2026-13-01")
        await save(pilot)
        assert "date" in shown(pilot.app, "#dialog-error").lower()
        await fill(pilot, "trained_on", "2026-03-12")
        await fill(pilot, "activity", "Direction")
        await save(pilot)
        assert cells(pilot.app, "#people") == [["Claire Martin", "Auditeur(trice) interne", "2026-03-12", "Direction"]]

        await pilot.press("c")
        await pilot.pause()
        await choose(pilot, "#referential", "mini")
        await fill(pilot, "body", "AFNOR Certification")
        await fill(pilot, "number", "C-2026-01")
        await fill(pilot, "issued", "2026-02-01")
        await fill(pilot, "valid_until", "2025-01-01")
        await save(pilot)
        assert "précède" in shown(pilot.app, "#dialog-error")
        await fill(pilot, "valid_until", "")
        await save(pilot)
        # Left empty, the end is the referential's: mini lasts 3 years, to the day before.
        assert cells(pilot.app, "#certifications") == [["mini", "AFNOR Certification", "C-2026-01", "2026-02-01",
                                                        "2029-01-31"]]

        pilot.app.screen.query_one("#people").focus()
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert cells(pilot.app, "#people") == []
    view = show_structure(workspace, record.id)
    assert view.people == [] and [c.valid_until for c in view.certifications] == ["2029-01-31"]


def test_structures_screen_creates_a_structure_after_a_refusal_and_lists_its_audits(workspace_factory):
    asyncio.run(_create_and_open(workspace_factory))


async def _create_and_open(workspace_factory):
    workspace = workspace_factory()
    rated_audit(workspace)
    async with app_for(workspace).run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "Chantier du Val")
        await choose(pilot, "#siae_type", "ACI")
        await save(pilot)
        assert "existe déjà" in shown(pilot.app, "#dialog-error")
        await choose(pilot, "#siae_type", "AI")
        await save(pilot)
        assert pilot.app.screen.title == "Structure" and "type : AI" in shown(pilot.app, "#record")
        assert cells(pilot.app, "#structure-audits") == []
        await pilot.press("escape")
        await pilot.pause()
        listed = [row[0:2] for row in cells(pilot.app, "#structure-list")]
        assert sorted(listed) == [["Chantier du Val", "ACI"], ["Chantier du Val", "AI"]]
        if listed[0][1] != "ACI":
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        assert cells(pilot.app, "#structure-audits")[0][:3] == ["essai", "Interne", "2026-10-01"]
        await pilot.press("enter")
        await pilot.pause()
        assert pilot.app.screen.title == "Parcours"


def test_wizard_picks_an_existing_structure_by_type_ahead(workspace_factory):
    asyncio.run(_type_ahead_picks(workspace_factory))


async def _type_ahead_picks(workspace_factory):
    workspace = workspace_factory()
    record = create_structure(workspace, "Régie des Écluses", "ACI")
    create_structure(workspace, "Atelier du Port", "AI")
    async with app_for(workspace).run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        await choose(pilot, "#referential", "essai")
        pilot.app.screen.query_one("#org").focus()
        await type_text(pilot, "regie ecl")
        await pilot.pause()
        suggestions = pilot.app.screen.query_one("#suggestions")
        assert suggestions.display and suggestions.option_count == 1
        assert "Nouvelle structure" in shown(pilot.app, "#structure-choice")
        await pilot.press("down", "enter")
        await pilot.pause()
        assert pilot.app.screen.query_one("#org", Input).value == "Régie des Écluses"
        assert pilot.app.screen.query_one("#siae_type", Choice).value == "ACI"
        assert "Structure existante : Régie des Écluses" in shown(pilot.app, "#structure-choice")
        await save(pilot)
        assert pilot.app.screen.title == "Parcours"
    [audit] = list_audits(workspace)
    assert (audit.structure, audit.siae_type) == (record.id, "ACI")
    assert len(list_structures(workspace).structures) == 2


def test_wizard_creates_a_structure_from_a_new_name(workspace_factory):
    asyncio.run(_type_ahead_creates(workspace_factory))


async def _type_ahead_creates(workspace_factory):
    workspace = workspace_factory()
    create_structure(workspace, "Régie des Écluses", "ACI")
    async with app_for(workspace).run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        await choose(pilot, "#referential", "essai")
        pilot.app.screen.query_one("#org").focus()
        await type_text(pilot, "Régie")
        await pilot.press("down", "up")  # through the suggestion and back to the name typed
        await type_text(pilot, " du Lac")
        await pilot.pause()
        assert not pilot.app.screen.query_one("#suggestions").display
        assert "« Régie du Lac » sera créée" in shown(pilot.app, "#structure-choice")
        await choose(pilot, "#siae_type", "AI")
        await save(pilot)
        assert pilot.app.screen.title == "Parcours"
    names = sorted((row.name, row.siae_type) for row in list_structures(workspace).structures)
    assert names == [("Régie des Écluses", "ACI"), ("Régie du Lac", "AI")]


def test_back_from_a_walk_the_home_updates_that_audit_in_place(workspace_factory):
    """The cursor stays on the audit just walked, and its progress is the new one."""
    asyncio.run(_in_place(workspace_factory))


async def _in_place(workspace_factory):
    workspace = workspace_factory()
    for day in ("2026-09-01", "2026-09-02", "2026-09-03"):
        create_audit(workspace, "essai", "Atelier du Port", "internal", "AI", day)
    async with app_for(workspace).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "down")
        await pilot.pause()
        table = pilot.app.screen.query_one("#audits", FixedTable)
        walked = list(table.shown)[2]
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.screen.title == "Accueil"
        assert table.cursor_row == 2
        assert cells(pilot.app, "#audits")[2][4].startswith("1/15")
    with open_audit(workspace, walked, write=False) as session:
        assert len(session.snapshot().assessments) == 1


def test_a_person_set_elsewhere_is_shown_on_refresh(workspace_factory):
    asyncio.run(_refresh(workspace_factory))


async def _refresh(workspace_factory):
    workspace = workspace_factory()
    record = create_structure(workspace, "Atelier du Port", "AI")
    async with app_for(workspace).run_test(size=SIZE) as pilot:
        await pilot.press("s", "enter")
        await pilot.pause()
        set_person(workspace, record.id, "Karim Benali", "direction")
        await pilot.press("f5")
        await pilot.pause()
        assert cells(pilot.app, "#people")[0][:2] == ["Karim Benali", "Direction"]
