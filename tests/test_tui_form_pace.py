"""Forms typed at full speed: every key lands in the field it was typed for, choices included."""

from __future__ import annotations

import asyncio

from textual import events

from audit_bench.model.vocab import KINDS
from audit_bench.services import Workspace

from audit_bench.services.audits import create_audit, open_audit
from audit_bench.services.structures import create_structure, list_structures, show_structure
from audit_bench.tui.widgets.choice import Choice
from test_tui_journeys import SIZE, app_for, shown


def keys(text: str) -> list[events.Key]:
    return [events.Key({" ": "space", "-": "minus"}.get(char, char), char) for char in text]


def key(name: str) -> events.Key:
    return events.Key(name, None)


async def burst(pilot, typed: list[events.Key]) -> None:
    """Post every key at once, as a terminal does when the auditor types faster than the screen
    opens (the Pilot's `press` waits after each key), then wait for the app to settle."""
    for event in typed:
        pilot.app.post_message(event)
    for _ in range(10):
        await pilot.pause(0.02)


def test_a_person_typed_without_pauses_through_the_role_choice_is_saved_as_typed(workspace_factory):
    asyncio.run(_person_without_pauses(workspace_factory))


async def _person_without_pauses(workspace_factory):
    workspace = workspace_factory()
    record = create_structure(workspace, "Régie des Écluses", "ACI")
    async with app_for(workspace).run_test(size=SIZE) as pilot:
        await pilot.pause()
        # From the home: the structures, the first one, a person; the third role is two steps
        # down from the first; Entrée moves on from each field, and saves from the last (the activity).
        await burst(pilot, [*keys("s"), key("enter"), *keys("pClaire Martin"), key("enter"), key("down"),
                            key("down"), key("enter"), *keys("12/03/2026"), key("enter"), *keys("Direction"),
                            key("enter")])
        assert pilot.app.screen.title == "Structure"
    people = show_structure(workspace, record.id).people
    assert [(p.name, p.role, p.trained_on, p.activity) for p in people] == [
        ("Claire Martin", "referent-qualite", "2026-03-12", "Direction")]


def test_ten_rating_keys_typed_without_pauses_on_opening_the_audit_are_all_applied_in_order(workspace_factory):
    asyncio.run(_ratings_without_pauses(workspace_factory))


async def _ratings_without_pauses(workspace_factory):
    workspace = workspace_factory()
    header = create_audit(workspace, "essai", "Chantier du Val", "internal", "ACI", "2026-10-01", ["Claire Martin"])
    typed = "1212112212"
    async with app_for(workspace).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await burst(pilot, [key("enter"), *keys(typed)])  # Entrée opens the audit; the keys come before it shows
        assert pilot.app.screen.title != "Accueil"
    with open_audit(workspace, header.id) as session:
        ratings = {a.requirement: a.rating for a in session.snapshot().assessments}
    # Rate-and-advance goes to the next applicable requirement: 2.5 does not apply to an ACI.
    expected = dict(zip(["1.1", "1.2", "1.3", "1.4", "1.5", "2.1", "2.2", "2.3", "2.4", "3.1"],
                        ["C" if digit == "1" else "P" for digit in typed]))
    assert sorted(ratings.items()) == sorted(expected.items())


def test_a_structure_typed_without_pauses_picks_its_type_by_its_first_letters(workspace_factory):
    asyncio.run(_structure_by_type_ahead(workspace_factory))


async def _structure_by_type_ahead(workspace_factory):
    workspace = workspace_factory()
    async with app_for(workspace).run_test(size=SIZE) as pilot:
        await pilot.pause()
        # « ac » picks « ACI — Atelier et chantier d'insertion » among « — aucun type — », AI, ACI, EI…
        await burst(pilot, [*keys("snRégie de Quartier Nord"), key("enter"), *keys("ac"), key("enter"),
                            *keys("732 829 320 00074"), key("enter"), *keys("Lille"), key("enter")])
        assert pilot.app.screen.title == "Structure"
        assert "SIRET : 732 829 320 00074" in shown(pilot.app, "#record")  # grouped as it is printed
    [row] = list_structures(workspace).structures
    record = show_structure(workspace, row.id)
    assert (record.name, record.siae_type, record.siret, record.place) == (
        "Régie de Quartier Nord", "ACI", "73282932000074", "Lille")


def test_a_refused_form_on_a_24_line_terminal_shows_its_error_and_arrows_go_back_to_the_field(workspace_factory):
    asyncio.run(_short_terminal_form(workspace_factory))


async def _short_terminal_form(workspace_factory):
    workspace = workspace_factory()
    record = create_structure(workspace, "Régie des Écluses", "ACI")
    async with app_for(workspace).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await burst(pilot, [*keys("s"), key("enter"), *keys("cmi"), key("enter"), *keys("AFNOR"), key("enter"),
                            *keys("C-1"), key("enter"), *keys("2026-13-01"), key("enter"), key("enter")])
        error = pilot.app.screen.query_one("#dialog-error")
        assert "2026-13-01" in shown(pilot.app, "#dialog-error")
        assert error.region.bottom <= 24 and pilot.app.screen.query_one("#submit").region.bottom <= 24
        # ↑ from the last field goes back to the date, whose text is selected: the date typed
        # replaces it, and ctrl+s saves.
        await burst(pilot, [key("up"), *keys("2026-02-01"), key("ctrl+s")])
        assert pilot.app.screen.title == "Structure"
    assert [c.issued for c in show_structure(workspace, record.id).certifications] == ["2026-02-01"]


def test_the_wizard_offers_the_kinds_of_audit_the_referential_is_made_for(tmp_path):
    asyncio.run(_wizard_kinds(tmp_path))


async def _wizard_kinds(tmp_path):
    workspace = Workspace(tmp_path / "ws")  # the bundled plugins, as installed
    async with app_for(workspace).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await burst(pilot, [*keys("niae")])
        screen = pilot.app.screen
        kind = screen.query_one("#kind", Choice)
        assert [value for _, value in kind.options] == ["self-assessment"] and kind.value == "self-assessment"
        assert "(v. 1.0+audit-bench.5)" in screen.query_one("#referential", Choice).render().plain
        await burst(pilot, [*keys("ce")])
        assert screen.query_one("#referential", Choice).value == "cedre"
        assert [value for _, value in kind.options] == list(KINDS)
        assert kind.value == "internal", "passing over the grid does not leave its autodiagnostic behind"


def test_ten_rating_keys_typed_without_pauses_in_an_open_walk_are_all_applied_in_order(workspace_factory):
    asyncio.run(_ratings_in_an_open_walk(workspace_factory))


async def _ratings_in_an_open_walk(workspace_factory):
    workspace = workspace_factory()
    header = create_audit(workspace, "essai", "Chantier du Val", "internal", "ACI", "2026-10-01", ["Claire Martin"])
    typed = "2121121122"
    async with app_for(workspace).run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("down")  # from 1.1 to 1.2: the ratings start there
        await pilot.pause()
        await burst(pilot, keys(typed))
        walk = pilot.app.screen
        # The burst rates 1.2 to 3.2 (2.5 does not apply); the cursor and the panel are on 3.3.
        assert walk.query_one("#tree").cursor_node.data == walk.current == "3.3"
        assert "Spécification 3.3" in walk.query_one("#detail").content.plain
        assert "cotées 10/14" in walk.query_one("#walk-header").content.plain
        tree = walk.query_one("#tree")
        lines = [tree.render_line(y).text for y in range(tree.size.height)]
        assert [line.split()[-1] for line in lines if line.startswith("▼")] == ["4/5", "4/4", "2/5"]
    with open_audit(workspace, header.id) as session:
        ratings = {a.requirement: a.rating for a in session.snapshot().assessments}
    expected = dict(zip(["1.2", "1.3", "1.4", "1.5", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2"],
                        ["C" if digit == "1" else "P" for digit in typed]))
    assert ratings == expected
