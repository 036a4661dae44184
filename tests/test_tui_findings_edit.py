"""Écarts et actions: `m` corrects an écart, an action or an evidence reference, `suppr` deletes
one after a confirmation that says what goes with it."""

from __future__ import annotations

import asyncio

from textual.widgets import Input

from audit_bench.services.audits import open_audit
from test_tui_journeys import SIZE, app_for, choose, rated_audit, records, type_text


def test_findings_screen_edits_and_deletes_ecarts_actions_and_evidence(workspace_factory):
    workspace = workspace_factory()
    audit_id = rated_audit(workspace)
    with open_audit(workspace, audit_id) as session:
        session.add_evidence("1.1", "Livret d'accueil", "v2", "Classeur qualité")
        session.add_action("E1", "Former l'équipe", "Direction", "2026-12-15")
    asyncio.run(_edit_and_delete(workspace, audit_id))


async def _edit_and_delete(workspace, audit_id: str) -> None:
    async with app_for(workspace).run_test(size=SIZE) as pilot:
        app = pilot.app
        await pilot.press("enter", "a")
        await pilot.pause()
        assert app.screen.title == "Écarts et actions"
        assert app.screen.keys == [("finding", "E1"), ("action", "A1"), ("action", "A2"), ("evidence", "P1")]

        await pilot.press("m")  # the écart: reworded and reclassed
        await pilot.pause()
        app.screen.query_one("#text", Input).value = ""
        await type_text(pilot, "Entretiens non tracés")
        await choose(pilot, "#class_", "observation")
        await pilot.press("ctrl+s")
        await pilot.pause()
        finding = records(workspace, audit_id)[3][0]
        assert (finding.text, finding.class_) == ("Entretiens non tracés", "observation")

        await pilot.press("down", "m")  # its first action: a new owner
        await pilot.pause()
        await pilot.press("tab")
        app.screen.query_one("#owner", Input).value = ""
        await type_text(pilot, "Référente qualité")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert records(workspace, audit_id)[4][0].owner == "Référente qualité"

        await pilot.press("down", "down", "m")  # the evidence reference: its location
        await pilot.pause()
        app.screen.query_one("#location", Input).value = "Bureau de la direction"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert records(workspace, audit_id)[2][0].location == "Bureau de la direction"

        await pilot.press("delete")  # the evidence: asked, then refused with Échap
        await pilot.pause()
        assert "Supprimer la référence de preuve P1 ?" in app.screen.question.plain
        await pilot.press("escape")
        await pilot.pause()
        assert len(records(workspace, audit_id)[2]) == 1

        await pilot.press("up", "up", "up", "x")  # the écart: its two actions are named before it goes
        await pilot.pause()
        question = app.screen.question.plain
        assert "Supprimer l'écart E1 (exigence 1.2) ?" in question
        assert "Ses 2 actions (A1, A2) seront supprimées avec lui." in question
        await pilot.press("enter")
        await pilot.pause()
        _, _, evidence, findings, actions = records(workspace, audit_id)
        assert (findings, actions, [e.id for e in evidence]) == ([], [], ["P1"])
        assert app.screen.keys == [("evidence", "P1")]
        assert list(app._notifications)[-1].message == "Écart E1 supprimé."


def test_on_a_closed_audit_an_ecart_is_refused_up_front_and_an_action_stays_editable(workspace_factory):
    workspace = workspace_factory()
    audit_id = rated_audit(workspace)
    with open_audit(workspace, audit_id) as session:
        session.close_audit()
    asyncio.run(_closed(workspace, audit_id))


async def _closed(workspace, audit_id: str) -> None:
    async with app_for(workspace).run_test(size=SIZE) as pilot:
        app = pilot.app
        await pilot.press("enter", "a")
        await pilot.pause()
        for key in ("m", "delete"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen.title == "Écarts et actions", f"{key} opened a dialog"
            assert list(app._notifications)[-1].message == (
                "Audit clos : ses écarts sont figés (rouvrir l'audit dans la synthèse pour modifier).")
        await pilot.press("down", "m")
        await pilot.pause()
        app.screen.query_one("#owner", Input).value = "Référente qualité"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert records(workspace, audit_id)[4][0].owner == "Référente qualité"
