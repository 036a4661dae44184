"""The walk keeps what an auditor wrote: the history of every rating, a rating cleared only on
confirmation and with its constat kept, a re-rating that asks about the écart it contradicts,
ctrl+z again and again, and a constat written before the rating."""

from __future__ import annotations

import asyncio


from audit_bench.services.audits import open_audit
from audit_bench.services.listing import list_audits
from audit_bench.tui.widgets.key_bar import KeyBar
from test_tui_journeys import SIZE, app_for, cursor_requirement, open_walk, rated_audit, shown, type_text


def test_each_rating_stays_in_the_history_shown_dated_in_the_detail(workspace_factory):
    asyncio.run(_history_in_the_detail(workspace_factory))


async def _history_in_the_detail(workspace_factory):
    workspace = workspace_factory()
    audit_id = rated_audit(workspace)
    async with app_for(workspace).run_test(size=SIZE) as pilot:
        app = pilot.app
        await open_walk(pilot, "1.1")
        await pilot.press("2")  # Conforme → Partiel
        await pilot.pause()
        app.screen.select("1.1")
        await pilot.pause()
        detail = shown(app, "#detail")
        assert "Historique (2)" in detail
        lines = detail[detail.index("Historique"):].splitlines()
        assert "Partiel par Claire Martin — « Livret remis. »" in lines[1]  # the latest first
        assert "Conforme par Claire Martin — « Livret remis. »" in lines[2]
        assert lines[1].lstrip()[:10].count("/") == 2  # dated JJ/MM/AAAA
    with open_audit(workspace, audit_id, write=False) as session:
        history = session.snapshot().history_of("1.1")
    assert [(entry.rating, entry.note) for entry in history] == [("C", "Livret remis."), ("P", "Livret remis.")]


def test_delete_asks_first_keeps_the_constat_and_ctrl_z_brings_the_rating_back(workspace_factory):
    asyncio.run(_delete_then_undo(workspace_factory))


async def _delete_then_undo(workspace_factory):
    workspace = workspace_factory()
    audit_id = rated_audit(workspace)
    async with app_for(workspace).run_test(size=SIZE) as pilot:
        app = pilot.app
        await open_walk(pilot, "1.1")
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("escape")  # not now
        await pilot.pause()
        assert "Cotation : Conforme" in shown(app, "#detail")
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert "Cotation : non cotée" in shown(app, "#detail")
        assert app.screen.query_one("#note").note == "Livret remis."
        assert "cotées 2/14" in shown(app, "#walk-header")
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert "Cotation : Conforme" in shown(app, "#detail")
        assert "cotées 3/14" in shown(app, "#walk-header")
        with open_audit(workspace, audit_id, write=False) as session:  # durable before any quit
            snapshot = session.snapshot()
        assert (snapshot.assessment_map()["1.1"].rating, snapshot.assessment_map()["1.1"].note) == \
            ("C", "Livret remis.")
        assert [entry.rating for entry in snapshot.history_of("1.1")] == ["C", "", "C"]


def test_ctrl_z_undoes_the_changes_of_the_session_one_after_the_other(workspace_factory):
    asyncio.run(_undo_again_and_again(workspace_factory))


async def _undo_again_and_again(workspace_factory):
    workspace = workspace_factory()
    audit_id = rated_audit(workspace)
    async with app_for(workspace).run_test(size=SIZE) as pilot:
        app = pilot.app
        await open_walk(pilot, "1.4")
        assert "Annuler" in app.screen.query_one(KeyBar).render().plain
        await pilot.press("1", "2")  # 1.4 Conforme, then 1.5 Partiel
        await pilot.pause()
        await pilot.press("p")  # a piece of evidence on 2.1, unrated
        await pilot.pause()
        await type_text(pilot, "Trame de diagnostic")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert cursor_requirement(app) == "2.1"
        with open_audit(workspace, audit_id, write=False) as session:
            assert [e.title for e in session.snapshot().evidence] == ["Trame de diagnostic"]
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert "Annulé : l'ajout d'une preuve à 2.1." in [n.message for n in app._notifications]
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert cursor_requirement(app) == "1.5" and "Cotation : non cotée" in shown(app, "#detail")
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert cursor_requirement(app) == "1.4" and "Cotation : non cotée" in shown(app, "#detail")
        await pilot.press("ctrl+z")  # nothing left of this session: the earlier ratings stay
        await pilot.pause()
        assert "Rien à annuler" in [n.message for n in app._notifications]
    with open_audit(workspace, audit_id, write=False) as session:
        snapshot = session.snapshot()
    assert snapshot.evidence == []
    assert sorted(snapshot.assessment_map()) == ["1.1", "1.2", "1.3"]
    assert [entry.rating for entry in snapshot.history_of("1.5")] == ["P", ""]


def test_a_rating_that_contradicts_an_open_ecart_asks_and_closes_it_as_resolved(workspace_factory):
    asyncio.run(_contradiction(workspace_factory, "c"))


def test_a_rating_that_contradicts_an_open_ecart_can_delete_it_with_its_actions(workspace_factory):
    asyncio.run(_contradiction(workspace_factory, "s"))


async def _contradiction(workspace_factory, key: str):
    workspace = workspace_factory()
    audit_id = rated_audit(workspace)  # 1.2: Écart, écart E1 with action A1
    async with app_for(workspace).run_test(size=SIZE) as pilot:
        app = pilot.app
        await open_walk(pilot, "1.2")
        await pilot.press("1")  # now Conforme
        await pilot.pause()
        question = shown(app, "ContradictionDialog Static")
        assert "1.2 est maintenant cotée « Conforme », mais reste ouvert" in question
        assert "E1 Écart mineur : Entretiens d'accueil non tracés" in question
        assert "actions A1 (supprimées avec lui)" in question
        await pilot.press(key)
        await pilot.pause()
        assert app.screen.title == "Parcours"
        notes = [n.message for n in app._notifications]
        if key == "c":
            assert "Écart E1 clos comme résolu." in notes
            assert "écarts ouverts 0" in shown(app, "#walk-header")
        else:
            assert "Écart E1 supprimé, avec ses actions A1." in notes
    with open_audit(workspace, audit_id, write=False) as session:
        snapshot = session.snapshot()
        assert snapshot.assessment_map()["1.2"].rating == "C"
        if key == "c":
            assert snapshot.findings[0].resolved_at is not None and session.open_findings() == 0
        else:
            assert snapshot.findings == [] and snapshot.actions == []


def test_escape_keeps_the_contradicted_ecart_open(workspace_factory):
    asyncio.run(_contradiction_kept(workspace_factory))


async def _contradiction_kept(workspace_factory):
    workspace = workspace_factory()
    audit_id = rated_audit(workspace)
    async with app_for(workspace).run_test(size=SIZE) as pilot:
        await open_walk(pilot, "1.2")
        await pilot.press("1", "escape")
        await pilot.pause()
        assert "écarts ouverts 1" in shown(pilot.app, "#walk-header")
    with open_audit(workspace, audit_id, write=False) as session:
        assert session.open_findings() == 1


def test_a_constat_written_before_the_rating_is_kept_and_not_counted_as_assessed(workspace_factory):
    asyncio.run(_note_first(workspace_factory))


async def _note_first(workspace_factory):
    workspace = workspace_factory()
    audit_id = rated_audit(workspace)
    async with app_for(workspace).run_test(size=SIZE) as pilot:
        app = pilot.app
        await open_walk(pilot, "1.4")
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "Referent en cours de nomination")
        await pilot.press("ctrl+s")  # the constat's editor saves
        await pilot.pause()
        assert "Refusé" not in [n.title for n in app._notifications]
        assert "Cotation : non cotée" in shown(app, "#detail")
        assert str(app.screen.requirement_tree.by_id["1.4"].label).startswith("· 1.4")
        assert "cotées 3/14" in shown(app, "#walk-header")
        await pilot.press("u")  # the next unrated is 1.5: 1.4 is still to rate
        await pilot.pause()
        assert cursor_requirement(app) == "1.5"
        app.screen.select("1.4")
        await pilot.pause()
        await pilot.press("1")  # the rating keeps the constat written first
        await pilot.pause()
    with open_audit(workspace, audit_id, write=False) as session:
        assessment = session.snapshot().assessment_map()["1.4"]
    assert (assessment.rating, assessment.note) == ("C", "Referent en cours de nomination")
    assert next(row for row in list_audits(workspace) if row.id == audit_id).assessed == 4
