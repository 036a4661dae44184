"""The walk's keys typed at full speed: text typed after an editing key never becomes keys, the
constat is written in a multi-line editor, a closed audit shows its editing keys unavailable."""

from __future__ import annotations

import asyncio

from audit_bench.services.audits import create_audit, open_audit
from audit_bench.tui.keys import screen_actions
from test_tui_form_pace import burst, key, keys
from test_tui_journeys import SIZE, app_for, cursor_requirement, open_walk, records, shown


def essai_audit(workspace) -> str:
    return create_audit(workspace, "essai", "Chantier du Val", "internal", "ACI", "2026-10-01",
                        ["Claire Martin"]).id


def group_rows_expanded(app) -> list[bool]:
    tree = app.screen.query_one("#tree")
    return [node.is_expanded for node in tree.root.children]


def test_text_typed_after_n_on_a_section_row_opens_nothing_and_changes_nothing(workspace_factory):
    asyncio.run(_n_on_a_section(workspace_factory))


async def _n_on_a_section(workspace_factory):
    workspace = workspace_factory()
    audit_id = essai_audit(workspace)
    async with app_for(workspace).run_test(size=SIZE) as pilot:
        app = pilot.app
        await open_walk(pilot, "1.5")
        expanded = group_rows_expanded(app)
        # Rated 1.5, the cursor moves on to 2.1; ↑ lands on the section « 2 »; n, then a note typed.
        await burst(pilot, [*keys("1"), key("up"), *keys("nRapport annuel")])
        assert app.screen.title == "Parcours" and len(app.screen_stack) == 2
        assert "choisissez une de ses exigences" in shown(app, "#note")
        assert group_rows_expanded(app) == expanded and app.screen.filter == "all"
        before = records(workspace, audit_id)
        # Straight on a section row, too: n, then the text.
        await burst(pilot, [key("escape"), *keys("nRapport annuel")])
        assert app.screen.title == "Parcours" and len(app.screen_stack) == 2
        assert group_rows_expanded(app) == expanded
        # ↓ leaves the message for the tree, moving on: the next n opens the constat of 2.1.
        await burst(pilot, [key("down"), *keys("n")])
        assert app.screen.spec.title == "Constat : 2.1"
        await burst(pilot, [key("escape")])
        assert cursor_requirement(app) == "2.1"
    header, assessments, evidence, findings, actions = records(workspace, audit_id)
    assert (header, evidence, findings, actions) == (before[0], before[2], before[3], before[4])
    assert [(a.requirement, a.rating) for a in assessments] == [("1.5", "C")]


def test_a_constat_is_written_on_several_lines_saved_with_ctrl_s_and_the_escape_after_stays(workspace_factory):
    asyncio.run(_multi_line_constat(workspace_factory))


async def _multi_line_constat(workspace_factory):
    workspace = workspace_factory()
    audit_id = essai_audit(workspace)
    with open_audit(workspace, audit_id) as session:
        session.rate("1.2", "P")
    async with app_for(workspace).run_test(size=SIZE) as pilot:
        app = pilot.app
        await open_walk(pilot, "1.2")
        await burst(pilot, [*keys("nEntretiens tracés"), key("enter"), *keys("sauf en mars"), key("ctrl+s"),
                            key("escape")])
        assert app.screen.title == "Parcours" and cursor_requirement(app) == "1.2"
        assert app.screen.query_one("#note").note == "Entretiens tracés\nsauf en mars"
        await pilot.press("escape")  # a second Échap leaves the walk
        await pilot.pause()
        assert app.screen.title == "Accueil"
    with open_audit(workspace, audit_id, write=False) as session:
        assert session.snapshot().assessment_map()["1.2"].note == "Entretiens tracés\nsauf en mars"


def test_escape_in_the_constat_editor_asks_before_losing_text(workspace_factory):
    asyncio.run(_escape_asks(workspace_factory))


async def _escape_asks(workspace_factory):
    workspace = workspace_factory()
    audit_id = essai_audit(workspace)
    with open_audit(workspace, audit_id) as session:
        session.rate("1.2", "P", "Vu.")
    async with app_for(workspace).run_test(size=SIZE) as pilot:
        app = pilot.app
        await open_walk(pilot, "1.2")
        await burst(pilot, [*keys("n"), key("escape")])  # nothing typed: closed at once
        assert app.screen.title == "Parcours"
        await burst(pilot, [*keys("n Pas en mars."), key("escape")])
        assert "Abandonner le texte saisi" in app.screen.question.plain
        await burst(pilot, [key("escape"), *keys(" Ni avril.")])  # back to the text, typing on
        assert app.screen.query_one("#note").text == "Vu. Pas en mars. Ni avril."
        await burst(pilot, [key("escape"), key("enter")])  # abandoned
        assert app.screen.title == "Parcours" and len(app.screen_stack) == 2
    with open_audit(workspace, audit_id, write=False) as session:
        assert session.snapshot().assessment_map()["1.2"].note == "Vu."


def test_a_closed_audit_shows_its_editing_keys_unavailable_and_text_typed_changes_nothing(workspace_factory):
    asyncio.run(_closed_audit_keys(workspace_factory))


async def _closed_audit_keys(workspace_factory):
    workspace = workspace_factory()
    audit_id = essai_audit(workspace)
    with open_audit(workspace, audit_id) as session:
        session.rate("1.1", "C")
        session.close_audit()
    before = records(workspace, audit_id)
    async with app_for(workspace).run_test(size=SIZE) as pilot:
        app = pilot.app
        await open_walk(pilot, "1.2")
        walk = app.screen
        unavailable = {a.description for a in screen_actions(walk) if not a.enabled}
        assert {"Constat", "Preuve", "Écart", "N/A", "Effacer la cotation"} <= unavailable
        assert {"Chercher", "Synthèse", "Accueil"}.isdisjoint(unavailable)
        bar = walk.query_one("KeyBar").render()
        struck = {bar.plain[span.start:span.end].strip() for span in bar.spans if "strike" in str(span.style)}
        assert {"n", "Constat", "p", "Preuve"} <= struck
        await burst(pilot, [*keys("nRapport annuel")])
        assert app.screen is walk and "Audit clos" in shown(app, "#note")
        await burst(pilot, [key("escape"), key("question_mark")])
        help_text = app.screen.body.plain
        assert "Constat (indisponible ici)" in help_text
        assert "Coter « Conforme » puis passer à la suivante non cotée (indisponible ici)" in help_text
        await burst(pilot, [key("escape")])
        palette = {command.title for command in app.get_system_commands(walk)}
        assert "Synthèse" in palette
        assert not {"Constat", "Coter « Conforme » puis passer à la suivante non cotée"} & palette
    assert records(workspace, audit_id) == before


def test_an_ecart_and_its_action_written_on_several_lines_fit_a_24_line_terminal(workspace_factory):
    asyncio.run(_long_text_forms_at_80x24(workspace_factory))


async def _long_text_forms_at_80x24(workspace_factory):
    workspace = workspace_factory()
    audit_id = essai_audit(workspace)
    async with app_for(workspace).run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await open_walk(pilot, "1.2")
        await burst(pilot, [*keys("e"), key("ctrl+s")])  # nothing written: refused in place
        form = app.screen
        assert shown(app, "#dialog-error")
        for selector in ("#text", "#dialog-error", "#submit"):
            assert form.query_one(selector).region.bottom <= 24, selector
        await burst(pilot, [key("tab"), *keys("Aucun entretien tracé"), key("enter"),
                            *keys("depuis mars"), key("ctrl+s")])
        action_form = app.screen
        assert action_form.spec.title == "Plan d'action"
        for selector in ("#text", "#owner", "#due", "#submit"):
            assert action_form.query_one(selector).region.bottom <= 24, selector
        await burst(pilot, [*keys("Tracer chaque entretien"), key("enter"), *keys("dans le dossier"), key("tab"),
                            *keys("Direction"), key("enter"), *keys("31/12/2026"), key("enter")])
        assert app.screen.title == "Parcours"
    with open_audit(workspace, audit_id, write=False) as session:
        snapshot = session.snapshot()
    assert [(f.class_, f.text) for f in snapshot.findings] == [
        ("mineur", "Aucun entretien tracé\ndepuis mars")]
    assert [(a.text, a.owner, a.due) for a in snapshot.actions] == [
        ("Tracer chaque entretien\ndans le dossier", "Direction", "2026-12-31")]


def test_after_a_refused_save_the_wizard_takes_the_text_typed_next_in_the_name_field(workspace_factory):
    asyncio.run(_wizard_refusal_focus(workspace_factory))


async def _wizard_refusal_focus(workspace_factory):
    workspace = workspace_factory()
    async with app_for(workspace).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await burst(pilot, [*keys("nes"), key("ctrl+s"), *keys("Chantier du Val")])
        screen = pilot.app.screen
        assert screen.query_one("#referential").value == "essai"
        assert screen.query_one("#org").value == "Chantier du Val"
        assert pilot.app.focused is screen.query_one("#org")


def test_at_100_columns_the_walk_key_bar_shows_the_keys_that_matter_and_the_help_lists_them_all(workspace_factory):
    asyncio.run(_key_bar_at_100_columns(workspace_factory))


async def _key_bar_at_100_columns(workspace_factory):
    workspace = workspace_factory()
    essai_audit(workspace)
    async with app_for(workspace).run_test(size=(100, 30)) as pilot:
        app = pilot.app
        await open_walk(pilot, "1.1")
        bar = app.screen.query_one("KeyBar").render().plain
        for entry in ("n Constat", "p Preuve", "e Écart", "u À coter", "/ Chercher", "a Écarts et actions",
                      "s Synthèse", "? Aide"):
            assert entry in bar, entry
        legend = shown(app, "#legend")
        assert all(entry in legend for entry in ("1 Conforme", "2 Partiel", "3 Écart", "x N/A", "Filtre (f)"))
        await pilot.press("question_mark")
        await pilot.pause()
        help_text = app.screen.body.plain
        for description in ("Coter « Conforme »", "N/A", "Filtre", "Glossaire", "Effacer la cotation", "Accueil"):
            assert description in help_text, description


def test_the_demo_loads_in_the_background_showing_its_progress(workspace_factory, monkeypatch):
    asyncio.run(_demo_progress(workspace_factory, monkeypatch))


async def _demo_progress(workspace_factory, monkeypatch):
    import threading

    from audit_bench.services import demo as demo_service

    workspace = workspace_factory()
    halfway = threading.Event()
    go_on = threading.Event()
    load_demo = demo_service.load_demo

    def slow_demo(workspace, plugin=None, progress=None):
        def told(done, total, demo):
            progress(done, total, demo)
            if done * 2 >= total and not halfway.is_set():
                halfway.set()
                go_on.wait(10)  # the auditor keeps using the app meanwhile

        return load_demo(workspace, plugin, told)

    monkeypatch.setattr(demo_service, "load_demo", slow_demo)  # the Accueil imports it when the demo is asked for
    async with app_for(workspace).run_test(size=SIZE) as pilot:
        app = pilot.app
        await pilot.pause()
        await pilot.press("d")
        for _ in range(500):
            if halfway.is_set():
                break
            await pilot.pause(0.01)
        await pilot.pause()
        assert "Chargement de la démo : 50 %" in shown(app, "#demo-progress")  # 3 writes of 6
        assert "Atelier de démonstration" in shown(app, "#demo-progress")
        await pilot.press("question_mark")  # the app answers while the demo is written
        await pilot.pause()
        assert "Charger la démo (indisponible ici)" in app.screen.body.plain
        await pilot.press("escape")
        go_on.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.screen.query_one("#demo-progress").display
        assert app.screen.query_one("#audits").row_count == 1


def test_the_demo_tells_its_progress_after_each_write(workspace):
    from audit_bench.services.demo import load_demo

    told = []
    created = load_demo(workspace, progress=lambda done, total, demo: told.append((done, total, demo.org)))
    # The tests' demo: the audit, 2 ratings, 1 evidence, 1 finding, 1 action.
    assert len(created) == 1
    assert told == [(done, 6, "Atelier de démonstration") for done in range(1, 7)]


def test_control_characters_stored_or_pasted_in_a_long_text_field_never_reach_the_terminal(workspace_factory):
    asyncio.run(_control_characters_in_a_text_box(workspace_factory))


async def _control_characters_in_a_text_box(workspace_factory):
    from textual import events

    from test_tui_hostile import HOSTILE, assert_no_raw_controls, hostile_audit

    workspace = workspace_factory()
    audit_id = hostile_audit(workspace)  # 1.1's constat holds a retitle and a clear-screen sequence
    async with app_for(workspace).run_test(size=SIZE) as pilot:
        app = pilot.app
        await open_walk(pilot, "1.1")
        await pilot.press("n")
        await pilot.pause()
        assert "Livret ␛]0;x␇ ␛[2J remis." in assert_no_raw_controls(app, "the constat's editor")
        app.post_message(events.Paste(f" collé {HOSTILE}"))  # as the terminal sends it
        await pilot.pause()
        assert_no_raw_controls(app, "the constat's editor, after a paste")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.title == "Parcours"
    with open_audit(workspace, audit_id, write=False) as session:
        note = session.snapshot().assessment_map()["1.1"].note
    assert note == "Livret ␛]0;x␇ ␛[2J remis. collé ␛]0;x␇ ␛[2J"


def test_text_typed_while_a_rating_asks_for_its_ecart_is_neither_an_answer_nor_keys(workspace_factory):
    asyncio.run(_text_while_asked(workspace_factory))


async def _text_while_asked(workspace_factory):
    workspace = workspace_factory()
    audit_id = essai_audit(workspace)
    async with app_for(workspace).run_test(size=SIZE) as pilot:
        app = pilot.app
        await open_walk(pilot, "1.1")
        # « 3 » (Écart) asks whether to write the écart now; the auditor, typing on, meant a constat.
        await burst(pilot, [*keys("3nVu en reunion")])
        assert "Le rédiger maintenant" in app.screen.question.plain
        await burst(pilot, [key("escape")])  # later
        assert app.screen.title == "Parcours" and cursor_requirement(app) == "1.2"
    header, assessments, evidence, findings, actions = records(workspace, audit_id)
    assert [(a.requirement, a.rating, a.note) for a in assessments] == [("1.1", "E", "")]
    assert (evidence, findings, actions) == ([], [], [])


def test_the_escape_typed_after_saving_a_preuve_stays_in_the_walk(workspace_factory):
    asyncio.run(_escape_after_saving(workspace_factory))


async def _escape_after_saving(workspace_factory):
    workspace = workspace_factory()
    audit_id = essai_audit(workspace)
    async with app_for(workspace).run_test(size=SIZE) as pilot:
        app = pilot.app
        await open_walk(pilot, "1.2")
        await burst(pilot, [*keys("pLivret d'accueil"), key("ctrl+s"), key("escape")])
        assert app.screen.title == "Parcours" and cursor_requirement(app) == "1.2"
        await pilot.press("escape")  # a second Échap leaves the walk
        await pilot.pause()
        assert app.screen.title == "Accueil"
    _, _, evidence, _, _ = records(workspace, audit_id)
    assert [e.title for e in evidence] == ["Livret d'accueil"]
