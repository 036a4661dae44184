"""Forms typed at full speed: every key lands in the field it was typed for, choices included."""

from __future__ import annotations

import asyncio

from textual import events

from audit_bench.services.audits import create_audit, open_audit
from audit_bench.services.structures import create_structure, show_structure
from test_tui_journeys import SIZE, app_for


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
        # down from the first; Entrée moves on from each field, and saves from the date.
        await burst(pilot, [*keys("s"), key("enter"), *keys("pClaire Martin"), key("enter"), key("down"),
                            key("down"), key("enter"), *keys("2026-03-12"), key("enter")])
        assert pilot.app.screen.title == "Structure"
    people = show_structure(workspace, record.id).people
    assert [(p.name, p.role, p.trained_on) for p in people] == [("Claire Martin", "referent-qualite", "2026-03-12")]


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
